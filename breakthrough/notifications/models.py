from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutgoingEmail(models.Model):
    """Every e-mail the platform sends or deliberately does not send, for staff to see.

    `dedupe_key` makes scheduled messages idempotent: a reminder with a key that was already
    sent is not sent again.
    """

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        SUPPRESSED = "suppressed", "Not sent (demo address or opted out)"
        FAILED = "failed", "Failed"

    collaborative = models.ForeignKey(
        "collaboratives.Collaborative",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="emails",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    kind = models.CharField(max_length=50)
    status = models.CharField(max_length=20, choices=Status.choices)
    error = models.TextField(blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["collaborative", "created_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
