from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "breakthrough.archives"
    verbose_name = "Exports, imports and backups"
