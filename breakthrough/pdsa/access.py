"""Who may see and change tests of change.

The team edits its cycles; staff edit all; other teams (and sponsor observers) read them when the
collaborative shares work and the team does not keep it faculty-only, and may clone them into a
team of their own; nobody outside the collaborative sees anything (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from breakthrough.collaboratives.access import Standing
from breakthrough.teams.access import readable_team_ids, teams_for_standing
from breakthrough.teams.models import Team

from .models import CycleAttachment, PDSACycle, Ramp


def get_cycle_for_user(standing: Standing, cycle_id: int, *, write: bool = False) -> PDSACycle:
    """A cycle the person may read (404 otherwise), or change (403 when they may only read)."""
    try:
        cycle = PDSACycle.objects.select_related(
            "team__collaborative", "team__jurisdiction", "ramp__change_node", "cloned_from__team"
        ).get(pk=cycle_id, team__collaborative=standing.collaborative)
    except PDSACycle.DoesNotExist:
        raise Http404("No such PDSA cycle.") from None
    if not standing.can_read_team(cycle.team):
        raise Http404("No such PDSA cycle.")
    if write and not standing.can_edit_team(cycle.team):
        raise PermissionDenied("Only members of this team and collaborative staff may change it.")
    return cycle


def get_ramp_for_user(standing: Standing, ramp_id: int, *, write: bool = False) -> Ramp:
    try:
        ramp = Ramp.objects.select_related("team__collaborative", "change_node").get(
            pk=ramp_id, team__collaborative=standing.collaborative
        )
    except Ramp.DoesNotExist:
        raise Http404("No such ramp.") from None
    if not standing.can_read_team(ramp.team):
        raise Http404("No such ramp.")
    if write and not standing.can_edit_team(ramp.team):
        raise PermissionDenied("Only members of this team and collaborative staff may change it.")
    return ramp


def get_attachment_for_user(
    standing: Standing, cycle: PDSACycle, attachment_id: int
) -> CycleAttachment:
    """An attachment of a cycle already fetched through get_cycle_for_user."""
    try:
        return cycle.attachments.get(pk=attachment_id)
    except CycleAttachment.DoesNotExist:
        raise Http404("No such attachment.") from None


def get_team_work_for_user(standing: Standing, team_slug: str) -> Team:
    """A team whose work (cycles, ramps) the person may read; 404 otherwise."""
    try:
        team = Team.objects.select_related("collaborative", "jurisdiction").get(
            collaborative=standing.collaborative, slug=team_slug
        )
    except Team.DoesNotExist:
        raise Http404("No such team.") from None
    if not standing.can_read_team(team):
        raise Http404("No such team.")
    return team


def readable_cycles(standing: Standing) -> QuerySet[PDSACycle]:
    """Every cycle of the collaborative the person may read."""
    return PDSACycle.objects.filter(
        team__collaborative=standing.collaborative, team_id__in=readable_team_ids(standing)
    )


def readable_teams(standing: Standing) -> list[Team]:
    return [t for t in teams_for_standing(standing) if standing.can_read_team(t)]


def clone_target_teams(standing: Standing) -> list[Team]:
    """Teams a person may clone a cycle into: their own, or any team for staff."""
    return [t for t in teams_for_standing(standing) if standing.can_edit_team(t)]
