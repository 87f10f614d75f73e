from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "breakthrough.discussions"
    verbose_name = "Discussions"

    def ready(self) -> None:
        from breakthrough.collaboratives.history import track

        from . import models

        track(models.Thread, "collaborative_id")
        track(models.Post, "thread__collaborative_id")
        track(models.DiscussionPreference, "collaborative_id")
        track(models.CoachingNote, "team__collaborative_id")
