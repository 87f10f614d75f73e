"""Writes about discussions: threads, replies, preferences, e-mail and coaching notes.

Every e-mail goes through `do_send_email`. A post is e-mailed after its transaction commits, to
everyone who follows the collaborative post by post, and to each person it mentions (unless they
chose no e-mail); digest readers get it in `do_send_digests`, which a daily job runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import connections, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from breakthrough.collaboratives.access import active_membership_q
from breakthrough.collaboratives.models import Collaborative, StaffRole
from breakthrough.concurrency import save_versioned
from breakthrough.notifications.actions import absolute_url, do_send_email
from breakthrough.notifications.models import OutgoingEmail
from breakthrough.teams.models import Membership

from .markup import mentioned_usernames, plain_text
from .models import CoachingNote, DiscussionPreference, Post, Thread

User = get_user_model()
log = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "breakthrough.discussions.unsubscribe"


# People and preferences ------------------------------------------------------------------------


def discussion_audience(collaborative: Collaborative):
    """Everyone who reads the collaborative's discussions: staff, members and observers."""
    staff = StaffRole.objects.filter(collaborative=collaborative).filter(active_membership_q())
    staff = staff.exclude(role=StaffRole.Role.EVALUATOR)
    members = Membership.objects.filter(team__collaborative=collaborative).filter(
        active_membership_q()
    )
    return User.objects.filter(
        Q(pk__in=staff.values("person")) | Q(pk__in=members.values("person")), is_active=True
    ).exclude(email="")


def preference_modes(collaborative: Collaborative, people) -> dict[int, str]:
    """Each person's e-mail mode for the collaborative (the default when they never chose)."""
    chosen = dict(
        DiscussionPreference.objects.filter(
            collaborative=collaborative, person__in=[p.pk for p in people]
        ).values_list("person_id", "mode")
    )
    return {p.pk: chosen.get(p.pk, DiscussionPreference.DEFAULT) for p in people}


def preference_for(person, collaborative: Collaborative) -> str:
    pref = DiscussionPreference.objects.filter(person=person, collaborative=collaborative).first()
    return pref.mode if pref else DiscussionPreference.DEFAULT


@transaction.atomic
def do_set_discussion_preference(
    person, collaborative: Collaborative, mode: str
) -> DiscussionPreference:
    if mode not in DiscussionPreference.Mode.values:
        raise ValueError(f"Unknown e-mail preference {mode!r}.")
    pref, _ = DiscussionPreference.objects.update_or_create(
        person=person,
        collaborative=collaborative,
        defaults={"mode": mode, "updated_at": timezone.now()},
    )
    return pref


