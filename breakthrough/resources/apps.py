from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "breakthrough.resources"
    verbose_name = "Resource library"
