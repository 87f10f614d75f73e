from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "breakthrough.resources"
    verbose_name = "Resource library"

    def ready(self) -> None:
        from breakthrough.collaboratives.activity import register_source
        from breakthrough.collaboratives.engagement import Metric, register_metric
        from breakthrough.collaboratives.history import track

        from . import activity, models

        track(models.Resource, "collaborative_id")
        register_source("resource", "Library", activity.resource_items)
        register_metric(
            Metric(
                "resources",
                "Resources shared",
                "Files and links the team added to the library.",
                activity.resource_cells,
                order=60,
            )
        )
