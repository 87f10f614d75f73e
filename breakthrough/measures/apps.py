from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "breakthrough.measures"
    verbose_name = "Measures"

    def ready(self) -> None:
        from breakthrough.collaboratives.history import track

        from . import models

        track(models.Measure, "collaborative_id")
        track(models.Stratifier, "collaborative_id")
        track(models.TeamMeasure, "team__collaborative_id")
        track(models.MeasureValue, "team__collaborative_id")
        track(models.ChartNote, "team__collaborative_id")
        track(models.ChartPhase, "team__collaborative_id")
        track(models.Submission, "team__collaborative_id")
