"""The activity feed and the staff engagement grid."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from breakthrough.certificates import actions as certificate_actions
from breakthrough.collaboratives.engagement import (
    Cell,
    Metric,
    collaborative_months,
    months_between,
    team_grid,
)
from breakthrough.collaboratives.models import Attendance, Event, StaffRole
from breakthrough.discussions import actions as discussion_actions
from breakthrough.resources.actions import do_add_resource
from breakthrough.test import make_person

pytestmark = pytest.mark.django_db


def url(name):
    return reverse(f"collaboratives:{name}", args=["testbsc"])


def when(y, m, d):
    return timezone.make_aware(datetime(y, m, d, 10, 0))


@pytest.fixture
def lively(world):
    thread = discussion_actions.do_start_thread(
        author=world.alice,
        collaborative=world.collaborative,
        title="Daily match",
        body="How do you match?",
        notify=False,
        when=when(2024, 2, 1),
    )
    discussion_actions.do_reply(
        author=world.carol, thread=thread, body="By hand.", notify=False, when=when(2024, 2, 3)
    )
    do_add_resource(
        collaborative=world.collaborative,
        added_by=world.bob,
        title="Match note",
        kind="tool",
        url="https://example.org/match",
        team=world.team_a,
        when=when(2024, 2, 5),
    )
    for scope, subject in (("faculty", "Faculty eyes only"), ("team", "Alder team note")):
        note = discussion_actions.do_create_coaching_note(
            author=world.fran,
            team=world.team_a,
            date=date(2024, 2, 6),
            subject=subject,
            body="x",
            share_scope=scope,
        )
        note.created_at = when(2024, 2, 6)
        note.save()
    program = certificate_actions.do_create_program(
        collaborative=world.collaborative,
        title="Certificate",
        cohort="2024",
        start=date(2024, 1, 10),
        end=date(2024, 1, 12),
        place="Alder",
    )
    capstone = certificate_actions.do_save_capstone(
        program=program,
        team=world.team_a,
        capstone=None,
        title="Alder plan",
        summary="Plan",
        cycles=[{"title": "c", "objective": "o", "node": world.idea}],
    )
    certificate_actions.do_submit_capstone(capstone, by=world.alice)
    return thread


def feed_titles(world, who, **params):
    response = world.client(who).get(url("activity"), params)
    assert response.status_code == 200
    return [(i.kind, i.verb, i.title) for _, items in response.context["days"] for i in items]


def test_feed_gathers_every_kind_newest_first(world, lively):
    items = feed_titles(world, "fran")
    assert items[0] == ("capstone", "submitted the capstone", "Alder plan")
    assert ("resource", "shared in the library", "Match note") in items
    assert ("post", "started the thread", "Daily match") in items
    assert ("post", "replied in", "Daily match") in items
    assert ("note", "wrote a coaching note for Alder County:", "Faculty eyes only") in items
    resource = items.index(("resource", "shared in the library", "Match note"))
    reply = items.index(("post", "replied in", "Daily match"))
    assert resource < reply  # 5 February before 3 February, newest first


def test_feed_shows_only_what_each_person_may_see(world, lively):
    alice = {t for _, _, t in feed_titles(world, "alice")}
    assert "Alder team note" in alice and "Faculty eyes only" not in alice
    carol = {t for _, _, t in feed_titles(world, "carol")}
    assert "Alder team note" not in carol and "Alder plan" in carol
    world.team_a.data_visibility = "faculty_only"
    world.team_a.save()
    carol = {t for _, _, t in feed_titles(world, "carol")}
    assert "Alder plan" not in carol and "Daily match" in carol


def test_feed_access(world, lively):
    assert world.client("olga").get(url("activity")).status_code == 404
    assert world.client("anon").get(url("activity")).status_code == 302
    evaluator = make_person("eva", "Eva Evans")
    StaffRole.objects.create(collaborative=world.collaborative, person=evaluator, role="evaluator")
    world.eva = evaluator
    assert world.client("eva").get(url("activity")).status_code == 403


def test_feed_filter_and_older_page(world, lively):
    assert {k for k, _, _ in feed_titles(world, "fran", kind="post")} == {"post"}
    before = when(2024, 2, 4).isoformat()
    older = feed_titles(world, "fran", before=before)
    assert ("resource", "shared in the library", "Match note") not in older
    assert ("post", "replied in", "Daily match") in older


def test_feed_query_count(world, lively, django_assert_max_num_queries):
    for i in range(45):
        discussion_actions.do_reply(
            author=world.bob, thread=lively, body=f"r{i}", notify=False, when=when(2024, 3, 1)
        )
    client = world.client("carol")
    with django_assert_max_num_queries(20):  # a fixed number per source, whatever the data
        response = client.get(url("activity"))
    assert sum(len(items) for _, items in response.context["days"]) == 40


def test_engagement_is_for_staff(world, lively):
    assert world.client("alice").get(url("engagement")).status_code == 403
    assert world.client("olga").get(url("engagement")).status_code == 404
    assert world.client("fran").get(url("engagement")).status_code == 200


def test_engagement_counts_posts_resources_and_attendance(world, lively, time_machine):
    time_machine.move_to(datetime(2024, 6, 30, 12, 0))
    event = Event.objects.get(title="Learning session 1")
    Attendance.objects.create(event=event, person=world.alice, team=world.team_a, attended=True)
    Attendance.objects.create(event=event, person=world.bob, team=world.team_a, attended=False)
    response = world.client("fran").get(url("engagement"))
    grids = {g.metric.key: g for g in response.context["grids"]}
    months = response.context["months"]
    assert months[0] == date(2024, 1, 1) and months[-1] == date(2024, 6, 1)
    feb, mar = months.index(date(2024, 2, 1)), months.index(date(2024, 3, 1))
    posts = {r.team.code: r.cells for r in grids["posts"].rows}
    assert posts["AL"][feb].text == "1" and posts["BI"][feb].text == "1"
    assert {r.team.code: r.cells[feb].text for r in grids["resources"].rows if r.cells[feb]} == {
        "AL": "1"
    }
    attendance = {r.team.code: r.cells[mar] for r in grids["attendance"].rows}
    assert attendance["AL"].text == "1/2" and attendance["BI"] is None
    assert b"Discussion posts" in response.content


def test_engagement_flags_teams_that_fall_off(world):
    months = months_between(date(2024, 1, 1), date(2024, 8, 1))
    a, b = world.team_a, world.team_b
    shares = {
        **{(a.pk, m): Cell(1.0, "1/1") for m in months[:5]},
        **{(a.pk, m): Cell(0.5, "1/2") for m in months[5:]},
        **{(b.pk, m): Cell(0.9, "9/10") for m in months},
    }
    grid = team_grid(
        Metric("att", "Attendance", "", lambda c: shares, is_share=True), None, [a, b], months
    )
    assert [r.declining for r in grid.rows] == [True, False]
    assert grid.rows[0].early == 1.0 and grid.rows[0].recent == 0.5
    counts = {(a.pk, months[0]): Cell(4, "4"), (b.pk, months[0]): Cell(1, "1")}
    grid = team_grid(Metric("n", "Posts", "", lambda c: counts), None, [a, b], months)
    # A months without posts counts as zero after the first; one post is too little to judge.
    assert [r.declining for r in grid.rows] == [True, False]
    assert grid.heat(counts[(a.pk, months[0])]) == "heat-4"


def test_collaborative_months_stop_today(world, time_machine):
    time_machine.move_to(datetime(2024, 3, 15, 12, 0))
    assert collaborative_months(world.collaborative) == [
        date(2024, 1, 1),
        date(2024, 2, 1),
        date(2024, 3, 1),
    ]


def test_cycles_and_lessons_in_the_feed_and_the_grid(world, time_machine):
    from breakthrough.changes.models import Lesson
    from breakthrough.pdsa.actions import do_plan_cycle
    from breakthrough.pdsa.models import PDSACycle

    time_machine.move_to(datetime(2024, 6, 30, 12, 0))
    cycle = do_plan_cycle(
        author=world.alice,
        team=world.team_a,
        title="Hand-match one day",
        objective="How many do we find?",
        nodes=[world.idea],
    )
    PDSACycle.objects.filter(pk=cycle.pk).update(
        start=date(2024, 2, 5), decided_on=date(2024, 2, 20), decision="adapt"
    )
    lesson = Lesson.objects.create(
        collaborative=world.collaborative,
        statement="Identification holds only with a daily match.",
        status="endorsed",
        created_by=world.fran,
        endorsed_by=world.dina,
        endorsed_on=date(2024, 3, 1),
    )
    items = feed_titles(world, "carol")
    assert ("cycle", "planned the PDSA cycle", "Hand-match one day (cycle 1)") in items
    assert ("cycle", "decided to adapt after", "Hand-match one day (cycle 1)") in items
    assert ("lesson", "endorsed the lesson", str(lesson)) in items
    assert ("lesson", "wrote the lesson", str(lesson)) in items
    world.team_a.data_visibility = "faculty_only"
    world.team_a.save()
    assert not [i for i in feed_titles(world, "carol") if i[0] == "cycle"]
    grid = {g.metric.key: g for g in world.client("fran").get(url("engagement")).context["grids"]}[
        "cycles"
    ]
    feb = grid.months.index(date(2024, 2, 1))
    assert {r.team.code: r.cells[feb].text for r in grid.rows if r.cells[feb]} == {"AL": "1"}
