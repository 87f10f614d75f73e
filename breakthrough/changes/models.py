from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ChangePackage(models.Model):
    """One version of the collaborative's change package: principles, values and components."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="change_packages"
    )
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    goals = models.TextField(blank=True)
    published_on = models.DateField(null=True, blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaborative", "version"], name="unique_package_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("changes:package", args=[self.collaborative.slug, self.version])


class ChangeNode(models.Model):
    """A node of the change package tree: principle, value, component, concept or idea.

    Components hold change ideas (optionally through change concepts); newer collaboratives use
    primary and secondary drivers instead. `lineage` points to the same node in the version this
    package was drafted from, so a node keeps its history and evidence across versions.
    """

    class Kind(models.TextChoices):
        PRINCIPLE = "principle", "Principle"
        VALUE = "value", "Value"
        COMPONENT = "component", "Component"
        CONCEPT = "concept", "Change concept"
        IDEA = "idea", "Change idea"
        PRIMARY_DRIVER = "primary_driver", "Primary driver"
        SECONDARY_DRIVER = "secondary_driver", "Secondary driver"

    # Which kinds may sit under which; None means a top-level node.
    ALLOWED_PARENTS = {
        "principle": {None},
        "value": {None},
        "component": {None},
        "primary_driver": {None},
        "concept": {"component"},
        "secondary_driver": {"primary_driver"},
        "idea": {"component", "concept", "secondary_driver"},
    }

    package = models.ForeignKey(ChangePackage, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.CharField(max_length=20, blank=True, help_text="e.g. C1 or 1.3")
    title = models.CharField(max_length=300)
    guiding_question = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    evidence_notes = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)
    lineage = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="descendants"
    )
    tags = models.JSONField(default=list, blank=True, help_text="e.g. practice-model phases.")
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["package", "kind"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def clean(self) -> None:
        parent_kind = self.parent.kind if self.parent_id else None
        allowed = self.ALLOWED_PARENTS.get(self.kind, set())
        if parent_kind not in allowed:
            where = (
                f"under a {self.parent.get_kind_display().lower()}"
                if self.parent_id
                else "at the top"
            )
            raise ValidationError(
                {"parent": f"A {self.get_kind_display().lower()} cannot sit {where}."}
            )
        if self.parent_id and self.parent.package_id != self.package_id:
            raise ValidationError({"parent": "The parent belongs to another package version."})

    @property
    def label(self) -> str:
        return str(self)


class Lesson(models.Model):
    """A lesson learned or promising practice, with its evidence: cycles, teams and charts.

    Lessons are written from a cycle's Study/Act or directly; they feed the final report and the
    practice model.
    """

    class Strength(models.TextChoices):
        TESTED = "tested", "Tested"
        IMPLEMENTED = "implemented", "Implemented"
        SPREAD = "spread", "Spread"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ENDORSED = "endorsed", "Endorsed"

    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="lessons"
    )
    statement = models.TextField(help_text="The lesson in one or two sentences.")
    detail = models.TextField("what the evidence shows", blank=True)
    nodes = models.ManyToManyField(
        ChangeNode, related_name="lessons", verbose_name="change-package nodes"
    )
    cycles = models.ManyToManyField(
        "pdsa.PDSACycle", blank=True, related_name="lessons", verbose_name="PDSA cycles"
    )
    teams = models.ManyToManyField("teams.Team", blank=True, related_name="lessons")
    measures = models.ManyToManyField(
        "measures.Measure", blank=True, related_name="lessons", verbose_name="charts (measures)"
    )
    strength = models.CharField(max_length=20, choices=Strength.choices, default=Strength.TESTED)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    source_cycle = models.ForeignKey(
        "pdsa.PDSACycle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The cycle the lesson was written from.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    endorsed_on = models.DateField(null=True, blank=True)
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[nodes, cycles, teams, measures])

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"

    def get_absolute_url(self) -> str:
        return reverse("changes:lesson", args=[self.collaborative.slug, self.pk])
