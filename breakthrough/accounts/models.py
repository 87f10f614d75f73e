from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person with a log-in: staff, faculty, team members, observers.

    Never a young person's record: youth and family partners are team members who chose to join.
    """

    full_name = models.CharField(max_length=150, blank=True)
    title = models.CharField(
        max_length=150, blank=True, help_text="Job title, e.g. Probation supervisor."
    )
    lived_experience = models.BooleanField(
        default=False,
        help_text="Self-declared; shown only to the person and to collaborative staff.",
    )
    is_demo = models.BooleanField(default=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["full_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An invitation by e-mail to join a collaborative as staff or a team as a member.

    Only the token's hash is stored; the link in the e-mail carries the token itself.
    """

    email = models.EmailField()
    full_name = models.CharField(max_length=150, blank=True)
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="invitations"
    )
    staff_role = models.CharField(max_length=20, blank=True)
    team = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    agency = models.ForeignKey("teams.Agency", null=True, blank=True, on_delete=models.SET_NULL)
    team_roles = models.JSONField(default=list, blank=True)
    partner = models.CharField(max_length=10, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @classmethod
    def default_expiry(cls):
        return timezone.now() + timedelta(days=settings.INVITATION_DAYS)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    @property
    def role_description(self) -> str:
        from breakthrough.collaboratives.models import StaffRole
        from breakthrough.teams.models import Membership

        if self.team_id:
            roles = [Membership.ROLE_LABELS.get(r, r) for r in self.team_roles] or ["member"]
            return f"{', '.join(roles)} of {self.team}"
        return StaffRole.Role(self.staff_role).label if self.staff_role else "participant"