def unsubscribe_token(person, collaborative: Collaborative) -> str:
    """A signed token that switches off a person's discussion e-mail, without logging in."""
    return signing.dumps({"p": person.pk, "c": collaborative.pk}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str):
    """(person, collaborative) for a token; signing.BadSignature if it was tampered with."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    person = User.objects.get(pk=data["p"])
    collaborative = Collaborative.objects.get(pk=data["c"])
    return person, collaborative


def _email_links(person, collaborative: Collaborative) -> tuple[dict, dict[str, str]]:
    unsubscribe = absolute_url(
        reverse("discussions:unsubscribe", args=[unsubscribe_token(person, collaborative)])
    )
    context = {
        "unsubscribe_link": unsubscribe,
        "settings_link": absolute_url(reverse("discussions:settings", args=[collaborative.slug])),
    }
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return context, headers


# Threads and posts -----------------------------------------------------------------------------


def _author_team(author, collaborative: Collaborative):
    membership = (
        Membership.objects.filter(team__collaborative=collaborative, person=author)
        .filter(active_membership_q())
        .select_related("team")
        .first()
    )
    return membership.team if membership else None


def _set_mentions(post: Post) -> None:
    names = mentioned_usernames(post.body)
    if not names:
        post.mentions.clear()
        return
    audience = discussion_audience(post.thread.collaborative)
    post.mentions.set(audience.filter(username__in=names).exclude(pk=post.author_id))


def _add_post(thread: Thread, author, body: str, when: datetime | None = None) -> Post:
    when = when or timezone.now()
    post = Post.objects.create(
        thread=thread,
        author=author,
        author_team=_author_team(author, thread.collaborative),
        body=body,
        created_at=when,
    )
    _set_mentions(post)
    if when > thread.last_post_at:
        thread.last_post_at = when
        thread.save(update_fields=["last_post_at"])
    return post


@transaction.atomic
def do_start_thread(
    *,
    author,
    collaborative: Collaborative,
    title: str,
    body: str,
    nodes=(),
    team=None,
    event=None,
    is_pinned: bool = False,
    is_prompt: bool = False,
    notify: bool = True,
    when: datetime | None = None,
) -> Thread:
    """Open a thread with its first post, and e-mail it to those who follow every post."""
    when = when or timezone.now()
    thread = Thread.objects.create(
        collaborative=collaborative,
        title=title.strip(),
        author=author,
        team=team,
        event=event,
        is_pinned=is_pinned,
        is_prompt=is_prompt,
        created_at=when,
        last_post_at=when,
    )
    thread.nodes.set(nodes)
    post = _add_post(thread, author, body, when)
    if notify:
        transaction.on_commit(lambda: dispatch_post_emails(post.pk))
    return thread


@transaction.atomic
def do_reply(*, author, thread: Thread, body: str, notify: bool = True, when=None) -> Post:
    """Add a reply and e-mail it (after commit) to subscribers and mentioned people."""
    post = _add_post(thread, author, body, when)
    if notify:
        transaction.on_commit(lambda: dispatch_post_emails(post.pk))
    return post


@transaction.atomic
def do_edit_post(post: Post, *, body: str, expected_version: int) -> Post:
    """Change a post's text (EditConflict if it changed meanwhile). Edits are not re-sent."""
    post.body = body
    post.edited_at = timezone.now()
    save_versioned(post, expected_version, ["body", "edited_at"])
    _set_mentions(post)
    return post


@transaction.atomic
def do_update_thread(
    thread: Thread, *, title: str, nodes, team, event, expected_version: int
) -> Thread:
    thread.title = title.strip()
    thread.team = team
    thread.event = event
    save_versioned(thread, expected_version, ["title", "team", "event"])
    thread.nodes.set(nodes)
    return thread


@transaction.atomic
def do_set_pinned(thread: Thread, pinned: bool) -> Thread:
    thread.is_pinned = pinned
    thread.save(update_fields=["is_pinned"])
    return thread


def dispatch_post_emails(post_id: int) -> None:
    """Send a post's e-mails without keeping the author waiting on the mail server: in a
    background thread on a server, at once under test (so tests see the outbox)."""
    if getattr(settings, "TESTING", False):
        send_post_emails(post_id)
        return

    def run() -> None:
        try:
            send_post_emails(post_id)
        except Exception:  # a lost e-mail must not pass silently: it is in the log
            log.exception("Sending the e-mails of post %s failed", post_id)
        finally:
            connections.close_all()

    threading.Thread(target=run, name=f"post-emails-{post_id}", daemon=True).start()


def send_post_emails(post_id: int) -> int:
    """E-mail one post to every-post subscribers and to the people it mentions. Idempotent."""
    post = (
        Post.objects.select_related("thread__collaborative", "author")
        .prefetch_related("mentions")
        .filter(pk=post_id)
        .first()
    )
    if post is None:
        return 0
    thread, collaborative = post.thread, post.thread.collaborative
    audience = list(discussion_audience(collaborative))
    modes = preference_modes(collaborative, audience)
    mentioned = {p.pk for p in post.mentions.all()}
    link = absolute_url(post.get_absolute_url())
    text = plain_text(post.body)
    is_first = not Post.objects.filter(thread=thread, created_at__lt=post.created_at).exists()
    sent = 0
    for person in audience:
        if person.pk == post.author_id:
            continue
        mode = modes[person.pk]
        if mode == DiscussionPreference.Mode.NONE:
            continue
        if mode != DiscussionPreference.Mode.EVERY and person.pk not in mentioned:
            continue
        extra, headers = _email_links(person, collaborative)
        record = do_send_email(
            to=person.email,
            template="discussions/email/post",
            context={
                "post": post,
                "thread": thread,
                "text": text,
                "link": link,
                "is_first": is_first,
                "mentioned": person.pk in mentioned,
                "mode": mode,
                **extra,
            },
            kind="discussion_mention" if mode != "every" else "discussion_post",
            collaborative=collaborative,
            person=person,
            dedupe_key=f"post:{post.pk}:{person.pk}",
            headers=headers,
        )
        sent += record is not None
    return sent


