"""Coaching notes and call minutes: shareable, searchable, and only as far as they may go."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from breakthrough.collaboratives.models import Event
from breakthrough.discussions import actions
from breakthrough.discussions.models import CoachingNote

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"discussions:{name}", args=["testbsc", *args])


def note(world, team, scope, subject):
    return actions.do_create_coaching_note(
        author=world.fran,
        team=team,
        date=date(2024, 3, 12),
        subject=subject,
        body="Discussed the **match**.",
        share_scope=scope,
    )


@pytest.fixture
def notes(world):
    return {
        "a_faculty": note(world, world.team_a, "faculty", "A faculty only"),
        "a_team": note(world, world.team_a, "team", "A team"),
        "a_all": note(world, world.team_a, "collaborative", "A everyone"),
        "b_all": note(world, world.team_b, "collaborative", "B everyone"),
    }


def visible(world, who):
    response = world.client(who).get(url("notes"))
    assert response.status_code == 200
    return {n.subject for n in response.context["notes"]}


def test_who_reads_which_note(world, notes):
    assert visible(world, "fran") == {"A faculty only", "A team", "A everyone", "B everyone"}
    assert visible(world, "alice") == {"A team", "A everyone", "B everyone"}
    assert visible(world, "carol") == {"A everyone", "B everyone"}
    assert world.client("carol").get(url("note", notes["a_team"].pk)).status_code == 404
    assert world.client("alice").get(url("note", notes["a_faculty"].pk)).status_code == 404
    assert world.client("olga").get(url("notes")).status_code == 404
    assert world.client("anon").get(url("note", notes["a_all"].pk)).status_code == 302


def test_faculty_only_team_keeps_its_shared_notes_inside(world, notes):
    world.team_a.data_visibility = "faculty_only"
    world.team_a.save()
    assert visible(world, "carol") == {"B everyone"}
    assert visible(world, "alice") == {"A team", "A everyone", "B everyone"}


def test_only_staff_write_and_edit_notes(world, notes):
    assert world.client("alice").get(url("new-note")).status_code == 403
    assert world.client("alice").get(url("edit-note", notes["a_team"].pk)).status_code == 403
    response = world.client("fran").post(
        url("new-note"),
        {
            "team": world.team_b.pk,
            "date": "2024-04-09",
            "subject": "Coaching call: joint meetings",
            "body": "Birch will try a Tuesday slot.",
            "share_scope": "team",
            "nodes": [world.idea.pk],
        },
    )
    created = CoachingNote.objects.get(subject="Coaching call: joint meetings")
    assert response.status_code == 302
    assert created.author == world.fran and list(created.nodes.all()) == [world.idea]
    page = world.client("carol").get(created.get_absolute_url())
    assert b"Birch will try a Tuesday slot." in page.content


def test_note_form_errors_and_conflict(world, notes):
    fran = world.client("fran")
    bad = fran.post(
        url("new-note"),
        {"team": "", "date": "not a date", "subject": "", "body": "x", "share_scope": "team"},
    )
    assert bad.status_code == 400
    assert b"Enter a valid date." in bad.content
    target = notes["a_team"]
    data = {
        "team": world.team_a.pk,
        "date": "2024-03-12",
        "subject": "Changed",
        "body": "New text",
        "share_scope": "collaborative",
        "edit_version": 1,
    }
    assert fran.post(url("edit-note", target.pk), data).status_code == 302
    stale = world.client("dina").post(url("edit-note", target.pk), {**data, "subject": "Mine"})
    assert stale.status_code == 409
    target.refresh_from_db()
    assert target.subject == "Changed" and target.share_scope == "collaborative"


def test_minutes_are_searchable_beside_notes(world, notes):
    Event.objects.create(
        collaborative=world.collaborative,
        kind="all_team_call",
        title="All-team call: alerts",
        start=date(2024, 4, 18),
        minutes="Roll call. Alder shared its 24-hour alert.",
    )
    response = world.client("carol").get(url("notes"), {"q": "24-hour alert"})
    assert [e.title for e in response.context["minutes"]] == ["All-team call: alerts"]
    assert list(response.context["notes"]) == []
    response = world.client("carol").get(url("notes"), {"q": "match"})
    assert {n.subject for n in response.context["notes"]} == {"A everyone", "B everyone"}
