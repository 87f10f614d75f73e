from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Invitation, User


@admin.register(User)
class PersonAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "full_name", "email", "is_staff", "is_demo"]
    list_filter = ["is_staff", "is_superuser", "is_active", "is_demo"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Breakthrough", {"fields": ["full_name", "title", "lived_experience", "is_demo"]}),
    ]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "collaborative", "team", "staff_role", "created_at", "status"]
    list_filter = ["collaborative"]
    search_fields = ["email"]
    exclude = ["token_hash"]
