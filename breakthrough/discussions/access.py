"""Who reads and writes discussions and coaching notes.

- Threads: staff, team members and sponsor observers read; staff and team members post.
  Evaluators see aggregates only, so not the discussions.
- A thread tagged to a team may be tagged only by staff or that team's members.
- A post is edited by its author or by staff.
- Coaching notes are written by staff; each note is shared with faculty only, with the team,
  or with everyone who may read the team's work (so a faculty-only team's notes stay inside).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from breakthrough.collaboratives.access import Standing, get_standing_for_user

from .models import CoachingNote, Post, Thread


def may_read_discussions(standing: Standing) -> bool:
    return standing.is_staff or standing.is_member or standing.is_observer


def may_post(standing: Standing) -> bool:
    return standing.is_staff or standing.is_member


def get_discussion_standing(user, slug: str, *, write: bool = False) -> Standing:
    """The person's standing, if they may read (or post in) the collaborative's discussions."""
    standing = get_standing_for_user(user, slug)
    if not may_read_discussions(standing):
        raise PermissionDenied("Evaluators see aggregate data only, not the discussions.")
    if write and not may_post(standing):
        raise PermissionDenied("Only staff and team members may post.")
    return standing


def threads_for_standing(standing: Standing) -> QuerySet[Thread]:
    return Thread.objects.filter(collaborative=standing.collaborative)


def get_thread_for_user(standing: Standing, pk: int, *, write: bool = False) -> Thread:
    """A thread of the collaborative; `write=True` to change its title, tags or pin."""
    try:
        thread = Thread.objects.select_related("author", "team", "event", "collaborative").get(
            collaborative=standing.collaborative, pk=pk
        )
    except Thread.DoesNotExist:
        raise Http404("No such thread.") from None
    if write and not (standing.is_staff or thread.author_id == standing.user.pk):
        raise PermissionDenied("Only the person who started the thread and staff may change it.")
    return thread


def get_post_for_user(standing: Standing, thread: Thread, pk: int, *, write: bool = False) -> Post:
    try:
        post = Post.objects.select_related("author").get(thread=thread, pk=pk)
    except Post.DoesNotExist:
        raise Http404("No such post.") from None
    if write and not (standing.is_staff or post.author_id == standing.user.pk):
        raise PermissionDenied("Only the author and staff may edit a post.")
    return post


def may_tag_team(standing: Standing, team) -> bool:
    return standing.is_staff or team.pk in standing.team_ids


def notes_for_standing(standing: Standing) -> QuerySet[CoachingNote]:
    """Coaching notes the person may read."""
    notes = CoachingNote.objects.filter(team__collaborative=standing.collaborative)
    if standing.is_staff:
        return notes
    own = Q(team__in=standing.team_ids, share_scope__in=["team", "collaborative"])
    shared_team_ids = [
        t.pk
        for t in standing.collaborative.teams.all()
        if t.pk not in standing.team_ids and standing.can_read_team(t)
    ]
    shared = Q(team__in=shared_team_ids, share_scope="collaborative")
    return notes.filter(own | shared)


def get_note_for_user(standing: Standing, pk: int, *, write: bool = False) -> CoachingNote:
    try:
        note = notes_for_standing(standing).select_related("team", "author", "event").get(pk=pk)
    except CoachingNote.DoesNotExist:
        raise Http404("No such note.") from None
    if write and not standing.is_staff:
        raise PermissionDenied("Only faculty and staff write coaching notes.")
    return note
