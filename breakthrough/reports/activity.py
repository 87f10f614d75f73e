"""Monthly reports in the collaborative's activity feed and the staff engagement grid."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from breakthrough.collaboratives.access import Standing
from breakthrough.collaboratives.activity import ActivityItem
from breakthrough.collaboratives.engagement import Cell
from breakthrough.teams.access import readable_team_ids

from .models import MonthlyReport


def report_items(standing: Standing, before: datetime | None, limit: int) -> list[ActivityItem]:
    """Reports submitted, for those who may read the team's work.

    That a team reported is not its narrative: the item names the month only.
    """
    if not (standing.is_staff or standing.is_member or standing.is_observer):
        return []
    reports = (
        MonthlyReport.objects.filter(
            team__collaborative=standing.collaborative,
            team_id__in=readable_team_ids(standing),
            submitted_at__isnull=False,
        )
        .select_related("team__collaborative", "period", "submitted_by")
        .order_by("-submitted_at")
    )
    if before:
        reports = reports.filter(submitted_at__lt=before)
    return [
        ActivityItem(
            when=r.submitted_at,
            kind="report",
            verb="submitted the monthly report for",
            title=r.period.label + (f" (revision {r.revision})" if r.revision > 1 else ""),
            url=r.get_absolute_url(),
            actor=r.submitted_by.display_name if r.submitted_by else "",
            team=r.team.name,
        )
        for r in reports[:limit]
    ]


def on_time_cells(collaborative) -> dict[tuple[int, date], Cell]:
    """Per team and reporting month: 1 when the report came by its due date, else 0.

    A month past its due date with no report counts as missing (0); skipped months and months
    not yet due are left out.
    """
    tz = collaborative.tz
    today = timezone.localdate(timezone=tz)
    reports = {
        (team_id, period_id): (state, first)
        for team_id, period_id, state, first in MonthlyReport.objects.filter(
            team__collaborative=collaborative, period__is_baseline=False
        ).values_list("team_id", "period_id", "state", "first_submitted_at")
    }
    periods = collaborative.periods.filter(is_baseline=False).values_list("pk", "start", "due_on")
    team_ids = list(collaborative.teams.values_list("pk", flat=True))
    cells: dict[tuple[int, date], Cell] = {}
    for period_id, start, due_on in periods:
        month = date(start.year, start.month, 1)
        for team_id in team_ids:
            state, first = reports.get((team_id, period_id), ("", None))
            if state == MonthlyReport.State.SKIPPED:
                continue
            if first is not None:
                on_time = timezone.localtime(first, tz).date() <= due_on
                cells[(team_id, month)] = Cell(float(on_time), "on time" if on_time else "late")
            elif due_on < today:
                cells[(team_id, month)] = Cell(0.0, "missing")
    return cells
