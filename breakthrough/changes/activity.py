"""Lessons in the collaborative's activity feed."""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone

from breakthrough.collaboratives.access import Standing
from breakthrough.collaboratives.activity import ActivityItem

from .access import visible_lessons


def lesson_items(standing: Standing, before: datetime | None, limit: int) -> list[ActivityItem]:
    """Lessons written and endorsed, as far as the person may see them."""
    if not (standing.is_staff or standing.is_member or standing.is_observer):
        return []
    tz = standing.collaborative.tz
    lessons = visible_lessons(standing).select_related("collaborative", "created_by", "endorsed_by")
    written = lessons.order_by("-created_at")
    endorsed = lessons.exclude(endorsed_on__isnull=True).order_by("-endorsed_on")
    if before:
        written = written.filter(created_at__lt=before)
        endorsed = endorsed.filter(endorsed_on__lte=timezone.localtime(before, tz).date())
    items = [
        ActivityItem(
            when=lesson.created_at,
            kind="lesson",
            verb="wrote the lesson",
            title=str(lesson),
            url=lesson.get_absolute_url(),
            actor=lesson.created_by.display_name if lesson.created_by else "",
        )
        for lesson in written[:limit]
    ]
    for lesson in endorsed[:limit]:
        when = timezone.make_aware(datetime.combine(lesson.endorsed_on, time(17, 0)), tz)
        if before is None or when < before:
            items.append(
                ActivityItem(
                    when=when,
                    kind="lesson",
                    verb="endorsed the lesson",
                    title=str(lesson),
                    url=lesson.get_absolute_url(),
                    actor=lesson.endorsed_by.display_name if lesson.endorsed_by else "Faculty",
                    all_day=True,
                )
            )
    items.sort(key=lambda i: i.when, reverse=True)
    return items[:limit]
