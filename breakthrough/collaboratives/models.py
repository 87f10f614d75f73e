from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

# Words a collaborative may rename (BRIEF §1.6): CJJR says "Adjust" where IHI says "Act",
# and JJ-CW calls a team a "Jurisdiction team".
DEFAULT_VOCABULARY = {
    "team": "Team",
    "teams": "Teams",
    "act": "Act",
    "pdsa": "PDSA",
    "learning_session": "Learning session",
}


class Organisation(models.Model):
    """A sponsor, convener, funder or partner organisation."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", "University or research centre"
        FOUNDATION = "foundation", "Foundation"
        GOVERNMENT = "government", "Government agency"
        NONPROFIT = "nonprofit", "Non-profit organisation"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    url = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Collaborative(models.Model):
    """One Breakthrough Series Collaborative."""

    class Phase(models.TextChoices):
        PLANNING = "planning", "Planning"
        PREWORK = "prework", "Prework"
        ACTIVE = "active", "Active"
        CLOSING = "closing", "Closing"
        HOLDING_GAINS = "holding_gains", "Holding the gains"
        ARCHIVED = "archived", "Archived"

    class RuleSet(models.TextChoices):
        ANHOEJ = "anhoej", "Anhøj rules"
        IHI = "ihi", "IHI run-chart rules"
        PROVOST = "provost", "Provost & Murray control-chart rules"
        MDC = "mdc", "NHS Making Data Count"
        WESTERN_ELECTRIC = "western_electric", "Western Electric rules"
        NELSON = "nelson", "Nelson rules"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=50, unique=True)
    topic = models.CharField(max_length=200, blank=True)
    mission = models.TextField(blank=True)
    aim_statement = models.TextField(blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.PLANNING)
    vocabulary = models.JSONField(default=dict, blank=True)
    rule_set = models.CharField(max_length=20, choices=RuleSet.choices, default=RuleSet.ANHOEJ)
    teams_share_work = models.BooleanField(
        default=True,
        help_text="Teams see each other's PDSAs and charts: all teach, all learn.",
    )
    suppression_threshold = models.PositiveSmallIntegerField(
        default=5, help_text="Counts below this are shown as '<N' outside the team and faculty."
    )
    time_zone = models.CharField(max_length=64, default="America/New_York")
    is_demo = models.BooleanField(default=False)

    organisations = models.ManyToManyField(
        Organisation, through="CollaborativeOrganisation", related_name="collaboratives"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collaboratives:detail", args=[self.slug])

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The end date must be on or after the start date."})
        if self.time_zone not in zoneinfo.available_timezones():
            raise ValidationError({"time_zone": f"Unknown time zone {self.time_zone!r}."})

    @property
    def vocab(self) -> dict[str, str]:
        return {**DEFAULT_VOCABULARY, **(self.vocabulary or {})}

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class CollaborativeOrganisation(models.Model):
    """An organisation's role on a collaborative (convener, funder, partner)."""

    class Role(models.TextChoices):
        CONVENER = "convener", "Co-convener"
        FUNDER = "funder", "Funder"
        PARTNER = "partner", "Partner"

    collaborative = models.ForeignKey(Collaborative, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CONVENER)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaborative", "organisation", "role"], name="unique_organisation_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Aim(models.Model):
    """A numeric aim of the collaborative, e.g. 'every team identifies >= 75% at arrest'."""

    collaborative = models.ForeignKey(Collaborative, on_delete=models.CASCADE, related_name="aims")
    text = models.CharField(max_length=300)
    measure = models.ForeignKey(
        "measures.Measure", null=True, blank=True, on_delete=models.SET_NULL, related_name="aims"
    )
    target = models.FloatField(null=True, blank=True)
    by_date = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class StaffRole(models.Model):
    """A person's role on a collaborative, outside any team."""

    class Role(models.TextChoices):
        DIRECTOR = "director", "Collaborative director"
        ADVISOR = "advisor", "Improvement advisor"
        CHAIR = "chair", "Chair"
        FACULTY = "faculty", "Faculty"
        COACH = "coach", "Coach"
        STAFF = "staff", "Staff coordinator"
        OBSERVER = "observer", "Sponsor observer (read only)"
        EVALUATOR = "evaluator", "Evaluator (aggregate exports)"

    # Roles that run the collaborative: they see and change everything in it.
    STAFF_ROLES = frozenset({"director", "advisor", "chair", "faculty", "coach", "staff"})
    # Roles that may invite people and manage the roster.
    MANAGER_ROLES = frozenset({"director", "advisor", "chair", "faculty", "staff"})

    collaborative = models.ForeignKey(
        Collaborative, on_delete=models.CASCADE, related_name="staff_roles"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    title = models.CharField(
        max_length=150, blank=True, help_text="e.g. 'Co-chair (child welfare)'."
    )
    teams = models.ManyToManyField(
        "teams.Team", blank=True, related_name="coaches", help_text="Teams a coach looks after."
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[teams])

    class Meta:
        ordering = ["role", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaborative", "person", "role"], name="unique_staff_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.title or self.get_role_display()}"


class Event(models.Model):
    """A convening or other date on the collaborative calendar."""

    class Kind(models.TextChoices):
        EXPERT_MEETING = "expert_meeting", "Expert meeting"
        PLANNING_MEETING = "planning_meeting", "Planning meeting"
        CERTIFICATE_PROGRAM = "certificate_program", "Certificate Program session"
        LEARNING_SESSION = "learning_session", "Learning session"
        ACTION_PERIOD = "action_period", "Action period"
        ALL_TEAM_CALL = "all_team_call", "All-team call"
        COACHING_CALL = "coaching_call", "Coaching call"
        WEBINAR = "webinar", "Webinar"
        SITE_VISIT = "site_visit", "Site visit"
        FACULTY_MEETING = "faculty_meeting", "Faculty meeting"
        CLOSING_CONGRESS = "closing_congress", "Closing congress"

    CONVENINGS = frozenset({"certificate_program", "learning_session", "closing_congress"})

    collaborative = models.ForeignKey(
        Collaborative, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=200)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    join_link = models.URLField(blank=True)
    host_team = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="hosted_events"
    )
    objectives = models.TextField(blank=True)
    minutes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "kind", "id"]
        indexes = [models.Index(fields=["collaborative", "start"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collaboratives:event", args=[self.collaborative.slug, self.pk])

    def clean(self) -> None:
        if self.end and self.end < self.start:
            raise ValidationError({"end": "The event cannot end before it starts."})

    @property
    def last_day(self):
        return self.end or self.start


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    day = models.DateField(null=True, blank=True)
    time = models.TimeField(null=True, blank=True)
    title = models.CharField(max_length=200)
    lead = models.CharField(max_length=200, blank=True, help_text="Who leads this item.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "day", "time", "id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance"
    )
    attended = models.BooleanField(default=True)
    team = models.ForeignKey("teams.Team", null=True, blank=True, on_delete=models.SET_NULL)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="unique_attendance")
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.event}"


class ReportingPeriod(models.Model):
    """A month (or other span) for which teams report measures and a monthly report."""

    collaborative = models.ForeignKey(
        Collaborative, on_delete=models.CASCADE, related_name="periods"
    )
    label = models.CharField(max_length=40)
    start = models.DateField()
    end = models.DateField()
    due_on = models.DateField()
    is_baseline = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["collaborative", "start"], name="unique_period_start")
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.end < self.start:
            raise ValidationError({"end": "A period cannot end before it starts."})
        if self.due_on < self.start:
            raise ValidationError({"due_on": "The due date cannot fall before the period starts."})
