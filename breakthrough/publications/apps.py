from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "breakthrough.publications"
    verbose_name = "Storyboards, final report and practice model"
