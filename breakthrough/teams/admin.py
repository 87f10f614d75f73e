from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(models.Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "collaborative", "status", "data_visibility"]
    list_filter = ["collaborative", "status"]
    inlines = [MembershipInline]


class AgencyInline(admin.TabularInline):
    model = models.Agency
    extra = 0


@admin.register(models.Jurisdiction)
class JurisdictionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "is_fictional"]
    inlines = [AgencyInline]


admin.site.register(models.Agency, SimpleHistoryAdmin)
admin.site.register(models.DataSharingAgreement, SimpleHistoryAdmin)
admin.site.register(models.Membership, SimpleHistoryAdmin)
