"""Pages for the activity feed (everyone who reads the collaborative's shared work) and the
engagement grid (staff)."""

from __future__ import annotations

from datetime import datetime
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import activity, engagement
from .access import get_standing_for_user

PAGE = 40


@login_required
def activity_feed(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    if not (standing.is_staff or standing.is_member or standing.is_observer):
        raise PermissionDenied("Evaluators see aggregate data only.")
    kind = request.GET.get("kind", "")
    kinds = [kind] if kind in activity.SOURCES else None
    before: datetime | None = parse_datetime(request.GET.get("before", "") or "")
    if before is not None and timezone.is_naive(before):
        before = timezone.make_aware(before)
    items = activity.feed(standing, before=before, limit=PAGE, kinds=kinds)
    tz = standing.collaborative.tz
    days = [
        (day, list(group))
        for day, group in groupby(items, key=lambda i: timezone.localtime(i.when, tz).date())
    ]
    return render(
        request,
        "collaboratives/activity.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "days": days,
            "kinds": [(s.kind, s.label) for s in activity.sources()],
            "kind": kind if kinds else "",
            "older": items[-1].when.isoformat() if len(items) == PAGE else "",
            "before": before,
        },
    )


@login_required
def engagement_grid(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug, staff=True)
    c = standing.collaborative
    teams = list(c.teams.select_related("jurisdiction").order_by("name"))
    months = engagement.collaborative_months(c)
    grids = [engagement.team_grid(m, c, teams, months) for m in engagement.metrics()]
    flagged = sorted({row.team.name for grid in grids for row in grid.rows if row.declining})
    return render(
        request,
        "collaboratives/engagement.html",
        {
            "standing": standing,
            "collaborative": c,
            "grids": grids,
            "months": months,
            "flagged": flagged,
        },
    )
