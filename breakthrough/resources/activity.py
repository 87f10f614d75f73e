"""Resources in the activity feed and the engagement grid."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, DateField
from django.db.models.functions import TruncMonth

from breakthrough.collaboratives.access import Standing
from breakthrough.collaboratives.activity import ActivityItem
from breakthrough.collaboratives.engagement import Cell

from .models import Resource


def resource_items(standing: Standing, before: datetime | None, limit: int) -> list[ActivityItem]:
    if not (standing.is_staff or standing.is_member or standing.is_observer):
        return []
    resources = Resource.objects.filter(collaborative=standing.collaborative)
    if before:
        resources = resources.filter(created_at__lt=before)
    resources = resources.select_related("collaborative", "team", "uploaded_by").order_by(
        "-created_at"
    )[:limit]
    return [
        ActivityItem(
            when=r.created_at,
            kind="resource",
            verb="shared in the library",
            title=r.title,
            url=r.get_absolute_url(),
            actor=r.uploaded_by.display_name if r.uploaded_by else "",
            team=r.team.name if r.team else "",
            detail=r.get_kind_display(),
        )
        for r in resources
    ]


def resource_cells(collaborative) -> dict[tuple[int, date], Cell]:
    rows = (
        Resource.objects.filter(collaborative=collaborative, team__isnull=False)
        .annotate(month=TruncMonth("created_at", output_field=DateField(), tzinfo=collaborative.tz))
        .values("team", "month")
        .annotate(n=Count("id"))
    )
    return {(r["team"], r["month"]): Cell(r["n"], str(r["n"])) for r in rows}
