from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "data_type", "scope", "collaborative"]
    list_filter = ["collaborative", "scope", "kind"]


admin.site.register(models.Stratifier, SimpleHistoryAdmin)
admin.site.register(models.TeamMeasure, SimpleHistoryAdmin)
admin.site.register(models.MeasureValue, SimpleHistoryAdmin)
