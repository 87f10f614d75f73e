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
