from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "breakthrough.discussions"
    verbose_name = "Discussions"
