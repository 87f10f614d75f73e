from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "breakthrough.certificates"
    verbose_name = "Certificate Program"

    def ready(self) -> None:
        from breakthrough.collaboratives.activity import register_source
        from breakthrough.collaboratives.history import track

        from . import activity, models

        track(models.Program, "collaborative_id")
        track(models.Module, "program__collaborative_id")
        track(models.Session, "program__collaborative_id")
        track(models.Enrolment, "program__collaborative_id")
        track(models.Capstone, "program__collaborative_id")
        track(models.PlannedCycle, "capstone__program__collaborative_id")
        track(models.Certificate, "enrolment__program__collaborative_id")
        register_source("capstone", "Capstones", activity.capstone_items)
