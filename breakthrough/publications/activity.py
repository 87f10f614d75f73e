"""Storyboards in the collaborative's activity feed."""

from __future__ import annotations

from datetime import datetime

from breakthrough.collaboratives.access import Standing
from breakthrough.collaboratives.activity import ActivityItem
from breakthrough.teams.access import readable_team_ids

from .models import TeamStoryboard


def storyboard_items(standing: Standing, before: datetime | None, limit: int) -> list[ActivityItem]:
    """Storyboards saved, for those who may read the team's work (its title only)."""
    if not (standing.is_staff or standing.is_member or standing.is_observer):
        return []
    boards = (
        TeamStoryboard.objects.filter(
            team__collaborative=standing.collaborative,
            team_id__in=readable_team_ids(standing),
        )
        .select_related("team__collaborative", "updated_by")
        .order_by("-updated_at")
    )
    if before:
        boards = boards.filter(updated_at__lt=before)
    return [
        ActivityItem(
            when=b.updated_at,
            kind="storyboard",
            verb="updated the storyboard",
            title=b.title,
            url=b.get_absolute_url(),
            actor=b.updated_by.display_name if b.updated_by else "",
            team=b.team.name,
        )
        for b in boards[:limit]
    ]
