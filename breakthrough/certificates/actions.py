"""Writes about certificate programs: set-up, enrolment, attendance, capstones, certificates."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from breakthrough.accounts.actions import do_invite_person
from breakthrough.collaboratives.access import active_membership_q
from breakthrough.collaboratives.models import Attendance, Event, StaffRole
from breakthrough.concurrency import save_versioned
from breakthrough.notifications.actions import absolute_url, do_send_email
from breakthrough.teams.models import Membership

from .completion import progress_for
from .models import Capstone, Certificate, Enrolment, Module, PlannedCycle, Program, Session

User = get_user_model()


class EnrolmentError(ValueError):
    """The person cannot be enrolled; the message says why."""


class CapstoneError(ValueError):
    """The capstone cannot move on; the message says what is missing."""


# Set-up -----------------------------------------------------------------------------------------

PROGRAM_FIELDS = [
    "title",
    "cohort",
    "description",
    "start",
    "end",
    "place",
    "min_attendance",
    "capstone_required",
    "signatories",
]


@transaction.atomic
def do_create_program(*, collaborative, sponsors=(), shared_with=(), **fields) -> Program:
    program = Program(collaborative=collaborative, **{k: fields[k] for k in fields})
    program.full_clean()
    program.save()
    program.sponsors.set(sponsors)
    program.shared_with.set([c for c in shared_with if c.pk != collaborative.pk])
    return program


@transaction.atomic
def do_update_program(
    program: Program, *, sponsors, shared_with, expected_version: int, **fields
) -> Program:
    for name in PROGRAM_FIELDS:
        if name in fields:
            setattr(program, name, fields[name])
    program.full_clean()
    save_versioned(program, expected_version, [f for f in PROGRAM_FIELDS if f in fields])
    program.sponsors.set(sponsors)
    program.shared_with.set([c for c in shared_with if c.pk != program.collaborative_id])
    return program


@transaction.atomic
def do_save_module(
    program: Program,
    *,
    module: Module | None = None,
    order: int,
    title: str,
    objectives: str,
    materials: str = "",
    components=(),
    expected_version: int | None = None,
) -> Module:
    """Add a module (module=None) or change one (EditConflict if it changed meanwhile)."""
    if module is None:
        module = Module.objects.create(
            program=program, order=order, title=title, objectives=objectives, materials=materials
        )
    else:
        module.order, module.title = order, title
        module.objectives, module.materials = objectives, materials
        save_versioned(module, expected_version or 0, ["order", "title", "objectives", "materials"])
    module.components.set(components)
    return module


@transaction.atomic
def do_add_session(
    program: Program,
    *,
    title: str,
    start: dt.date,
    end: dt.date | None = None,
    location: str = "",
    module: Module | None = None,
) -> Session:
    """A session is an event on the running collaborative's calendar."""
    event = Event.objects.create(
        collaborative=program.collaborative,
        kind=Event.Kind.CERTIFICATE_PROGRAM,
        title=title,
        start=start,
        end=end,
        location=location or program.place,
        objectives=module.objectives if module else "",
    )
    return Session.objects.create(program=program, event=event, module=module)


# Enrolment --------------------------------------------------------------------------------------


def _active_membership(team, email: str) -> Membership | None:
    return (
        Membership.objects.filter(team=team, person__email__iexact=email, person__is_active=True)
        .filter(active_membership_q())
        .select_related("person", "agency")
        .first()
    )


@transaction.atomic
def do_enrol_participant(
    *, program: Program, enrolled_by, team, full_name: str, email: str, agency=None
) -> Enrolment:
    """Enrol a participant of `team`. A current member is enrolled at once; anyone else is
    invited to join the team through the invitation flow, and the enrolment follows that
    invitation. Either way the person is told by e-mail."""
    email = email.strip().lower()
    if program.enrolments.filter(email__iexact=email).exists():
        raise EnrolmentError(f"{email} is already enrolled in this program.")
    if agency is not None and agency.jurisdiction_id != team.jurisdiction_id:
        raise EnrolmentError(f"{agency} is not an agency of {team.jurisdiction}.")
    membership = _active_membership(team, email)
    person = membership.person if membership else None
    if membership is not None and agency is None:
        agency = membership.agency
    if person is not None and program.enrolments.filter(person=person).exists():
        raise EnrolmentError(f"{person} is already enrolled in this program.")
    invitation = None
    if person is None:
        invitation = do_invite_person(
            inviter=enrolled_by,
            collaborative=team.collaborative,
            email=email,
            full_name=full_name,
            team=team,
            team_roles=[],
            agency=agency,
        )
    enrolment = Enrolment.objects.create(
        program=program,
        person=person,
        invitation=invitation,
        team=team,
        agency=agency,
        full_name=(person.display_name if person else full_name.strip()) or email,
        email=email,
        enrolled_by=enrolled_by,
    )
    do_send_email(
        to=email,
        template="certificates/email/enrolled",
        context={
            "enrolment": enrolment,
            "program": program,
            "invited": invitation is not None,
            "link": absolute_url(program.get_absolute_url()),
            "sessions": list(program.sessions.select_related("event", "module")),
        },
        kind="certificate_enrolment",
        collaborative=team.collaborative,
        person=person,
    )
    return enrolment


