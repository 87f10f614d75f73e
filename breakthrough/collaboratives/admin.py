from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class SponsorInline(admin.TabularInline):
    model = models.CollaborativeOrganisation
    extra = 0


class AimInline(admin.TabularInline):
    model = models.Aim
    extra = 0


@admin.register(models.Collaborative)
class CollaborativeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "phase", "start", "end", "is_demo"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SponsorInline, AimInline]


class AgendaInline(admin.TabularInline):
    model = models.AgendaItem
    extra = 0


@admin.register(models.Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "start", "end", "collaborative"]
    list_filter = ["collaborative", "kind"]
    inlines = [AgendaInline]


@admin.register(models.ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["label", "start", "end", "due_on", "is_baseline", "collaborative"]
    list_filter = ["collaborative", "is_baseline"]


@admin.register(models.StaffRole)
class StaffRoleAdmin(SimpleHistoryAdmin):
    list_display = ["person", "role", "title", "collaborative"]
    list_filter = ["collaborative", "role"]


admin.site.register(models.Organisation, SimpleHistoryAdmin)
admin.site.register(models.Attendance, SimpleHistoryAdmin)
admin.site.site_header = "Breakthrough administration"
