from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


def resource_path(instance: Resource, filename: str) -> str:
    """Stored files live under the collaborative's folder with a name the platform made up."""
    return f"resources/{instance.collaborative_id}/{filename}"


class Resource(models.Model):
    """A file or link in the collaborative's shared library: tools, forms, protocols, guides."""

    class Kind(models.TextChoices):
        TOOL = "tool", "Tool"
        FORM = "form", "Form or template"
        PROTOCOL = "protocol", "Protocol or policy"
        MEASUREMENT = "measurement", "Measurement guide"
        EXAMPLE = "example", "Good-practice example"
        READING = "reading", "Reading or reference"
        OTHER = "other", "Other"

    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="resources"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=resource_path, blank=True, max_length=300)
    file_name = models.CharField(
        max_length=200, blank=True, help_text="The name offered when downloading."
    )
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.URLField("link", max_length=500, blank=True)
    nodes = models.ManyToManyField(
        "changes.ChangeNode", blank=True, related_name="resources", verbose_name="change package"
    )
    team = models.ForeignKey(
        "teams.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
        verbose_name="shared by team",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[nodes])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["collaborative", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(file="") & models.Q(url="")), name="resource_file_or_link"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", args=[self.collaborative.slug, self.pk])

    @property
    def is_link(self) -> bool:
        return not self.file
