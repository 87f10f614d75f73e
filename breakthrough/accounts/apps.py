from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "breakthrough.accounts"
    verbose_name = "People and accounts"

    def ready(self) -> None:
        from breakthrough.collaboratives.history import track

        from . import models

        track(models.Invitation, "collaborative_id")
