"""Who may read and change the publications (rules in docs/dissemination.md).

- Final report and practice model: the director, improvement advisor, chair and staff
  coordinator change them; all staff (faculty, coaches), sponsor observers and evaluators read
  them; team members read them once published. Others get a 404 from the collaborative.
- Storyboards: the team's members (and staff) change them; other teams read them only when the
  collaborative shares work and the team shares with it.
- The public page: anyone, only when the report is published and its public page is switched on.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from breakthrough.collaboratives.access import Standing

EDITOR_ROLES = frozenset({"director", "advisor", "chair", "staff"})


def may_edit_publications(standing: Standing) -> bool:
    return standing.is_admin or bool(standing.roles & EDITOR_ROLES)


def may_read_publications(standing: Standing, *, published: bool) -> bool:
    if standing.is_staff or standing.is_observer or standing.is_evaluator:
        return True
    return standing.is_member and published


def check_publications(standing: Standing, *, published: bool, write: bool = False) -> None:
    if write and not may_edit_publications(standing):
        raise PermissionDenied("Only the collaborative's director and staff change this.")
    if not may_read_publications(standing, published=published):
        raise PermissionDenied("This is shown to team members once it is published.")


def get_final_report_for_user(standing: Standing, *, write: bool = False):
    """The collaborative's final report (None when none is generated yet)."""
    from .models import FinalReport

    report = FinalReport.objects.filter(collaborative=standing.collaborative).first()
    check_publications(standing, published=bool(report and report.is_published), write=write)
    return report


def get_section_for_user(standing: Standing, pk: int, *, write: bool = False):
    from .models import ReportSection

    report = get_final_report_for_user(standing, write=write)
    if report is None:
        raise Http404("The final report has not been generated.")
    try:
        return report.sections.get(pk=pk)
    except ReportSection.DoesNotExist:
        raise Http404("No such section.") from None


def get_practice_model_for_user(standing: Standing, *, write: bool = False):
    from .models import PracticeModel

    model = PracticeModel.objects.filter(collaborative=standing.collaborative).first()
    check_publications(
        standing,
        published=bool(model and model.status == PracticeModel.Status.PUBLISHED),
        write=write,
    )
    return model


def get_build_for_user(standing: Standing, pk: int):
    from .models import Build

    check_publications(standing, published=False, write=True)
    try:
        return Build.objects.select_related("collaborative").get(
            pk=pk, collaborative=standing.collaborative
        )
    except Build.DoesNotExist:
        raise Http404("No such export.") from None


def get_storyboard_team_for_user(standing: Standing, team_slug: str, *, write: bool = False):
    """The team whose storyboard is asked for, if the person may read (or change) it."""
    from breakthrough.teams.models import Team

    try:
        team = Team.objects.select_related("collaborative", "jurisdiction").get(
            collaborative=standing.collaborative, slug=team_slug
        )
    except Team.DoesNotExist:
        raise Http404("No such team.") from None
    if not standing.can_read_team(team):
        raise Http404("No such team.")
    if write and not standing.can_edit_team(team):
        raise PermissionDenied("Only the team's members change its storyboard.")
    return team