@transaction.atomic
def do_withdraw_enrolment(enrolment: Enrolment) -> Enrolment:
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.save(update_fields=["status"])
    return enrolment


def _bind(enrolment: Enrolment) -> None:
    """Record the person on an enrolment whose invitation has been accepted."""
    if enrolment.person_id is None and enrolment.participant is not None:
        enrolment.person = enrolment.participant
        enrolment.save(update_fields=["person"])


# Attendance -------------------------------------------------------------------------------------


@transaction.atomic
def do_record_attendance(
    session: Session, *, enrolments: list[Enrolment], present_ids: set[int], recorded_by=None
) -> list[Certificate]:
    """Mark each enrolled participant present or absent at a session (the calendar's
    attendance), then issue the certificates this completes."""
    for enrolment in enrolments:
        person = enrolment.participant
        if person is None or enrolment.status != Enrolment.Status.ENROLLED:
            continue
        _bind(enrolment)
        Attendance.objects.update_or_create(
            event=session.event,
            person=person,
            defaults={"attended": enrolment.pk in present_ids, "team": enrolment.team},
        )
    return do_issue_certificates(session.program, issued_by=recorded_by)


# Capstones --------------------------------------------------------------------------------------


@transaction.atomic
def do_save_capstone(
    *,
    program: Program,
    team,
    capstone: Capstone | None,
    title: str,
    summary: str,
    cycles: list[dict],
    expected_version: int | None = None,
) -> Capstone:
    """Save the team's capstone draft: its plan and its planned cycles (replacing them)."""
    if capstone is None:
        capstone = Capstone.objects.create(program=program, team=team, title=title, summary=summary)
    else:
        if not capstone.is_editable:
            raise CapstoneError("This capstone has been submitted; it can no longer be edited.")
        capstone.title, capstone.summary = title, summary
        save_versioned(capstone, expected_version or 0, ["title", "summary"])
    capstone.cycles.all().delete()
    PlannedCycle.objects.bulk_create(
        PlannedCycle(
            capstone=capstone,
            order=i,
            title=c["title"],
            objective=c["objective"],
            node=c["node"],
            planned_start=c.get("planned_start"),
        )
        for i, c in enumerate(cycles, start=1)
    )
    return capstone


def _reviewers(capstone: Capstone):
    coaches = StaffRole.objects.filter(
        collaborative=capstone.team.collaborative, role=StaffRole.Role.COACH, teams=capstone.team
    ).filter(active_membership_q())
    reviewers = [r.person for r in coaches.select_related("person")]
    if not reviewers:
        managers = StaffRole.objects.filter(
            collaborative=capstone.program.collaborative,
            role__in=[StaffRole.Role.DIRECTOR, StaffRole.Role.FACULTY],
        ).filter(active_membership_q())
        reviewers = [r.person for r in managers.select_related("person")]
    return {p.pk: p for p in reviewers if p.email}.values()


@transaction.atomic
def do_submit_capstone(capstone: Capstone, *, by) -> Capstone:
    if not capstone.is_editable:
        raise CapstoneError("This capstone is already submitted.")
    if not capstone.summary.strip():
        raise CapstoneError("Describe the plan before submitting it.")
    if not capstone.cycles.exists():
        raise CapstoneError("Plan at least one PDSA cycle before submitting the capstone.")
    capstone.status = Capstone.Status.SUBMITTED
    capstone.submitted_at = timezone.now()
    capstone.submitted_by = by
    capstone.save(update_fields=["status", "submitted_at", "submitted_by"])
    link = absolute_url(capstone.get_absolute_url())
    for person in _reviewers(capstone):
        do_send_email(
            to=person.email,
            template="certificates/email/capstone_submitted",
            context={"capstone": capstone, "by": by, "link": link},
            kind="capstone_submitted",
            collaborative=capstone.team.collaborative,
            person=person,
            dedupe_key=f"capstone-submitted:{capstone.pk}:{capstone.submitted_at:%s}:{person.pk}",
        )
    return capstone


