from django.apps import AppConfig


class CollaborativesConfig(AppConfig):
    name = "breakthrough.collaboratives"
    verbose_name = "Collaboratives"

    def ready(self) -> None:
        from breakthrough.collaboratives.history import track

        from . import models

        track(models.Collaborative, "id")
        track(models.CollaborativeOrganisation, "collaborative_id")
        track(models.Aim, "collaborative_id")
        track(models.StaffRole, "collaborative_id")
        track(models.Event, "collaborative_id")
        track(models.AgendaItem, "event__collaborative_id")
        track(models.Attendance, "event__collaborative_id")
        track(models.ReportingPeriod, "collaborative_id")
