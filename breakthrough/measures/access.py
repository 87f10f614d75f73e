from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from breakthrough.collaboratives.access import Standing

from .models import Measure


def measures_for_standing(standing: Standing) -> QuerySet[Measure]:
    """The collaborative's measures the person may see: a team's custom measures are its own."""
    measures = Measure.objects.filter(collaborative=standing.collaborative)
    if not standing.is_staff:
        measures = measures.filter(
            Q(owner_team__isnull=True) | Q(owner_team_id__in=standing.team_ids)
        )
    return measures


def get_measure_for_user(standing: Standing, code: str) -> Measure:
    """One measure by code, if the person may see it (404 otherwise)."""
    measure = (
        measures_for_standing(standing)
        .select_related("owner_team")
        .prefetch_related("stratifiers")
        .filter(code=code)
        .first()
    )
    if measure is None:
        raise Http404(f"No measure {code!r} in this collaborative.")
    return measure


def data_contact_team_ids(standing: Standing) -> frozenset[int]:
    """Teams on which the person is an active data contact (cached on the standing)."""
    if "data_contact_team_ids" not in standing._cache:
        from breakthrough.collaboratives.access import active_membership_q
        from breakthrough.teams.models import Membership

        ids: frozenset[int] = frozenset()
        if standing.team_ids:
            ids = frozenset(
                Membership.objects.filter(
                    team_id__in=standing.team_ids, person=standing.user, is_data_contact=True
                )
                .filter(active_membership_q())
                .values_list("team_id", flat=True)
            )
        standing._cache["data_contact_team_ids"] = ids
    return standing._cache["data_contact_team_ids"]


def can_read_entry(standing: Standing, team) -> bool:
    """The data-entry pages show true counts: the team itself and staff only."""
    return team.collaborative_id == standing.collaborative.pk and standing.sees_true_counts(team)


def can_enter_data(standing: Standing, team) -> bool:
    """Enter, save and submit values: staff, the team's leads and its data contacts."""
    if team.collaborative_id != standing.collaborative.pk:
        return False
    return (
        standing.is_staff
        or team.pk in standing.lead_team_ids
        or team.pk in data_contact_team_ids(standing)
    )


def can_reopen_data(standing: Standing, team) -> bool:
    """Reopen submitted data or skip a month: staff and the team's leads."""
    if team.collaborative_id != standing.collaborative.pk:
        return False
    return standing.is_staff or team.pk in standing.lead_team_ids


ENTRY_RULES = {"read": can_read_entry, "enter": can_enter_data, "reopen": can_reopen_data}
ENTRY_REFUSALS = {
    "enter": "Only the team's data contacts and leads, and collaborative staff, enter its data.",
    "reopen": "Only the team's leads and collaborative staff may reopen or skip a month.",
}


def get_entry_team_for_user(standing: Standing, team_slug: str, *, may: str = "read"):
    """The team whose data the person may read (404) and, for `may`, change (403)."""
    from django.core.exceptions import PermissionDenied

    from breakthrough.teams.models import Team

    team = (
        Team.objects.select_related("collaborative")
        .filter(collaborative=standing.collaborative, slug=team_slug)
        .first()
    )
    if team is None or not can_read_entry(standing, team):
        raise Http404("No such team.")
    if may != "read" and not ENTRY_RULES[may](standing, team):
        raise PermissionDenied(ENTRY_REFUSALS[may])
    return team


def get_period_for_month(standing: Standing, month: str):
    """The collaborative's reporting period starting in `month` ('2024-01'), or 404."""
    from datetime import date

    from breakthrough.collaboratives.models import ReportingPeriod

    try:
        year, mon = (int(p) for p in month.split("-"))
        start = date(year, mon, 1)
    except ValueError:
        raise Http404("No such reporting period.") from None
    period = ReportingPeriod.objects.filter(
        collaborative=standing.collaborative, start__year=start.year, start__month=start.month
    ).first()
    if period is None:
        raise Http404("No such reporting period.")
    return period
