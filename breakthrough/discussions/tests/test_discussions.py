"""Discussions: threads, replies, mentions, e-mail preferences, unsubscribe and digests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from breakthrough.collaboratives.models import StaffRole
from breakthrough.discussions import actions
from breakthrough.discussions.models import DiscussionPreference, Post, Thread
from breakthrough.notifications.models import OutgoingEmail
from breakthrough.test import make_person

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"discussions:{name}", args=["testbsc", *args])


def start(
    world, author="alice", title="How do you run the daily match?", body="We start small.", **kw
):
    return actions.do_start_thread(
        author=getattr(world, author),
        collaborative=world.collaborative,
        title=title,
        body=body,
        notify=kw.pop("notify", False),
        **kw,
    )


@pytest.mark.parametrize(
    "who,status",
    [("alice", 200), ("bob", 200), ("carol", 200), ("fran", 200), ("dina", 200), ("olga", 404)],
)
def test_list_and_thread_pages_by_person(world, who, status):
    thread = start(world)
    client = world.client(who)
    assert client.get(url("list")).status_code == status
    assert client.get(url("thread", thread.pk)).status_code == status
    assert client.get(url("new")).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(world):
    thread = start(world)
    for target in (
        url("list"),
        url("thread", thread.pk),
        url("new"),
        url("settings"),
        url("notes"),
    ):
        response = world.client("anon").get(target)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_evaluators_and_observers(world):
    thread = start(world)
    evaluator = make_person("eva", "Eva Evans")
    observer = make_person("oscar", "Oscar Ortiz")
    StaffRole.objects.create(collaborative=world.collaborative, person=evaluator, role="evaluator")
    StaffRole.objects.create(collaborative=world.collaborative, person=observer, role="observer")
    world.eva, world.oscar = evaluator, observer
    assert world.client("eva").get(url("list")).status_code == 403
    assert world.client("eva").get(url("thread", thread.pk)).status_code == 403
    oscar = world.client("oscar")
    assert oscar.get(url("thread", thread.pk)).status_code == 200
    assert oscar.get(url("new")).status_code == 403
    response = oscar.post(url("thread", thread.pk), {"body": "Observers cannot post"})
    assert response.status_code == 403
    assert thread.posts.count() == 1


def test_start_thread_through_the_form(world):
    client = world.client("alice")
    response = client.post(
        url("new"),
        {
            "title": "Daily match: spelling problems",
            "body": "Two of nine missed on **spelling**.",
            "nodes": [world.component.pk, world.idea.pk],
            "team": world.team_a.pk,
        },
    )
    thread = Thread.objects.get(title="Daily match: spelling problems")
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert set(thread.nodes.all()) == {world.component, world.idea}
    assert thread.team == world.team_a
    assert thread.posts.get().author_team == world.team_a
    page = client.get(thread.get_absolute_url())
    assert b"<strong>spelling</strong>" in page.content


def test_form_errors_say_what_is_wrong(world):
    response = world.client("alice").post(url("new"), {"title": "", "body": ""})
    assert response.status_code == 400
    assert response.content.count(b"This field is required.") == 2
    assert not Thread.objects.exists()


def test_members_may_not_tag_another_team_or_pin(world):
    client = world.client("alice")
    response = client.post(
        url("new"),
        {"title": "About Birch", "body": "x", "team": world.team_b.pk, "is_pinned": "on"},
    )
    assert response.status_code == 400  # team B is not among alice's choices
    assert b"Select a valid choice" in response.content
    response = client.post(url("new"), {"title": "Plain", "body": "x", "is_pinned": "on"})
    assert not Thread.objects.get(title="Plain").is_pinned  # the field is not offered


def test_staff_pin_and_seed_a_question(world):
    response = world.client("fran").post(
        url("new"),
        {
            "title": "What is your first test?",
            "body": "Tell us.",
            "is_pinned": "on",
            "is_prompt": "on",
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert thread.is_pinned and thread.is_prompt
    assert world.client("alice").post(url("pin", thread.pk), {"pinned": "0"}).status_code == 403
    world.client("dina").post(url("pin", thread.pk), {"pinned": "0"})
    thread.refresh_from_db()
    assert not thread.is_pinned
    listing = world.client("bob").get(url("list"))
    assert b"Question from staff" in listing.content


def test_pinned_threads_come_first(world):
    old = start(world, title="Old pinned", is_pinned=True)
    Thread.objects.filter(pk=old.pk).update(last_post_at=timezone.now() - timedelta(days=30))
    start(world, title="Fresh")
    titles = [t.title for t in world.client("bob").get(url("list")).context["page"].object_list]
    assert titles == ["Old pinned", "Fresh"]


def test_markdown_is_sanitised(world):
    thread = start(
        world,
        body="<script>alert(1)</script> [x](javascript:alert(2)) <b>raw</b> **ok**",
    )
    content = world.client("bob").get(thread.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;" in content
    assert "javascript:alert(2)" not in content
    assert "&lt;b&gt;raw&lt;/b&gt;" in content
    assert "<strong>ok</strong>" in content


def test_reply_reaches_every_post_subscribers_with_links(world, django_capture_on_commit_callbacks):
    thread = start(world)
    actions.do_set_discussion_preference(world.carol, world.collaborative, "every")
    actions.do_set_discussion_preference(world.fran, world.collaborative, "none")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("bob").post(
            url("thread", thread.pk), {"body": "We added the alias field."}
        )
    post = Post.objects.get(body="We added the alias field.")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#post-{post.pk}")
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["carol@example.com"]  # digest readers and fran (none) wait; bob wrote it
    message = mail.outbox[0]
    assert message.subject == f"Re: {thread.title}"
    assert f"http://127.0.0.1:8000{thread.get_absolute_url()}#post-{post.pk}" in message.body
    assert "We added the alias field." in message.body
    assert "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    logged = OutgoingEmail.objects.get(person=world.carol)
    assert logged.kind == "discussion_post" and logged.status == "sent"
    # Sending again (a retried job) does nothing: the dedupe key is taken.
    assert actions.send_post_emails(post.pk) == 0


def test_mentions_reach_digest_readers_at_once_but_not_those_who_chose_none(
    world, django_capture_on_commit_callbacks
):
    thread = start(world)
    actions.do_set_discussion_preference(world.fran, world.collaborative, "none")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post = actions.do_reply(
            author=world.bob, thread=thread, body="What do @carol and @fran think? @nobody"
        )
    assert set(post.mentions.all()) == {world.carol, world.fran}
    assert [m.to[0] for m in mail.outbox] == ["carol@example.com"]
    assert mail.outbox[0].subject == f"Bob Brown mentioned you: {thread.title}"
    page = world.client("carol").get(thread.get_absolute_url()).content.decode()
    assert "<strong>@carol</strong>" in page
    assert "@nobody" in page and "<strong>@nobody</strong>" not in page


def test_outsiders_are_never_e_mailed(world, django_capture_on_commit_callbacks):
    actions.do_set_discussion_preference(world.olga, world.collaborative, "every")
    with django_capture_on_commit_callbacks(execute=True):
        start(world, body="Hello @olga", notify=True)
    assert "olga@example.com" not in [m.to[0] for m in mail.outbox]


def test_unsubscribe_link_works_without_logging_in(world):
    actions.do_set_discussion_preference(world.carol, world.collaborative, "every")
    token = actions.unsubscribe_token(world.carol, world.collaborative)
    anon = world.client("anon")
    page = anon.get(reverse("discussions:unsubscribe", args=[token]))
    assert page.status_code == 200
    assert b"Stop discussion e-mail?" in page.content
    assert (
        actions.preference_for(world.carol, world.collaborative) == "every"
    )  # GET changes nothing
    done = anon.post(
        reverse("discussions:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}
    )
    assert done.status_code == 200
    assert actions.preference_for(world.carol, world.collaborative) == "none"


def test_tampered_unsubscribe_link_is_refused(world):
    token = actions.unsubscribe_token(world.carol, world.collaborative)
    other = actions.unsubscribe_token(world.bob, world.collaborative)
    forged = other.split(":")[0] + ":" + token.split(":", 1)[1]
    response = world.client("anon").post(reverse("discussions:unsubscribe", args=[forged]))
    assert response.status_code == 400
    assert b"This link does not work" in response.content
    assert not DiscussionPreference.objects.exists()


def test_preference_page(world):
    client = world.client("carol")
    assert client.get(url("settings")).context["form"].initial["mode"] == "digest"
    assert client.post(url("settings"), {"mode": "loud"}).status_code == 400
    client.post(url("settings"), {"mode": "every"})
    assert actions.preference_for(world.carol, world.collaborative) == "every"
    assert actions.preference_for(world.carol, world.other_collaborative) == "digest"


def test_daily_digest_is_idempotent(world):
    thread = start(world, author="alice", body="First post")
    actions.do_reply(author=world.bob, thread=thread, body="Second post", notify=False)
    actions.do_set_discussion_preference(world.dina, world.collaborative, "none")
    actions.do_set_discussion_preference(world.fran, world.collaborative, "every")
    mail.outbox.clear()
    call_command("send-digests")
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["alice@example.com", "bob@example.com", "carol@example.com"]
    carol = next(m for m in mail.outbox if m.to == ["carol@example.com"])
    assert carol.subject == "Discussions digest: 2 new posts in Test Collaborative"
    assert "First post" in carol.body and "Second post" in carol.body
    alice = next(m for m in mail.outbox if m.to == ["alice@example.com"])
    assert "Second post" in alice.body and "First post" not in alice.body  # not her own
    mail.outbox.clear()
    call_command("send-digests")
    assert mail.outbox == []
    assert OutgoingEmail.objects.filter(kind="discussion_digest").count() == 3


def test_next_digest_starts_where_the_last_one_ended(world):
    thread = start(world, body="Day one")
    actions.do_send_digests()
    later = timezone.now() + timedelta(days=1)
    actions.do_reply(author=world.alice, thread=thread, body="Day two", notify=False, when=later)
    mail.outbox.clear()
    actions.do_send_digests(now=later + timedelta(minutes=5))
    carol = next(m for m in mail.outbox if m.to == ["carol@example.com"])
    assert "Day two" in carol.body and "Day one" not in carol.body


def test_identifying_details_must_be_removed_or_confirmed(world):
    client = world.client("alice")
    thread = start(world)
    body = "Jamie Rivera, DOB 03/14/1994, case #2008-4471 was diverted."
    response = client.post(url("thread", thread.pk), {"body": body})
    assert response.status_code == 400
    text = response.content.decode()
    assert "may identify a young person" in text
    assert "“DOB 03/14/1994” looks like a date of birth." in text
    assert "looks like a case or court number" in text
    assert 'type="checkbox" name="confirm_no_identifying_details"' in text
    assert thread.posts.count() == 1
    response = client.post(
        url("thread", thread.pk), {"body": body, "confirm_no_identifying_details": "on"}
    )
    assert response.status_code == 302
    assert thread.posts.count() == 2


def test_collaborative_people_next_to_dates_are_not_flagged(world):
    response = world.client("alice").post(
        url("new"), {"title": "Call", "body": "Fran Fisher joins us on 03/14/2024."}
    )
    assert response.status_code == 302


def test_edit_post_by_author_or_staff_with_conflict(world):
    thread = start(world)
    post = thread.posts.get()
    edit = url("edit-post", thread.pk, post.pk)
    assert world.client("bob").get(edit).status_code == 403
    assert world.client("olga").get(edit).status_code == 404
    assert world.client("fran").get(edit).status_code == 200
    alice = world.client("alice")
    assert alice.post(edit, {"body": "Better words", "edit_version": 1}).status_code == 302
    stale = alice.post(edit, {"body": "Stale words", "edit_version": 1})
    assert stale.status_code == 409
    assert b"saved this while you were editing" in stale.content
    post.refresh_from_db()
    assert post.body == "Better words" and post.edited_at is not None


def test_edit_thread_title_and_tags(world):
    thread = start(world)
    edit = url("edit-thread", thread.pk)
    assert world.client("carol").get(edit).status_code == 403
    response = world.client("alice").post(
        edit, {"title": "Renamed", "nodes": [world.idea.pk], "edit_version": 1}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.title == "Renamed"
    assert list(thread.nodes.all()) == [world.idea]


def test_filter_by_component_includes_its_ideas_and_search(world):
    start(world, title="Tagged idea", nodes=[world.idea])
    start(world, title="Untagged", body="Something about alias fields")
    client = world.client("carol")
    by_node = client.get(url("list"), {"node": world.component.pk}).context["page"].object_list
    assert [t.title for t in by_node] == ["Tagged idea"]
    found = client.get(url("list"), {"q": "alias"}).context["page"].object_list
    assert [t.title for t in found] == ["Untagged"]


def test_thread_list_query_count_is_flat(world, django_assert_max_num_queries):
    for i in range(15):
        t = start(
            world, title=f"Thread {i}", nodes=[world.component, world.idea], team=world.team_a
        )
        actions.do_reply(author=world.bob, thread=t, body="reply", notify=False)
    client = world.client("bob")
    with django_assert_max_num_queries(14):
        response = client.get(url("list"))
    assert len(response.context["page"].object_list) == 15


def test_thread_page_query_count_is_flat(world, django_assert_max_num_queries):
    thread = start(world)
    for i in range(20):
        actions.do_reply(author=world.bob, thread=thread, body=f"reply {i} @alice", notify=False)
    client = world.client("carol")
    with django_assert_max_num_queries(14):
        response = client.get(thread.get_absolute_url())
    assert len(response.context["posts"]) == 21


def test_on_a_server_post_emails_go_out_in_the_background(world, settings, monkeypatch):
    started = []

    class FakeThread:
        def __init__(self, target, name, daemon):
            started.append((name, daemon))
            self.target = target

        def start(self):
            started.append("started")

    monkeypatch.setattr(actions.threading, "Thread", FakeThread)
    settings.TESTING = False
    thread = start(world)
    actions.do_set_discussion_preference(world.carol, world.collaborative, "every")
    post = actions.do_reply(author=world.bob, thread=thread, body="Hello", notify=False)
    actions.dispatch_post_emails(post.pk)
    assert started == [(f"post-emails-{post.pk}", True), "started"]
    assert not OutgoingEmail.objects.filter(person=world.carol).exists()  # not in this thread


def test_event_page_lists_its_threads(world):
    event = world.collaborative.events.get()
    start(world, title="After learning session 1", event=event)
    page = world.client("carol").get(event.get_absolute_url())
    assert b"After learning session 1" in page.content
    assert f"/c/testbsc/discussions/new/?event={event.pk}".encode() in page.content
    form = world.client("carol").get(url("new"), {"event": event.pk}).context["form"]
    assert form.initial["event"] == event


def test_send_digests_command_options(world):
    import io

    from django.core.management.base import CommandError

    start(world, body="Hello")
    out = io.StringIO()
    call_command("send-digests", "--collaborative", "other", stdout=out)
    assert out.getvalue().strip() == "0 digests sent."
    with pytest.raises(CommandError, match="No collaborative has the slug 'nope'"):
        call_command("send-digests", "--collaborative", "nope")
    out = io.StringIO()
    call_command("send-digests", "--collaborative", "testbsc", stdout=out)
    assert out.getvalue().strip() == "4 digests sent."  # everyone but alice, who wrote it
