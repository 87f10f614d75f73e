from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "breakthrough.teams"
    verbose_name = "Teams and jurisdictions"

    def ready(self) -> None:
        from breakthrough.collaboratives.history import track

        from . import models

        track(models.Team, "collaborative_id")
        track(models.Membership, "team__collaborative_id")
