from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Jurisdiction(models.Model):
    """A county, city or tribal nation. One jurisdiction fields one team per collaborative."""

    class Kind(models.TextChoices):
        URBAN = "urban", "Urban"
        SUBURBAN = "suburban", "Urban/suburban"
        MIXED = "mixed", "Small city and rural"
        RURAL = "rural", "Rural"
        FRONTIER = "frontier", "Frontier rural"
        TRIBAL = "tribal", "Tribal nation"

    name = models.CharField(max_length=200, unique=True)
    region = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_fictional = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A public or community body in a jurisdiction; members and data come from agencies."""

    class System(models.TextChoices):
        JUVENILE_JUSTICE = "juvenile_justice", "Juvenile justice"
        CHILD_WELFARE = "child_welfare", "Child welfare"
        COURT = "court", "Court"
        EDUCATION = "education", "Education"
        BEHAVIORAL_HEALTH = "behavioral_health", "Behavioural health"
        LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
        COMMUNITY = "community", "Community organisation"
        TRIBAL_GOVERNMENT = "tribal_government", "Tribal government"
        OTHER = "other", "Other"

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="agencies"
    )
    name = models.CharField(max_length=200)
    system = models.CharField(max_length=30, choices=System.choices)
    data_steward = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="unique_agency_name")
        ]

    def __str__(self) -> str:
        return self.name


class DataSharingAgreement(models.Model):
    """An MOU or protocol that lets agencies link their own records (the platform never does)."""

    class Kind(models.TextChoices):
        MOU = "mou", "Memorandum of understanding"
        PROTOCOL = "protocol", "Protocol"
        COURT_ORDER = "court_order", "Court order"
        TRIBAL_STATE = "tribal_state", "Tribal-state agreement"

    class Status(models.TextChoices):
        NONE = "none", "None"
        DRAFTING = "drafting", "Drafting"
        SIGNED = "signed", "Signed"
        IN_USE = "in_use", "In use"

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MOU)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFTING)
    signed_on = models.DateField(null=True, blank=True)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="agreements")
    notes = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=[agencies])

    class Meta:
        ordering = ["jurisdiction__name", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.status in {self.Status.SIGNED, self.Status.IN_USE} and not self.signed_on:
            raise ValidationError({"signed_on": "A signed agreement needs the date it was signed."})


class Team(models.Model):
    """A jurisdiction's multi-agency improvement team in one collaborative."""

    class Status(models.TextChoices):
        FORMING = "forming", "Forming"
        ACTIVE = "active", "Active"
        WITHDRAWN = "withdrawn", "Withdrawn"
        COMPLETED = "completed", "Completed"

    class Visibility(models.TextChoices):
        COLLABORATIVE = "collaborative", "Other teams in the collaborative"
        FACULTY_ONLY = "faculty_only", "Faculty and staff only"

    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="teams"
    )
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=50)
    code = models.CharField(max_length=10, blank=True, help_text="Short code, e.g. BW.")
    aim = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    joined_on = models.DateField(null=True, blank=True)
    data_visibility = models.CharField(
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.COLLABORATIVE,
        help_text="Who outside the team sees its PDSAs, charts and narratives.",
    )
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["collaborative", "slug"], name="unique_team_slug"),
            models.UniqueConstraint(
                fields=["collaborative", "jurisdiction"], name="one_team_per_jurisdiction"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:detail", args=[self.collaborative.slug, self.slug])

    @property
    def shares_with_collaborative(self) -> bool:
        return self.data_visibility == self.Visibility.COLLABORATIVE


class Membership(models.Model):
    """A person on a team, from one agency, with one or more team roles."""

    class Partner(models.TextChoices):
        NONE = "", "—"
        YOUTH = "youth", "Youth partner"
        FAMILY = "family", "Family partner"

    ROLE_LABELS = {
        "senior_leader": "senior leader",
        "day_to_day_lead": "day-to-day lead",
        "data_contact": "data contact",
        "member": "member",
    }

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    is_senior_leader = models.BooleanField("senior leader / sponsor", default=False)
    is_day_to_day_lead = models.BooleanField("day-to-day lead", default=False)
    is_data_contact = models.BooleanField("data contact", default=False)
    partner = models.CharField(max_length=10, choices=Partner.choices, blank=True, default="")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_senior_leader", "-is_day_to_day_lead", "-is_data_contact", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.person} on {self.team}"

    @property
    def role_codes(self) -> list[str]:
        codes = [
            code
            for code, flag in (
                ("senior_leader", self.is_senior_leader),
                ("day_to_day_lead", self.is_day_to_day_lead),
                ("data_contact", self.is_data_contact),
            )
            if flag
        ]
        return codes or ["member"]

    @property
    def role_labels(self) -> list[str]:
        return [self.ROLE_LABELS[c] for c in self.role_codes]

    @property
    def is_active(self) -> bool:
        return self.ended_on is None
