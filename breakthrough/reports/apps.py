from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "breakthrough.reports"
    verbose_name = "Monthly reports and assessment"

    def ready(self) -> None:
        from breakthrough.collaboratives.history import track

        from . import models

        track(models.ReportSettings, "collaborative_id")
        track(models.AssessmentScale, "collaborative_id")
        track(models.ScaleLevel, "scale__collaborative_id")
        track(models.MonthlyReport, "team__collaborative_id")
        track(models.ReportRevision, "report__team__collaborative_id")
        track(models.ComponentStatus, "report__team__collaborative_id")
        track(models.Assessment, "report__team__collaborative_id")
        track(models.Presenter, "event__collaborative_id")
        track(models.SessionMaterial, "event__collaborative_id")
        track(models.Storyboard, "event__collaborative_id")

        # The collaborative's activity feed and engagement grid (collaboratives.activity).
        from breakthrough.collaboratives.activity import register_source
        from breakthrough.collaboratives.engagement import Metric, register_metric

        from .activity import on_time_cells, report_items

        register_source("report", "Monthly reports", report_items)
        register_metric(
            Metric(
                "reports_on_time",
                "Reports on time",
                "Monthly reports submitted by their due date (skipped months left out).",
                on_time_cells,
                is_share=True,
                order=30,
            )
        )