def _plan_cycles(capstone: Capstone, *, by) -> None:
    """Put each planned cycle of an accepted capstone on the team's PDSA board, as cycle 1 of
    a new ramp in the Plan stage (the team completes its questions and predictions there)."""
    from breakthrough.pdsa.actions import do_plan_cycle

    author = capstone.submitted_by or by
    for planned in capstone.cycles.select_related("node").filter(pdsa_cycle__isnull=True):
        if planned.node is None:
            raise CapstoneError(
                f"Cycle {planned.order} “{planned.title}” has no change idea any more; "
                "return the capstone so the team can choose one."
            )
        try:
            planned.pdsa_cycle = do_plan_cycle(
                author=author,
                team=capstone.team,
                title=planned.title,
                objective=planned.objective,
                nodes=[planned.node],
                planned_start=planned.planned_start,
            )
        except ValidationError as error:
            raise CapstoneError(f"Cycle {planned.order}: {' '.join(error.messages)}") from None
        planned.save(update_fields=["pdsa_cycle"])


@transaction.atomic
def do_review_capstone(capstone: Capstone, *, by, accept: bool, note: str = "") -> Capstone:
    """Accept the capstone (its cycles go on the team's PDSA board and completed participants
    get their certificates) or return it to the team with a note."""
    if capstone.status != Capstone.Status.SUBMITTED:
        raise CapstoneError("Only a submitted capstone can be reviewed.")
    if not accept and not note.strip():
        raise CapstoneError("Say what the team should change when returning a capstone.")
    capstone.status = Capstone.Status.ACCEPTED if accept else Capstone.Status.RETURNED
    capstone.reviewed_at = timezone.now()
    capstone.reviewed_by = by
    capstone.review_note = note
    capstone.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_note"])
    if accept:
        _plan_cycles(capstone, by=by)
        do_issue_certificates(capstone.program, issued_by=by)
    else:
        link = absolute_url(capstone.get_absolute_url())
        for enrolment in capstone.program.enrolments.filter(
            team=capstone.team, status=Enrolment.Status.ENROLLED
        ).select_related("person", "invitation__accepted_by"):
            do_send_email(
                to=enrolment.email,
                template="certificates/email/capstone_returned",
                context={"capstone": capstone, "by": by, "note": note, "link": link},
                kind="capstone_returned",
                collaborative=capstone.team.collaborative,
                person=enrolment.participant,
            )
    return capstone


# Certificates -----------------------------------------------------------------------------------


@transaction.atomic
def do_issue_certificates(program: Program, *, issued_by=None, when=None) -> list[Certificate]:
    """Issue a certificate to every enrolled participant who has completed the program and has
    none yet, and e-mail them. Returns the new certificates."""
    enrolments = list(
        program.enrolments.filter(status=Enrolment.Status.ENROLLED, certificate__isnull=True)
        .select_related("person", "invitation__accepted_by", "team__collaborative")
        .order_by("id")
    )
    progress = progress_for(program, enrolments)
    issued = []
    for enrolment in enrolments:
        person = enrolment.participant
        if person is None or not progress[enrolment.pk].complete:
            continue
        _bind(enrolment)
        certificate = Certificate.objects.create(
            enrolment=enrolment,
            holder_name=person.display_name,
            program_title=program.title,
            issued_by=issued_by,
            issued_at=when or timezone.now(),
        )
        issued.append(certificate)
        do_send_email(
            to=person.email or enrolment.email,
            template="certificates/email/certificate_issued",
            context={
                "certificate": certificate,
                "program": program,
                "download": absolute_url(reverse("certificates:download", args=[certificate.code])),
                "verify": absolute_url(certificate.get_verify_url()),
            },
            kind="certificate_issued",
            collaborative=enrolment.team.collaborative,
            person=person,
            dedupe_key=f"certificate:{certificate.code}",
        )
    return issued


@transaction.atomic
def do_revoke_certificate(certificate: Certificate, *, reason: str) -> Certificate:
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate
