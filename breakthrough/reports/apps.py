from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "breakthrough.reports"
    verbose_name = "Monthly reports and assessment"
