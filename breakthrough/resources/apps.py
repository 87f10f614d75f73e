from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "breakthrough.resources"
    verbose_name = "Resource library"

    def ready(self) -> None:
        from breakthrough.collaboratives.history import track

        from . import models

        track(models.Resource, "collaborative_id")
