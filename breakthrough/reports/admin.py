from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class ComponentStatusInline(admin.TabularInline):
    model = models.ComponentStatus
    extra = 0


class AssessmentInline(admin.TabularInline):
    model = models.Assessment
    extra = 0


@admin.register(models.MonthlyReport)
class MonthlyReportAdmin(SimpleHistoryAdmin):
    list_display = ["team", "period", "state", "revision", "first_submitted_at", "reconciled_at"]
    list_filter = ["state", "team__collaborative"]
    inlines = [ComponentStatusInline, AssessmentInline]


class ScaleLevelInline(admin.TabularInline):
    model = models.ScaleLevel
    extra = 0


@admin.register(models.AssessmentScale)
class AssessmentScaleAdmin(SimpleHistoryAdmin):
    list_display = ["collaborative", "version", "name", "created_at"]
    inlines = [ScaleLevelInline]


@admin.register(models.ReportSettings)
class ReportSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["collaborative", "sharing", "reminders_enabled"]


@admin.register(models.Presenter, models.SessionMaterial, models.Storyboard)
class SessionAdmin(SimpleHistoryAdmin):
    pass
