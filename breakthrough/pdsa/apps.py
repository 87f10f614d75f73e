from django.apps import AppConfig


class PdsaConfig(AppConfig):
    name = "breakthrough.pdsa"
    verbose_name = "Tests of change (PDSA)"

    def ready(self) -> None:
        from breakthrough.collaboratives.history import track

        from . import models

        track(models.Ramp, "team__collaborative_id")
        track(models.PDSACycle, "team__collaborative_id")
        track(models.CycleAttachment, "cycle__team__collaborative_id")
