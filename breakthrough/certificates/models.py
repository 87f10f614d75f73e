"""The Certificate Program (BRIEF §1.4): modules tied to the change package, sessions with
attendance, a capstone action plan per jurisdiction team, and verifiable certificates."""

from __future__ import annotations

import math
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

# Crockford's base32 without I, L, O, U: codes read aloud or typed from paper stay unambiguous.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class Program(models.Model):
    """A certificate program with its cohort, dates and place, run by one collaborative and
    optionally shared with others whose teams take part."""

    collaborative = models.ForeignKey(
        "collaboratives.Collaborative",
        on_delete=models.CASCADE,
        related_name="certificate_programs",
        help_text="The collaborative that runs the program.",
    )
    shared_with = models.ManyToManyField(
        "collaboratives.Collaborative",
        blank=True,
        related_name="shared_certificate_programs",
        help_text="Other collaboratives whose teams take part.",
    )
    title = models.CharField(max_length=200)
    cohort = models.CharField(max_length=100, help_text="e.g. July 2008 cohort.")
    description = models.TextField(blank=True)
    start = models.DateField()
    end = models.DateField()
    place = models.CharField(max_length=200)
    sponsors = models.ManyToManyField(
        "collaboratives.Organisation", blank=True, related_name="certificate_programs"
    )
    min_attendance = models.PositiveSmallIntegerField(
        "attendance required (%)",
        default=80,
        validators=[MaxValueValidator(100)],
        help_text="Share of the sessions a participant must attend to complete the program.",
    )
    capstone_required = models.BooleanField(
        default=True, help_text="The participant's team must have its capstone accepted."
    )
    signatories = models.TextField(
        blank=True,
        help_text="Who signs the certificates: one per line, the name, a comma, then the title.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[shared_with, sponsors])

    class Meta:
        ordering = ["-start", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.cohort})"

    def get_absolute_url(self) -> str:
        return reverse("certificates:program", args=[self.collaborative.slug, self.pk])

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The program cannot end before it starts."})

    @property
    def signatory_list(self) -> list[tuple[str, str]]:
        out = []
        for line in self.signatories.splitlines():
            if line.strip():
                name, _, title = line.partition(",")
                out.append((name.strip(), title.strip()))
        return out

    def ordered_sponsors(self) -> list:
        """The sponsors in the running collaborative's own order (conveners first)."""
        rank = {
            co.organisation_id: i
            for i, co in enumerate(self.collaborative.collaborativeorganisation_set.all())
        }
        return sorted(self.sponsors.all(), key=lambda o: (rank.get(o.pk, len(rank)), o.name))

    def sessions_required(self, total: int) -> int:
        return math.ceil(total * self.min_attendance / 100)


class Module(models.Model):
    """A unit of the curriculum and the change-package components it teaches."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    objectives = models.TextField(help_text="What participants can do after the module.")
    materials = models.TextField(
        blank=True, help_text="Readings, slides and tools (Markdown; links welcome)."
    )
    components = models.ManyToManyField(
        "changes.ChangeNode", blank=True, related_name="certificate_modules"
    )
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[components])

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"Module {self.order}: {self.title}"


class Session(models.Model):
    """A meeting of the program: an event on the collaborative's calendar (kind
    certificate_program), whose attendance is the calendar's attendance."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    event = models.OneToOneField(
        "collaboratives.Event", on_delete=models.CASCADE, related_name="certificate_session"
    )
    module = models.ForeignKey(
        Module, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["event__start", "event_id"]

    def __str__(self) -> str:
        return str(self.event)


class Enrolment(models.Model):
    """A participant, by jurisdiction team and agency. People without an account are invited
    through the collaborative's invitation flow; the enrolment follows the invitation."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", "Enrolled"
        WITHDRAWN = "withdrawn", "Withdrawn"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificate_enrolments",
    )
    invitation = models.ForeignKey(
        "accounts.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="certificate_enrolments"
    )
    agency = models.ForeignKey(
        "teams.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    full_name = models.CharField(max_length=150)
    email = models.EmailField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ENROLLED)
    enrolled_at = models.DateTimeField(default=timezone.now)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["team__name", "agency__name", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "email"], name="unique_enrolment_email"),
            models.UniqueConstraint(
                fields=["program", "person"],
                condition=models.Q(person__isnull=False),
                name="unique_enrolment_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} in {self.program}"

    @property
    def participant(self):
        """The person, once they have an account (an accepted invitation counts)."""
        if self.person_id:
            return self.person
        if self.invitation_id and self.invitation.accepted_by_id:
            return self.invitation.accepted_by
        return None

    @property
    def is_pending(self) -> bool:
        return self.participant is None


class Capstone(models.Model):
    """A jurisdiction team's action plan: the first PDSA cycles it will run on returning home.

    When faculty accept it, each planned cycle becomes a real planned cycle on the team's
    PDSA board.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned for changes"
        ACCEPTED = "accepted", "Accepted"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="capstones")
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="capstones")
    title = models.CharField(max_length=200, default="Our action plan")
    summary = models.TextField(
        blank=True,
        help_text="What the team will change on returning home, and why: the problem, the aim, "
        "who leads.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(blank=True)
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["team__name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "team"], name="one_capstone_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "certificates:capstone",
            args=[self.team.collaborative.slug, self.program_id, self.team.slug],
        )

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}


class PlannedCycle(models.Model):
    """One of the first cycles in a capstone, tied to a change-package node."""

    capstone = models.ForeignKey(Capstone, on_delete=models.CASCADE, related_name="cycles")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200, help_text="e.g. Hand-match one day's intake list.")
    objective = models.TextField(help_text="What the cycle will find out.")
    node = models.ForeignKey(
        "changes.ChangeNode",
        null=True,
        on_delete=models.SET_NULL,
        related_name="capstone_cycles",
        verbose_name="change idea or component",
    )
    planned_start = models.DateField(null=True, blank=True)
    pdsa_cycle = models.OneToOneField(
        "pdsa.PDSACycle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="capstone_plan",
        help_text="The planned cycle on the team's PDSA board, once the capstone is accepted.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


def new_certificate_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(text: str) -> str:
    """A typed code in its canonical form: upper case, O read as 0, I and L as 1, grouped."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    raw = raw.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(raw) != 12:
        return raw
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Certificate(models.Model):
    """A certificate of completion. Its code lets anyone check it on the public page."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(max_length=20, unique=True, default=new_certificate_code)
    holder_name = models.CharField(max_length=150)
    program_title = models.CharField(max_length=300)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"Certificate {self.code} for {self.holder_name}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    def get_verify_url(self) -> str:
        return reverse("certificates:verify-code", args=[self.code])
