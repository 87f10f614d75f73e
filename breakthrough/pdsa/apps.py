from django.apps import AppConfig


class PdsaConfig(AppConfig):
    name = "breakthrough.pdsa"
    verbose_name = "Tests of change (PDSA)"
