"""Action periods: monthly team reports, assessment on the scale, reminders and learning sessions.

Aggregate data only: a report holds a team's statuses and narrative, never a young person's record.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

# Scores run from 0.5 to 5.0 in half steps (BRIEF §4).
SCORE_VALUES = [Decimal(n) / 2 for n in range(1, 11)]
SCORE_CHOICES = [(v, f"{v:.1f}") for v in SCORE_VALUES]


def validate_score(value: Decimal) -> None:
    if value is None:
        return
    if Decimal(value) not in SCORE_VALUES:
        raise ValidationError(f"A score is a value from 0.5 to 5.0 in steps of 0.5, not {value}.")


class ReportSettings(models.Model):
    """How a collaborative runs its action periods: scorers, sharing and the reminder cadence."""

    class Sharing(models.TextChoices):
        PRIVATE = "private", "Only the team and faculty"
        NARRATIVE = "narrative", "Other teams read narratives and component statuses"
        ALL = "all", "Other teams read narratives, statuses and scores"

    collaborative = models.OneToOneField(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="report_settings"
    )
    scorers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="Faculty who score every report. Empty: the director and the improvement "
        "advisor.",
    )
    sharing = models.CharField(
        max_length=20,
        choices=Sharing.choices,
        default=Sharing.PRIVATE,
        help_text="What other teams may read of a team's monthly reports (teams that keep their "
        "work faculty-only are never shown).",
    )
    hide_half_point = models.BooleanField(
        "hide 0.5 on the scale",
        default=False,
        help_text="Some collaboratives start the scale at 1.0.",
    )
    gap_threshold = models.DecimalField(
        max_digits=2,
        decimal_places=1,
        default=Decimal("1.0"),
        help_text="Flag a report when the self-score and the faculty score differ by this much.",
    )
    reminders_enabled = models.BooleanField(default=True)
    remind_days_before = models.CharField(
        max_length=50,
        default="7,1",
        help_text="Days before the due date when the data contact and day-to-day lead are "
        "reminded, comma-separated.",
    )
    reported_list_day = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=1,
        help_text="Day after the due date when every team gets the list of teams that have "
        "reported. Empty: never.",
    )
    overdue_days = models.CharField(
        max_length=50,
        default="2,3",
        help_text="Days after the due date when coaches and faculty get the list of teams that "
        "have not reported, comma-separated.",
    )
    senior_leader_day = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=3,
        help_text="Day after the due date when a late team's senior leader is told. Empty: never.",
    )
    weekly_digest = models.BooleanField(
        default=True,
        help_text="After that, a weekly overdue digest to each coach until the team reports or "
        "records a skip reason.",
    )
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[scorers])

    class Meta:
        verbose_name_plural = "report settings"

    def __str__(self) -> str:
        return f"Report settings of {self.collaborative}"

    @staticmethod
    def parse_days(text: str) -> list[int]:
        return sorted({int(p) for p in text.replace(" ", "").split(",") if p}, reverse=True)

    @property
    def days_before(self) -> list[int]:
        return self.parse_days(self.remind_days_before)

    @property
    def days_overdue(self) -> list[int]:
        return sorted(self.parse_days(self.overdue_days))


class AssessmentScale(models.Model):
    """One version of a collaborative's assessment scale; every edit makes a new version."""

    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="scales"
    )
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200, default="Assessment scale")
    note = models.CharField(max_length=300, blank=True, help_text="What changed in this version.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaborative", "version"], name="unique_scale_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ScaleLevel(models.Model):
    """One step of the scale: its value, label and definition (editable default text)."""

    scale = models.ForeignKey(AssessmentScale, on_delete=models.CASCADE, related_name="levels")
    value = models.DecimalField(max_digits=2, decimal_places=1, validators=[validate_score])
    label = models.CharField(max_length=100)
    definition = models.TextField()
    local_notes = models.TextField(
        blank=True, help_text="How this collaborative reads the level, e.g. its key measures."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="unique_scale_level")
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"


class MonthlyReport(models.Model):
    """A team's monthly report for one reporting period."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        REOPENED = "reopened", "Reopened"
        SKIPPED = "skipped", "Skipped"

    EDITABLE_STATES = frozenset({"draft", "reopened"})

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="reports")
    period = models.ForeignKey(
        "collaboratives.ReportingPeriod", on_delete=models.CASCADE, related_name="reports"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    revision = models.PositiveIntegerField(default=1)
    achievements = models.TextField(blank=True)
    learning = models.TextField("what we learned", blank=True)
    barriers = models.TextField(blank=True)
    help_needed = models.TextField(blank=True)
    self_score = models.DecimalField(
        "self-assessment",
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[validate_score],
    )
    self_justification = models.TextField("why this score", blank=True)
    skip_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    leader_acknowledged_at = models.DateTimeField(null=True, blank=True)
    reconciled_at = models.DateTimeField(null=True, blank=True)
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["period__start", "team__name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "period"], name="unique_report_team_period")
        ]
        indexes = [models.Index(fields=["period", "state"])]

    def __str__(self) -> str:
        return f"{self.team} — {self.period}"

    def get_absolute_url(self) -> str:
        return reverse(
            "reports:detail",
            args=[
                self.team.collaborative.slug,
                self.team.slug,
                self.period.start.strftime("%Y-%m"),
            ],
        )

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED

    def submitted_late(self, tz) -> bool:
        """Submitted (first time) after the end of the due day in the collaborative's time zone."""
        when = self.first_submitted_at or self.submitted_at
        return bool(when and timezone.localtime(when, tz).date() > self.period.due_on)


