from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "breakthrough.changes"
    verbose_name = "Change packages"

    def ready(self) -> None:
        from breakthrough.collaboratives.history import track

        from . import models

        track(models.ChangePackage, "collaborative_id")
        track(models.ChangeNode, "package__collaborative_id")
        track(models.Lesson, "collaborative_id")

        from breakthrough.collaboratives.activity import register_source

        from .activity import lesson_items

        register_source("lesson", "Lessons", lesson_items)
