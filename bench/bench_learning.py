"""Benchmarks of the learning system: discussions, e-mail fan-out, digests, the library check,
the activity feed, the engagement grid and certificates.

Run: python -m pytest bench/bench_learning.py --benchmark-only -q
(figures in docs/performance.md, section "Learning system").
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from breakthrough.certificates import actions as certificate_actions
from breakthrough.certificates.documents import certificate_pdf
from breakthrough.certificates.models import Certificate
from breakthrough.collaboratives.models import Attendance, Event
from breakthrough.discussions import actions as discussion_actions
from breakthrough.discussions.markup import render_markdown
from breakthrough.discussions.privacy import find_identifying_details
from breakthrough.resources.uploads import check_upload
from breakthrough.teams.models import Membership
from breakthrough.test import make_person

PARAGRAPH = (
    "At **LS1** several teams asked how our match works. We began in August by hand: one day's "
    "arrest list against open CW cases. Two of nine youth were missed because of spelling; "
    "since November a nightly script does it. See [the note](https://example.org/note) and ask "
    "@bw-data.\n\n- name\n- alias\n- birth date\n\n"
)
TEXT = PARAGRAPH * 5  # about 2 KB


def test_render_markdown(benchmark):
    html = benchmark(render_markdown, TEXT, ["bw-data"])
    assert "<strong>@bw-data</strong>" in html


def test_identifying_details_check(benchmark):
    findings = benchmark(find_identifying_details, TEXT + "Jamie Rivera, DOB 2/2/1994.", [])
    assert [f.kind for f in findings] == ["date_of_birth", "name_with_date"]


def test_upload_check_of_a_10_mb_pdf(benchmark):
    data = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)
    kind = benchmark(check_upload, io.BytesIO(data), "guide.pdf", len(data), 20 * 1024 * 1024)
    assert kind.extension == "pdf"


@pytest.fixture
def crowd(world):
    """The test collaborative with 60 more members across its two teams."""
    for i in range(60):
        person = make_person(f"member{i}", f"Member Number{i}")
        Membership.objects.create(team=world.team_a if i % 2 else world.team_b, person=person)
        discussion_actions.do_set_discussion_preference(
            person, world.collaborative, "every" if i % 3 == 0 else "digest"
        )
    return world


def test_post_emails_to_sixty_readers(benchmark, crowd, django_db_blocker):
    thread = discussion_actions.do_start_thread(
        author=crowd.alice,
        collaborative=crowd.collaborative,
        title="Match",
        body=TEXT,
        notify=False,
    )
    posts = iter(
        [
            discussion_actions.do_reply(author=crowd.bob, thread=thread, body=TEXT, notify=False)
            for _ in range(30)
        ]
    )

    def send():
        return discussion_actions.send_post_emails(next(posts).pk)

    sent = benchmark.pedantic(send, rounds=20, iterations=1)
    assert sent == 20  # every third of 60 members follows every post


def test_daily_digest_for_sixty_readers_and_100_posts(benchmark, crowd):
    rng = random.Random(1)
    now = timezone.now()
    for t in range(10):
        thread = discussion_actions.do_start_thread(
            author=crowd.alice,
            collaborative=crowd.collaborative,
            title=f"Thread {t}",
            body=TEXT,
            notify=False,
            when=now - timedelta(hours=20),
        )
        for _ in range(9):
            discussion_actions.do_reply(
                author=crowd.bob,
                thread=thread,
                body=TEXT,
                notify=False,
                when=now - timedelta(hours=rng.randint(1, 19)),
            )
    days = iter(range(1, 100))

    def digest():
        # Each round is a new day with nothing sent yet, so the whole digest is built.
        from breakthrough.notifications.models import OutgoingEmail

        OutgoingEmail.objects.filter(kind="discussion_digest").delete()
        return discussion_actions.do_send_digests(now=now + timedelta(minutes=next(days)))

    sent = benchmark.pedantic(digest, rounds=5, iterations=1)
    assert sent == 45  # the 40 digest members and the five of the test base


def _busy_collaborative(world):
    """18 months of activity: 200 threads of 5 posts, 1,000 attendance rows."""
    c = world.collaborative
    start = timezone.make_aware(datetime(2024, 1, 1, 9))
    for i in range(200):
        when = start + timedelta(days=i * 2)
        thread = discussion_actions.do_start_thread(
            author=world.alice if i % 2 else world.carol,
            collaborative=c,
            title=f"Thread {i}",
            body=PARAGRAPH,
            nodes=[world.component, world.idea],
            notify=False,
            when=when,
        )
        for j in range(4):
            discussion_actions.do_reply(
                author=world.bob,
                thread=thread,
                body=PARAGRAPH,
                notify=False,
                when=when + timedelta(hours=j + 1),
            )
    people = [world.alice, world.bob, world.carol]
    for k in range(18 * 18):
        event = Event.objects.create(
            collaborative=c,
            kind="all_team_call",
            title=f"Call {k}",
            start=date(2024, 1, 1) + timedelta(days=k * 1.7),
        )
        Attendance.objects.bulk_create(
            Attendance(
                event=event,
                person=p,
                team=world.team_b if p == world.carol else world.team_a,
                attended=(k + n) % 4 != 0,
            )
            for n, p in enumerate(people)
        )


@pytest.mark.parametrize(
    "page", ["discussions:list", "collaboratives:activity", "collaboratives:engagement"]
)
def test_pages_of_a_busy_collaborative(benchmark, world, page):
    from django.urls import reverse

    _busy_collaborative(world)
    client = Client()
    client.force_login(world.dina)
    target = reverse(page, args=["testbsc"])
    response = benchmark(client.get, target)
    assert response.status_code == 200


def test_certificate_pdf(benchmark, world):
    program = certificate_actions.do_create_program(
        collaborative=world.collaborative,
        title="Certificate Program in Systems Integration",
        cohort="2024",
        start=date(2024, 3, 1),
        end=date(2024, 3, 1),
        place="Alder",
        capstone_required=False,
        min_attendance=0,
        signatories="Dina Diaz, Director\nFran Fisher, Chair",
    )
    certificate_actions.do_add_session(program, title="Day 1", start=date(2024, 3, 1))
    certificate_actions.do_enrol_participant(
        program=program,
        enrolled_by=world.dina,
        team=world.team_a,
        full_name="Alice Adams",
        email="alice@example.com",
    )
    certificate_actions.do_issue_certificates(program)
    certificate = Certificate.objects.get()
    pdf = benchmark.pedantic(certificate_pdf, args=(certificate,), rounds=5, iterations=1)
    assert pdf.startswith(b"%PDF-")
