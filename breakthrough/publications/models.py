"""What a collaborative publishes at its end: team storyboards, the final report and the
practice model.

Only the words people write are stored here. Every number, table and chart is computed from the
data when the page or file is rendered (`publications/content.py`), so a document exported today
and one exported after a late data correction each match the data they were made from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class FinalReport(models.Model):
    """The collaborative's final report: its narrative sections and publication settings."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    collaborative = models.OneToOneField(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="final_report"
    )
    title = models.CharField(max_length=200)
    subtitle = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(null=True, blank=True)
    public_page = models.BooleanField(
        "public dissemination page",
        default=False,
        help_text="Show the published final report and practice model to anyone, without log-in "
        "(small counts hidden).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:final", args=[self.collaborative.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ReportSection(models.Model):
    """One narrative section of the final report; `key` ties it to the data shown beside it."""

    report = models.ForeignKey(FinalReport, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField("text", blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="unique_report_section")
        ]

    def __str__(self) -> str:
        return self.title


class Build(models.Model):
    """One export of a document, made outside the web request; the page polls its progress."""

    class Kind(models.TextChoices):
        FINAL = "final", "Final report"
        MODEL = "model", "Practice model"

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        HTML = "html", "HTML"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Building"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FINAL)
    format = models.CharField(max_length=10, choices=Format.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    output = models.BinaryField(null=True, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["collaborative", "kind", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.format} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def interrupted(self) -> bool:
        """Still unfinished long after it began: the server restarted while building it."""
        from datetime import timedelta

        return not self.finished and self.requested_at < timezone.now() - timedelta(minutes=15)

    @property
    def filename(self) -> str:
        stem = "final-report" if self.kind == self.Kind.FINAL else "practice-model"
        return f"{self.collaborative.slug}-{stem}.{self.format}"


class TeamStoryboard(models.Model):
    """A team's storyboard for a convening or up to a month: the words the team writes around
    its generated evidence (changes tested, charts, lessons)."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(
        "collaboratives.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The convening the storyboard is presented at.",
    )
    until_period = models.ForeignKey(
        "collaboratives.ReportingPeriod",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="data up to",
        help_text="Charts and cycles up to this month (empty: everything so far).",
    )
    title = models.CharField(max_length=200)
    aim = models.TextField(blank=True, help_text="The team's aim, in the team's words.")
    story = models.TextField("our story", blank=True, help_text="What the team set out to change.")
    changes = models.TextField(
        "changes we tested", blank=True, help_text="A few words around the list of ramps."
    )
    results = models.TextField("what the charts show", blank=True)
    lessons = models.TextField("lessons learned", blank=True)
    next_steps = models.TextField("next steps", blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    TEXT_FIELDS = ("title", "aim", "story", "changes", "results", "lessons", "next_steps")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team"], name="unique_team_storyboard")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "publications:storyboard", args=[self.team.collaborative.slug, self.team.slug]
        )


class PracticeModel(models.Model):
    """The practice model the collaborative's lessons became (e.g. the Crossover Youth Practice
    Model): phases, decision points and practices, each with its evidence."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    collaborative = models.OneToOneField(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="practice_model"
    )
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    package = models.ForeignKey(
        "changes.ChangePackage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The change-package version drafted from this model.",
    )
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:model", args=[self.collaborative.slug])


class Phase(models.Model):
    model = models.ForeignKey(PracticeModel, on_delete=models.CASCADE, related_name="phases")
    code = models.CharField(max_length=20, blank=True, help_text="e.g. Phase I")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}" if self.code else self.title


class Practice(models.Model):
    """A practice at a decision point of a phase, linked to the evidence it came from."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="practices")
    area = models.CharField(
        "practice area or decision point", max_length=200, help_text="e.g. Arrest and detention"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    nodes = models.ManyToManyField(
        "changes.ChangeNode",
        blank=True,
        related_name="+",
        verbose_name="change ideas",
        help_text="The change ideas whose adopted cycles are the practice's evidence.",
    )
    lessons = models.ManyToManyField("changes.Lesson", blank=True, related_name="+")
    fidelity_measure = models.ForeignKey(
        "measures.Measure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The measure that shows whether the practice is done as intended.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[nodes, lessons])

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title