class ReportRevision(models.Model):
    """What a report said when it was submitted (one row per submission), kept when reopened."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField()
    content = models.JSONField(help_text="The narrative, statuses and self-score as submitted.")
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["report", "revision"], name="unique_report_revision")
        ]

    def __str__(self) -> str:
        return f"{self.report} revision {self.revision}"


class ComponentStatus(models.Model):
    """The team's status for one change-package component (or change idea) in a report."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        TESTING = "testing", "Testing"
        IMPLEMENTING = "implementing", "Implementing"
        SPREADING = "spreading", "Spreading"
        ABANDONED = "abandoned", "Abandoned"

    report = models.ForeignKey(
        MonthlyReport, on_delete=models.CASCADE, related_name="component_statuses"
    )
    node = models.ForeignKey("changes.ChangeNode", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    suggested_status = models.CharField(
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text="What the team's PDSA cycles suggest when the report was started.",
    )
    notes = models.CharField(max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "component statuses"
        constraints = [
            models.UniqueConstraint(fields=["report", "node"], name="unique_report_node_status")
        ]

    def __str__(self) -> str:
        return f"{self.node}: {self.get_status_display()}"


class Assessment(models.Model):
    """A score on the assessment scale: the team's own, one faculty scorer's, or the agreed one."""

    class Kind(models.TextChoices):
        SELF = "self", "Self-assessment"
        FACULTY = "faculty", "Faculty score"
        RECONCILED = "reconciled", "Reconciled faculty score"

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scale = models.ForeignKey(
        AssessmentScale,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version of the scale the score was given on.",
    )
    score = models.DecimalField(max_digits=2, decimal_places=1, validators=[validate_score])
    justification = models.TextField(blank=True)
    comments = models.TextField(blank=True)
    suggestions = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "kind", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "assessor"], name="unique_assessment_per_assessor"
            ),
            models.UniqueConstraint(
                fields=["report", "kind"],
                condition=models.Q(kind__in=["self", "reconciled"]),
                name="unique_self_and_reconciled",
            ),
        ]
        indexes = [models.Index(fields=["kind", "report"])]

    def __str__(self) -> str:
        return f"{self.report}: {self.get_kind_display()} {self.score}"


class Presenter(models.Model):
    """A team chosen by faculty to present at a learning session, usually from a strong report."""

    event = models.ForeignKey(
        "collaboratives.Event", on_delete=models.CASCADE, related_name="presenters"
    )
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="presentations")
    report = models.ForeignKey(
        MonthlyReport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The report that made faculty pick the team.",
    )
    topic = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "team__name"]
        constraints = [models.UniqueConstraint(fields=["event", "team"], name="unique_presenter")]

    def __str__(self) -> str:
        return f"{self.team} at {self.event}"


def material_path(instance: SessionMaterial, filename: str) -> str:
    return f"sessions/{instance.event_id}/materials/{filename}"


def storyboard_path(instance: Storyboard, filename: str) -> str:
    return f"sessions/{instance.event_id}/storyboards/{instance.team_id}/{filename}"


class SessionMaterial(models.Model):
    """Slides, handouts or links for a learning session."""

    event = models.ForeignKey(
        "collaboratives.Event", on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=material_path, blank=True)
    url = models.URLField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.file and not self.url:
            raise ValidationError("Attach a file or give a link.")


class Storyboard(models.Model):
    """A team's storyboard (poster or slides) for a convening, uploaded as a file."""

    class Review(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting review"
        CHANGES = "changes", "Changes requested"
        APPROVED = "approved", "Approved"

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="storyboards")
    event = models.ForeignKey(
        "collaboratives.Event", on_delete=models.CASCADE, related_name="storyboards"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=storyboard_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    review_status = models.CharField(
        max_length=20, choices=Review.choices, default=Review.SUBMITTED
    )
    review_notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["team__name", "-uploaded_at"]
        constraints = [models.UniqueConstraint(fields=["team", "event"], name="unique_storyboard")]

    def __str__(self) -> str:
        return f"{self.title} ({self.team})"
