from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from breakthrough.collaboratives.access import get_standing_for_user

from .access import measures_for_standing


@login_required
def measure_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The collaborative's measure set with operational definitions."""
    standing = get_standing_for_user(request.user, slug)
    measures = (
        measures_for_standing(standing)
        .select_related("owner_team")
        .prefetch_related("stratifiers")
        .annotate(n_teams=Count("team_measures", filter=Q(team_measures__active=True)))
    )
    return render(
        request,
        "measures/measure_list.html",
        {"standing": standing, "collaborative": standing.collaborative, "measures": measures},
    )
