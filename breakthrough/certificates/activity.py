"""Capstones in the activity feed."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from breakthrough.collaboratives.access import Standing
from breakthrough.collaboratives.activity import ActivityItem

from .access import programs_for_standing
from .models import Capstone


def capstone_items(standing: Standing, before: datetime | None, limit: int) -> list[ActivityItem]:
    """Capstones submitted and accepted, for those who may read the team's work."""
    if not (standing.is_staff or standing.is_member or standing.is_observer):
        return []
    capstones = Capstone.objects.filter(
        program__in=programs_for_standing(standing), team__collaborative=standing.collaborative
    ).exclude(submitted_at__isnull=True)
    if before:
        capstones = capstones.filter(Q(submitted_at__lt=before) | Q(reviewed_at__lt=before))
    capstones = capstones.select_related(
        "team__collaborative", "team__jurisdiction", "submitted_by", "reviewed_by", "program"
    ).order_by("-submitted_at")[: limit * 2]
    items = []
    for c in capstones:
        if not standing.can_read_team(c.team):
            continue
        if c.submitted_at and (before is None or c.submitted_at < before):
            items.append(
                ActivityItem(
                    when=c.submitted_at,
                    kind="capstone",
                    verb="submitted the capstone",
                    title=c.title,
                    url=c.get_absolute_url(),
                    actor=c.submitted_by.display_name if c.submitted_by else "",
                    team=c.team.name,
                    detail=c.program.title,
                )
            )
        if (
            c.status == Capstone.Status.ACCEPTED
            and c.reviewed_at
            and (before is None or c.reviewed_at < before)
        ):
            items.append(
                ActivityItem(
                    when=c.reviewed_at,
                    kind="capstone",
                    verb=f"accepted the capstone of {c.team.name}:",
                    title=c.title,
                    url=c.get_absolute_url(),
                    actor=c.reviewed_by.display_name if c.reviewed_by else "",
                    detail="Its cycles are planned on the team's PDSA board.",
                )
            )
    items.sort(key=lambda i: i.when, reverse=True)
    return items[:limit]
