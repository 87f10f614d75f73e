from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class PostInline(admin.StackedInline):
    model = models.Post
    extra = 0
    raw_id_fields = ["author", "mentions"]


@admin.register(models.Thread)
class ThreadAdmin(SimpleHistoryAdmin):
    list_display = ["title", "collaborative", "author", "is_pinned", "is_prompt", "last_post_at"]
    list_filter = ["collaborative", "is_pinned", "is_prompt"]
    search_fields = ["title"]
    raw_id_fields = ["author"]
    filter_horizontal = ["nodes"]
    inlines = [PostInline]


@admin.register(models.DiscussionPreference)
class DiscussionPreferenceAdmin(SimpleHistoryAdmin):
    list_display = ["person", "collaborative", "mode", "updated_at"]
    list_filter = ["collaborative", "mode"]


@admin.register(models.CoachingNote)
class CoachingNoteAdmin(SimpleHistoryAdmin):
    list_display = ["subject", "team", "date", "author", "share_scope"]
    list_filter = ["share_scope", "team__collaborative"]
    search_fields = ["subject", "body"]
