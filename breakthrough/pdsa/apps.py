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

        # The collaborative's activity feed and engagement grid (collaboratives.activity).
        from breakthrough.collaboratives.activity import register_source
        from breakthrough.collaboratives.engagement import Metric, register_metric

        from .activity import cycle_cells, cycle_items

        register_source("cycle", "PDSA cycles", cycle_items)
        register_metric(
            Metric(
                "cycles", "PDSA cycles started", "Cycles the team started.", cycle_cells, order=20
            )
        )
