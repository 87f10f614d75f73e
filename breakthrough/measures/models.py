from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Stratifier(models.Model):
    """A way to split a measure's aggregates, e.g. race/ethnicity, with its categories."""

    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="stratifiers"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    categories = models.JSONField(
        default=list, help_text="Ordered list of {code, label}; include an 'unknown' category."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["collaborative", "code"], name="unique_stratifier")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def category_codes(self) -> list[str]:
        return [c["code"] for c in self.categories]


class Measure(models.Model):
    """A measure definition shared by the collaborative (or custom to one team).

    Values are aggregates only: counts or numerator/denominator pairs per team, period and stratum.
    """

    class Kind(models.TextChoices):
        OUTCOME = "outcome", "Outcome"
        PROCESS = "process", "Process"
        BALANCING = "balancing", "Balancing"
        STRUCTURE = "structure", "Structure"

    class DataType(models.TextChoices):
        PROPORTION = "proportion", "Proportion (numerator / denominator)"
        RATE = "rate", "Rate (count per area of opportunity)"
        COUNT = "count", "Count"
        CONTINUOUS = "continuous", "Continuous value"
        RARE_EVENT = "rare_event", "Time or cases between rare events"
        RATIO = "ratio", "Ratio derived from other measures"
        TEXT = "text", "Narrative text"
        SCORE = "score", "Score on the assessment scale"

    NUMERIC_TYPES = frozenset({"proportion", "rate", "count", "continuous", "rare_event"})

    class Direction(models.TextChoices):
        UP = "up", "Higher is better"
        DOWN = "down", "Lower is better"
        TARGET = "target", "Closer to the goal is better"
        WATCH = "watch", "Watch (no direction)"

    class Scope(models.TextChoices):
        MANDATORY = "mandatory", "Mandatory"
        OPTIONAL = "optional", "Optional"
        CUSTOM = "custom", "Team custom"
        DERIVED = "derived", "Derived"

    class GoalBasis(models.TextChoices):
        ABSOLUTE = "absolute", "An absolute value"
        BASELINE_RATIO = "baseline_ratio", "A multiple of the team's baseline"
        BASELINE_OFFSET = "baseline_offset", "The team's baseline plus or minus an amount"

    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="measures"
    )
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    data_type = models.CharField(max_length=20, choices=DataType.choices)
    definition = models.TextField("operational definition", blank=True)
    numerator_definition = models.TextField(blank=True)
    denominator_definition = models.TextField(blank=True)
    multiplier = models.FloatField(
        default=1,
        help_text="Shown per this many units, e.g. 100 for percent, 1000 for per 1,000 days.",
    )
    unit = models.CharField(max_length=40, blank=True, help_text="e.g. %, per 1,000 days")
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.UP)
    goal = models.FloatField(null=True, blank=True)
    goal_basis = models.CharField(
        max_length=20, choices=GoalBasis.choices, default=GoalBasis.ABSOLUTE
    )
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.MANDATORY)
    owner_team = models.ForeignKey(
        "teams.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="custom_measures",
        help_text="Only for team custom measures: the team that owns and sees it.",
    )
    stratifiers = models.ManyToManyField(Stratifier, blank=True, related_name="measures")
    lag_months = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=200, blank=True)
    basis = models.TextField(blank=True, help_text="Why this measure; published evidence.")
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    effective_from = models.DateField(null=True, blank=True)
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[stratifiers])

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["collaborative", "code"], name="unique_measure_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.scope == self.Scope.CUSTOM and not self.owner_team_id:
            raise ValidationError({"owner_team": "A team custom measure needs its owning team."})
        if self.scope != self.Scope.CUSTOM and self.owner_team_id:
            raise ValidationError({"owner_team": "Only team custom measures belong to one team."})
        if self.multiplier <= 0:
            raise ValidationError({"multiplier": "The multiplier must be greater than 0."})

    @property
    def goal_text(self) -> str:
        """The goal as people say it: '≥ 75%', '≤ 0.75 × baseline', '≥ baseline + 15 points'."""
        if self.goal is None:
            return ""
        sign = {"up": "≥ ", "down": "≤ "}.get(self.direction, "")
        if self.goal_basis == self.GoalBasis.BASELINE_RATIO:
            return f"{sign}{self.goal:g} × the team's baseline"
        if self.goal_basis == self.GoalBasis.BASELINE_OFFSET:
            points = " points" if self.unit == "%" else ""
            plus = "+" if self.goal >= 0 else "−"
            return f"{sign}the team's baseline {plus} {abs(self.goal):g}{points}"
        unit = "%" if self.unit == "%" else f" {self.unit}" if self.unit else ""
        return f"{sign}{self.goal:g}{unit}"

    @property
    def is_numeric(self) -> bool:
        return self.data_type in self.NUMERIC_TYPES

    @property
    def has_denominator(self) -> bool:
        return self.data_type in {"proportion", "rate"}


