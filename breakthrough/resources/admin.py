from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.Resource)
class ResourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "collaborative", "team", "file_name", "url", "created_at"]
    list_filter = ["collaborative", "kind"]
    search_fields = ["title", "description", "file_name"]
    readonly_fields = ["file", "file_name", "content_type", "size"]
