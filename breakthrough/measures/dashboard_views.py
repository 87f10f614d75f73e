"""The collaborative's dashboard of one measure: small multiples of every team, the pooled
chart, a funnel plot, and a grid of teams x measures with each team's latest signal.

Teams appear as the person may read them (`Standing.can_read_team`: with sharing on, teams see
each other; with it off, only their own); the pooled chart is an aggregate of every team.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.teams.access import teams_for_standing

from .access import get_measure_for_user, measures_for_standing
from .chart_views import export_response
from .charts import (
    chart_rows,
    funnel_chart,
    latest_signal_status,
    pooled_chart,
    small_multiples,
)

WINDOWS = [(3, "Last 3 months"), (6, "Last 6 months"), (12, "Last 12 months"), (36, "36 months")]


def _window(request) -> int:
    try:
        value = int(request.GET.get("window", 6))
    except ValueError:
        return 6
    return value if value in dict(WINDOWS) else 6


MARKS = {
    "improvement": "▲",
    "deterioration": "▼",
    "special_cause": "◆",
    "common_cause": "●",
    "not_enough_data": "○",
}


def signal_grid(standing) -> tuple[list, list]:
    """(measures, rows of (team, [cell])) for the teams the person may read; a cell is None
    (no chart) or the team's latest signal linking to its chart; the 1,500 cells of a large
    collaborative are built here rather than in the template."""
    c = standing.collaborative
    measures = [
        m for m in measures_for_standing(standing).filter(owner_team__isnull=True) if m.is_numeric
    ]
    teams = [t for t in teams_for_standing(standing).order_by("name") if standing.can_read_team(t)]
    statuses = latest_signal_status(c, viewer_standing=standing, team_ids={t.pk for t in teams})
    pattern = reverse("measures:team_chart", args=[c.slug, "TEAM", "CODE"])
    rows = []
    for t in teams:
        cells = []
        for m in measures:
            s = statuses.get((t.pk, m.pk))
            if s is None:
                cells.append('<td><span class="muted">—</span></td>')
                continue
            url = pattern.replace("TEAM", t.slug).replace("CODE", m.code)
            cells.append(
                f'<td><a href="{escape(url)}"><span class="signal {escape(s["status"])}">'
                f'<span class="mark" aria-hidden="true">{MARKS.get(s["status"], "○")}</span>'
                f"{escape(s['label'])}</span></a></td>"
            )
        rows.append((t, mark_safe("".join(cells))))
    return measures, rows


@login_required
def measure_dashboard(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    measure = get_measure_for_user(standing, code)
    c = standing.collaborative
    window = _window(request)
    multiples = small_multiples(c, measure, viewer_standing=standing)
    pooled = pooled_chart(c, measure, viewer_standing=standing)
    funnel = funnel_chart(c, measure, viewer_standing=standing, window=window)
    measures, grid = signal_grid(standing)
    return render(
        request,
        "measures/dashboard.html",
        {
            "standing": standing,
            "collaborative": c,
            "measure": measure,
            "multiples": multiples,
            "pooled": pooled,
            "funnel": funnel,
            "pooled_rows": chart_rows(pooled),
            "funnel_rows": [r for r in chart_rows(funnel) if r.get("shown")],
            "window": window,
            "windows": WINDOWS,
            "grid_measures": measures,
            "grid": grid,
            "sharing": c.teams_share_work,
        },
    )


@login_required
def dashboard_export(request: HttpRequest, slug: str, code: str, fmt: str) -> HttpResponse:
    """Every readable team's values of the measure and the pooled series, with centre lines,
    limits and signals."""
    standing = get_standing_for_user(request.user, slug)
    measure = get_measure_for_user(standing, code)
    c = standing.collaborative
    rows = [
        {**r, "measure": measure.code}
        for r in chart_rows(small_multiples(c, measure, viewer_standing=standing))
    ]
    rows += [
        {**r, "team": "All teams (pooled)", "measure": measure.code}
        for r in chart_rows(pooled_chart(c, measure, viewer_standing=standing))
    ]
    return export_response(rows, fmt, f"{c.slug}-{measure.code}", measure.code)