class TeamMeasure(models.Model):
    """A measure a team reports, with an optional team goal."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="team_measures")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="team_measures")
    active = models.BooleanField(default=True)
    goal_override = models.FloatField(null=True, blank=True)
    goal_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure__order", "measure__code"]
        constraints = [
            models.UniqueConstraint(fields=["team", "measure"], name="unique_team_measure")
        ]

    def __str__(self) -> str:
        return f"{self.team} — {self.measure}"


class MeasureValue(models.Model):
    """One aggregate data point: a team's value of a measure for a period (and stratum).

    `stratum` is "" for the total, else "<stratifier code>:<category code>". A zero denominator
    means "no eligible youth this month": a gap on the chart, not a zero.
    """

    # No index of their own for team and measure: the unique constraint starts with team, the
    # (measure, period) index with measure. Every index slows a 100,000-value import.
    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="values", db_index=False
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="values", db_index=False
    )
    period = models.ForeignKey(
        "collaboratives.ReportingPeriod", on_delete=models.CASCADE, related_name="values"
    )
    stratum = models.CharField(max_length=80, blank=True, default="")
    value = models.FloatField(null=True, blank=True)
    numerator = models.PositiveIntegerField(null=True, blank=True)
    denominator = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)

    # The history table takes a row for every value an import writes: it keeps the indexes its
    # pages read by (id, date, team for the collaborative, user) and no foreign-key check of
    # the user (Django still sets it to null when a user is deleted).
    history = HistoricalRecords(
        no_db_index=["measure", "period", "entered_by"], user_db_constraint=False
    )

    class Meta:
        ordering = ["period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "measure", "period", "stratum"], name="unique_measure_value"
            ),
        ]
        indexes = [models.Index(fields=["measure", "period"])]

    def __str__(self) -> str:
        return f"{self.team} {self.measure.code} {self.period}"

    def clean(self) -> None:
        if (
            self.measure.data_type == Measure.DataType.PROPORTION
            and self.numerator is not None
            and self.denominator is not None
            and self.numerator > self.denominator
        ):
            raise ValidationError(
                {
                    "numerator": f"The numerator ({self.numerator}) cannot exceed the denominator "
                    f"({self.denominator})."
                }
            )

    @property
    def rate(self) -> float | None:
        """The plotted value: numerator/denominator, or the value itself."""
        if self.numerator is not None and self.denominator:
            return self.numerator / self.denominator
        if self.denominator == 0:
            return None
        return self.value


class ChartNote(models.Model):
    """A person's note on one period of a team's chart: shown on the chart and in its table."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="chart_notes")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="chart_notes")
    period = models.ForeignKey(
        "collaboratives.ReportingPeriod", on_delete=models.CASCADE, related_name="chart_notes"
    )
    text = models.CharField("note", max_length=500)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["period__start", "created_at", "id"]
        indexes = [models.Index(fields=["team", "measure"])]

    def __str__(self) -> str:
        return f"{self.team} {self.measure.code} {self.period}: {self.text[:40]}"


class ChartPhase(models.Model):
    """A baseline freeze or a new phase on a team's chart, with who decided it and why.

    A baseline ends at `period` (its centre line and limits come from the periods up to and
    including it and are extended beyond); a phase starts at `period` and gets its own limits.
    Withdrawn rows stay for the record and no longer shape the chart.
    """

    class Kind(models.TextChoices):
        BASELINE = "baseline", "Baseline frozen (last baseline month)"
        PHASE = "phase", "New phase (first month of the phase)"

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="chart_phases")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="chart_phases")
    period = models.ForeignKey(
        "collaboratives.ReportingPeriod", on_delete=models.CASCADE, related_name="chart_phases"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["period__start", "kind", "id"]
        indexes = [models.Index(fields=["team", "measure"])]

    def __str__(self) -> str:
        return f"{self.team} {self.measure.code} {self.get_kind_display()} {self.period}"


class Submission(models.Model):
    """A team's monthly data submission for one reporting period, with its state.

    not started → draft (values saved) → submitted (the coach is told) → reopened (who and why
    recorded; the coach is told again) → submitted … A period the team will not report is
    skipped with a reason. Every change is kept in the history.
    """

    class State(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        SKIPPED = "skipped", "Skipped"
        REOPENED = "reopened", "Reopened"

    EDITABLE_STATES = frozenset({"not_started", "draft", "reopened"})

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="submissions")
    period = models.ForeignKey(
        "collaboratives.ReportingPeriod", on_delete=models.CASCADE, related_name="submissions"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.NOT_STARTED)
    skip_reason = models.CharField(max_length=300, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.CharField(max_length=300, blank=True)
    confirmed_jumps = models.JSONField(
        default=list, blank=True, help_text="Unusual changes the submitter confirmed as right."
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["period__start", "team__name"]
        constraints = [models.UniqueConstraint(fields=["team", "period"], name="unique_submission")]

    def __str__(self) -> str:
        return f"{self.team} {self.period}: {self.get_state_display()}"

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES
