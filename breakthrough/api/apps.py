from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "breakthrough.api"
    verbose_name = "REST API"
