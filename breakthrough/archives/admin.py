from django.contrib import admin

from .models import ExportRecord


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    """The export log is append-only."""

    list_display = ["created_at", "collaborative_slug", "kind", "via", "person", "rows", "filename"]
    list_filter = ["kind", "via"]
    search_fields = ["collaborative_slug", "filename", "sha256"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
