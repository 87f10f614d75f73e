"""Discussion posts and coaching notes in the activity feed and the engagement grid."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, DateField, Min
from django.db.models.functions import TruncMonth

from breakthrough.collaboratives.access import Standing
from breakthrough.collaboratives.activity import ActivityItem
from breakthrough.collaboratives.engagement import Cell

from .access import may_read_discussions, notes_for_standing
from .markup import plain_text
from .models import Post


def post_items(standing: Standing, before: datetime | None, limit: int) -> list[ActivityItem]:
    if not may_read_discussions(standing):
        return []
    posts = Post.objects.filter(thread__collaborative=standing.collaborative)
    if before:
        posts = posts.filter(created_at__lt=before)
    posts = posts.select_related("thread__collaborative", "author", "author_team").order_by(
        "-created_at"
    )[:limit]
    opened = dict(
        Post.objects.filter(thread__in={p.thread_id for p in posts})
        .values("thread")
        .annotate(first=Min("created_at"))
        .values_list("thread", "first")
    )
    return [
        ActivityItem(
            when=p.created_at,
            kind="post",
            verb="started the thread" if opened.get(p.thread_id) == p.created_at else "replied in",
            title=p.thread.title,
            url=p.get_absolute_url(),
            actor=p.author.display_name if p.author else "",
            team=p.author_team.name if p.author_team else "",
            detail=plain_text(p.body, 160),
        )
        for p in posts
    ]


def note_items(standing: Standing, before: datetime | None, limit: int) -> list[ActivityItem]:
    if not may_read_discussions(standing):
        return []
    notes = notes_for_standing(standing)
    if before:
        notes = notes.filter(created_at__lt=before)
    notes = notes.select_related("team__collaborative", "author").order_by("-created_at")[:limit]
    return [
        ActivityItem(
            when=n.created_at,
            kind="note",
            verb=f"wrote a coaching note for {n.team.name}:",
            title=n.subject,
            url=n.get_absolute_url(),
            actor=n.author.display_name if n.author else "",
        )
        for n in notes
    ]


def post_cells(collaborative) -> dict[tuple[int, date], Cell]:
    rows = (
        Post.objects.filter(thread__collaborative=collaborative, author_team__isnull=False)
        .annotate(month=TruncMonth("created_at", output_field=DateField(), tzinfo=collaborative.tz))
        .values("author_team", "month")
        .annotate(n=Count("id"))
    )
    return {(r["author_team"], r["month"]): Cell(r["n"], str(r["n"])) for r in rows}
