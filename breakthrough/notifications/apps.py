from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "breakthrough.notifications"
    verbose_name = "E-mail notifications"
