from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.ChangePackage)
class ChangePackageAdmin(SimpleHistoryAdmin):
    list_display = ["title", "version", "status", "collaborative"]


@admin.register(models.ChangeNode)
class ChangeNodeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "kind", "package"]
    list_filter = ["package", "kind"]
