"""PDSA cycles in the collaborative's activity feed and the staff engagement grid."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from breakthrough.collaboratives.access import Standing
from breakthrough.collaboratives.activity import ActivityItem
from breakthrough.collaboratives.engagement import Cell

from .access import readable_cycles
from .models import PDSACycle


def _end_of_day(d: date, tz) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(17, 0)), tz)


def cycle_items(standing: Standing, before: datetime | None, limit: int) -> list[ActivityItem]:
    """Cycles planned and decided, for those who may read the team's work."""
    if not (standing.is_staff or standing.is_member or standing.is_observer):
        return []
    tz = standing.collaborative.tz
    cycles = readable_cycles(standing).select_related("team__collaborative", "created_by")
    planned = cycles.order_by("-created_at")
    decided = cycles.exclude(decided_on__isnull=True).exclude(decision="").order_by("-decided_on")
    if before:
        planned = planned.filter(created_at__lt=before)
        decided = decided.filter(decided_on__lte=timezone.localtime(before, tz).date())
    items = [
        ActivityItem(
            when=c.created_at,
            kind="cycle",
            verb="planned the PDSA cycle",
            title=f"{c.title} (cycle {c.cycle_no})",
            url=c.get_absolute_url(),
            actor=c.created_by.display_name if c.created_by else "",
            team=c.team.name,
        )
        for c in planned[:limit]
    ]
    for c in decided[:limit]:
        when = _end_of_day(c.decided_on, tz)
        if before is None or when < before:
            items.append(
                ActivityItem(
                    when=when,
                    kind="cycle",
                    verb=f"decided to {c.get_decision_display().lower()} after",
                    title=f"{c.title} (cycle {c.cycle_no})",
                    url=c.get_absolute_url(),
                    actor=c.team.name,
                    all_day=True,
                )
            )
    items.sort(key=lambda i: i.when, reverse=True)
    return items[:limit]


def cycle_cells(collaborative) -> dict[tuple[int, date], Cell]:
    """PDSA cycles started per team and month."""
    rows = (
        PDSACycle.objects.filter(team__collaborative=collaborative, start__isnull=False)
        .annotate(month=TruncMonth("start"))
        .values("team", "month")
        .annotate(n=Count("id"))
    )
    return {(r["team"], r["month"]): Cell(r["n"], str(r["n"])) for r in rows}
