from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "breakthrough.publications"
    verbose_name = "Storyboards, final report and practice model"

    def ready(self) -> None:
        from breakthrough.collaboratives.activity import register_source
        from breakthrough.collaboratives.history import track

        from . import models
        from .activity import storyboard_items

        track(models.FinalReport, "collaborative_id")
        track(models.ReportSection, "report__collaborative_id")
        track(models.TeamStoryboard, "team__collaborative_id")
        track(models.PracticeModel, "collaborative_id")
        track(models.Phase, "model__collaborative_id")
        track(models.Practice, "phase__model__collaborative_id")
        register_source("storyboard", "Storyboards", storyboard_items)
