"""Who may see and do what in a certificate program.

- Staff, team members and sponsor observers of a collaborative that runs or shares a program
  see it (its modules, sessions and roster); evaluators do not.
- The running collaborative's managers set it up (program, modules, sessions).
- Staff enrol participants from their own collaborative's teams, record attendance, review
  capstones and issue certificates.
- A capstone is read by whoever may read the team's work and written by the team and staff.
- A certificate is downloaded by its holder and by staff; its verification page is public.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from breakthrough.collaboratives.access import Standing, get_standing_for_user, standing_for
from breakthrough.teams.access import get_team_for_user

from .models import Capstone, Certificate, Enrolment, Program


def get_program_standing(user, slug: str) -> Standing:
    standing = get_standing_for_user(user, slug)
    if not (standing.is_staff or standing.is_member or standing.is_observer):
        raise PermissionDenied("Evaluators see aggregate data only.")
    return standing


def programs_for_standing(standing: Standing) -> QuerySet[Program]:
    c = standing.collaborative
    return Program.objects.filter(Q(collaborative=c) | Q(shared_with=c)).distinct()


def may_manage_program(standing: Standing, program: Program) -> bool:
    return standing.can_manage and program.collaborative_id == standing.collaborative.pk


def get_program_for_user(
    standing: Standing, pk: int, *, manage: bool = False, staff: bool = False
) -> Program:
    """A program the person's collaborative runs or shares. `manage=True` to change its set-up
    (managers of the running collaborative), `staff=True` for enrolment, attendance and review."""
    program = programs_for_standing(standing).select_related("collaborative").filter(pk=pk).first()
    if program is None:
        raise Http404("No such certificate program.")
    if manage and not may_manage_program(standing, program):
        raise PermissionDenied("Only the running collaborative's director, faculty or staff may.")
    if staff and not standing.is_staff:
        raise PermissionDenied("Only collaborative staff may do this.")
    return program


def enrolments_for_staff(standing: Standing, program: Program) -> QuerySet[Enrolment]:
    """Enrolments a staff member works with: all of them in the running collaborative,
    their own collaborative's teams in a sharing one."""
    enrolments = program.enrolments.all()
    if program.collaborative_id != standing.collaborative.pk:
        enrolments = enrolments.filter(team__collaborative=standing.collaborative)
    return enrolments


def get_capstone_team(standing: Standing, program: Program, team_slug: str, *, write: bool = False):
    """The team whose capstone is asked for: 404 when its work is not readable, 403 when the
    person may read but not write it."""
    team = get_team_for_user(standing, team_slug)
    if not standing.can_read_team(team):
        raise Http404("No such capstone.")
    if write and not standing.can_edit_team(team):
        raise PermissionDenied("Only the team's members and collaborative staff may change it.")
    return team


def capstone_or_none(program: Program, team) -> Capstone | None:
    return Capstone.objects.filter(program=program, team=team).first()


def get_certificate_for_user(user, code: str) -> Certificate:
    """A certificate for its holder (even after leaving the collaborative) or for staff of a
    collaborative running or sharing the program; 404 for anyone else."""
    certificate = (
        Certificate.objects.select_related(
            "enrolment__program__collaborative",
            "enrolment__person",
            "enrolment__invitation__accepted_by",
            "enrolment__team",
        )
        .filter(code=code)
        .first()
    )
    if certificate is None:
        raise Http404("No such certificate.")
    holder = certificate.enrolment.participant
    if holder is not None and holder.pk == user.pk:
        return certificate
    program = certificate.enrolment.program
    for collaborative in [program.collaborative, *program.shared_with.all()]:
        if standing_for(user, collaborative).is_staff:
            return certificate
    raise Http404("No such certificate.")
