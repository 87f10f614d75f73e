from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "breakthrough.discussions"
    verbose_name = "Discussions"

    def ready(self) -> None:
        from breakthrough.collaboratives.activity import register_source
        from breakthrough.collaboratives.engagement import Metric, register_metric
        from breakthrough.collaboratives.history import track

        from . import activity, models

        track(models.Thread, "collaborative_id")
        track(models.Post, "thread__collaborative_id")
        track(models.DiscussionPreference, "collaborative_id")
        track(models.CoachingNote, "team__collaborative_id")
        register_source("post", "Discussion posts", activity.post_items)
        register_source("note", "Coaching notes", activity.note_items)
        register_metric(
            Metric(
                "posts",
                "Discussion posts",
                "Posts and replies written by the team's members.",
                activity.post_cells,
                order=10,
            )
        )
