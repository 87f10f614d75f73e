from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ExportRecord(models.Model):
    """One export of a collaborative's data (BRIEF §8: every export is logged)."""

    class Kind(models.TextChoices):
        ARCHIVE = "archive", "Whole-collaborative archive"
        EVALUATOR = "evaluator", "Evaluator tables (CSV and Parquet)"

    class Via(models.TextChoices):
        COMMAND = "command", "Command line"
        WEB = "web", "Web page"

    collaborative = models.ForeignKey(
        "collaboratives.Collaborative",
        null=True,
        on_delete=models.SET_NULL,
        related_name="exports",
    )
    collaborative_slug = models.SlugField(max_length=50, help_text="Kept if it is deleted.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    via = models.CharField(max_length=10, choices=Via.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["collaborative", "created_at"])]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} of {self.collaborative_slug} ({self.created_at:%Y-%m-%d})"
        )
