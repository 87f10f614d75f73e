from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class ModuleInline(admin.StackedInline):
    model = models.Module
    extra = 0
    filter_horizontal = ["components"]


@admin.register(models.Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ["title", "cohort", "collaborative", "start", "end", "place"]
    filter_horizontal = ["shared_with", "sponsors"]
    inlines = [ModuleInline]


@admin.register(models.Enrolment)
class EnrolmentAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "email", "program", "team", "agency", "status"]
    list_filter = ["program", "status"]
    raw_id_fields = ["person", "invitation", "enrolled_by"]


class PlannedCycleInline(admin.TabularInline):
    model = models.PlannedCycle
    extra = 0


@admin.register(models.Capstone)
class CapstoneAdmin(SimpleHistoryAdmin):
    list_display = ["team", "program", "title", "status", "submitted_at", "reviewed_at"]
    list_filter = ["program", "status"]
    inlines = [PlannedCycleInline]


@admin.register(models.Certificate)
class CertificateAdmin(SimpleHistoryAdmin):
    list_display = ["code", "holder_name", "program_title", "issued_at", "revoked_at"]
    search_fields = ["code", "holder_name"]
    readonly_fields = ["code", "enrolment"]