def do_send_digests(*, now: datetime | None = None, collaborative=None) -> int:
    """Send each digest reader the posts since their last digest (at most one a day).

    Idempotent: the day's digest of a person has the dedupe key
    `digest:<collaborative>:<person>:<date>`, so running the job twice sends nothing new.
    Returns the number of digests sent or logged.
    """
    now = now or timezone.now()
    collaboratives = (
        [collaborative]
        if collaborative is not None
        else Collaborative.objects.exclude(phase=Collaborative.Phase.ARCHIVED)
    )
    count = 0
    for c in collaboratives:
        count += _send_digests_for(c, now)
    return count


def _send_digests_for(collaborative: Collaborative, now: datetime) -> int:
    today: dt.date = timezone.localtime(now, collaborative.tz).date()
    audience = list(discussion_audience(collaborative))
    modes = preference_modes(collaborative, audience)
    readers = [p for p in audience if modes[p.pk] == DiscussionPreference.Mode.DIGEST]
    if not readers:
        return 0
    last_sent = dict(
        OutgoingEmail.objects.filter(
            collaborative=collaborative,
            kind="discussion_digest",
            person__in=[p.pk for p in readers],
        )
        .values("person")
        .annotate(last=Max("created_at"))
        .values_list("person", "last")
    )
    default_start = now - timedelta(days=1)
    earliest = min([default_start, *last_sent.values()])
    posts = list(
        Post.objects.filter(
            thread__collaborative=collaborative, created_at__gt=earliest, created_at__lte=now
        )
        .select_related("thread", "author")
        .order_by("thread__last_post_at", "created_at")
    )
    if not posts:
        return 0
    texts = {p.pk: plain_text(p.body, 400) for p in posts}
    sent = 0
    for person in readers:
        start = last_sent.get(person.pk, default_start)
        mine = [p for p in posts if p.created_at > start and p.author_id != person.pk]
        if not mine:
            continue
        by_thread: dict[Thread, list[Post]] = defaultdict(list)
        for p in mine:
            by_thread[p.thread].append(p)
        threads = [
            {
                "thread": t,
                "link": absolute_url(t.get_absolute_url()),
                "posts": [{"post": p, "text": texts[p.pk]} for p in ps],
            }
            for t, ps in sorted(by_thread.items(), key=lambda item: -len(item[1]))
        ]
        extra, headers = _email_links(person, collaborative)
        record = do_send_email(
            to=person.email,
            template="discussions/email/digest",
            context={"threads": threads, "count": len(mine), "day": today, **extra},
            kind="discussion_digest",
            collaborative=collaborative,
            person=person,
            dedupe_key=f"digest:{collaborative.pk}:{person.pk}:{today.isoformat()}",
            headers=headers,
        )
        sent += record is not None
    return sent


# Coaching notes --------------------------------------------------------------------------------


@transaction.atomic
def do_create_coaching_note(
    *,
    author,
    team,
    date: dt.date,
    subject: str,
    body: str,
    share_scope: str,
    nodes=(),
    event=None,
) -> CoachingNote:
    note = CoachingNote.objects.create(
        team=team,
        author=author,
        date=date,
        subject=subject.strip(),
        body=body,
        share_scope=share_scope,
        event=event,
    )
    note.nodes.set(nodes)
    return note


@transaction.atomic
def do_update_coaching_note(
    note: CoachingNote,
    *,
    date: dt.date,
    subject: str,
    body: str,
    share_scope: str,
    nodes,
    event,
    expected_version: int,
) -> CoachingNote:
    note.date = date
    note.subject = subject.strip()
    note.body = body
    note.share_scope = share_scope
    note.event = event
    save_versioned(note, expected_version, ["date", "subject", "body", "share_scope", "event"])
    note.nodes.set(nodes)
    return note
