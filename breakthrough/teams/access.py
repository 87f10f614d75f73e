from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from breakthrough.collaboratives.access import Standing

from .models import Team


def get_team_for_user(
    standing: Standing, slug: str, *, write: bool = False, manage: bool = False
) -> Team:
    """A team of the standing's collaborative that the person may read (or change).

    404 when the person may not even know the team's work; 403 when they may read but not change.
    """
    try:
        team = Team.objects.select_related("collaborative", "jurisdiction").get(
            collaborative=standing.collaborative, slug=slug
        )
    except Team.DoesNotExist:
        raise Http404("No such team.") from None
    if manage and not standing.can_manage_team(team):
        raise PermissionDenied("Only the team's leads and collaborative staff may change this.")
    if write and not standing.can_edit_team(team):
        raise PermissionDenied("Only members of this team and collaborative staff may change it.")
    return team


def teams_for_standing(standing: Standing) -> QuerySet[Team]:
    """Every team of the collaborative (their names, agencies and members are not secret)."""
    return Team.objects.filter(collaborative=standing.collaborative).select_related("jurisdiction")


def readable_team_ids(standing: Standing) -> set[int]:
    """Teams whose work (PDSAs, charts, narratives) the person may read."""
    return {t.pk for t in teams_for_standing(standing) if standing.can_read_team(t)}
