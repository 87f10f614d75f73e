"""The cross-team PDSA library: full-text search (PostgreSQL) or word match (SQLite), filters,
and what each person may find."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from breakthrough.changes.models import ChangeNode
from breakthrough.pdsa import library
from breakthrough.pdsa.models import PDSACycle

from .helpers import decide, plan

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)


@pytest.fixture
def cycles(world):
    other = ChangeNode.objects.create(
        package=world.package,
        parent=world.component,
        kind="idea",
        code="1.5",
        title="Diversion conference",
    )
    liaison, _ = decide(plan(world), "adopt", on=date(2024, 2, 20))
    diversion = plan(
        world,
        world.team_b,
        author=world.carol,
        title="Pre-filing diversion conference",
        objective="Do families come to a diversion conference held after school hours?",
        nodes=[other],
        questions=[
            {"question": "Do families attend?", "prediction": "2 of 3 families attend meetings"}
        ],
        tasks=[{"what": "Invite", "who": "Family partner", "when": "Week 1", "where": "School"}],
        data_plan="Count families who attend.",
    )
    return liaison, diversion


def found(client, **params):
    response = client.get(reverse("pdsa:library", args=["testbsc"]), params)
    assert response.status_code == 200
    return [c.title for c, _ in response.context["results"]]


def test_search_finds_words_anywhere_in_the_worksheet(world, cycles):
    client = world.client("carol")
    assert found(client, q="liaison") == ["CW liaison before detention"]
    assert found(client, q="backup number") == ["CW liaison before detention"]  # in "learned"
    assert found(client, q="families diversion") == ["Pre-filing diversion conference"]
    assert found(client, q="nothing-like-this") == []
    assert len(found(client)) == 2


@postgres_only
def test_postgres_search_stems_and_ranks(world, cycles):
    client = world.client("carol")
    # "meeting" matches "meetings" through the English stemmer; phrases and exclusions work.
    assert found(client, q="meeting") == ["Pre-filing diversion conference"]
    assert found(client, q='"diversion conference" -liaison') == ["Pre-filing diversion conference"]
    assert found(client, q="liaison or diversion") == [
        "CW liaison before detention",
        "Pre-filing diversion conference",
    ] or sorted(found(client, q="liaison or diversion")) == [
        "CW liaison before detention",
        "Pre-filing diversion conference",
    ]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback")
def test_sqlite_fallback_needs_every_word(world, cycles):
    client = world.client("carol")
    assert found(client, q="diversion liaison") == []
    assert found(client, q="DIVERSION") == ["Pre-filing diversion conference"]
    assert found(client, q="conference -liaison") == ["Pre-filing diversion conference"]


def test_filters(world, cycles):
    assert len(cycles) == 2
    client = world.client("fran")
    assert found(client, team=world.team_b.pk) == ["Pre-filing diversion conference"]
    assert found(client, decision="adopt") == ["CW liaison before detention"]
    assert found(client, decision="none") == ["Pre-filing diversion conference"]
    assert found(client, idea=world.idea.pk) == ["CW liaison before detention"]
    assert sorted(found(client, component=world.component.pk)) == sorted(
        ["CW liaison before detention", "Pre-filing diversion conference"]
    )
    assert found(client, state="planned") == ["Pre-filing diversion conference"]
    assert found(client, date_from="2024-02-01", date_to="2024-02-28") == [
        "CW liaison before detention"
    ]


def test_library_shows_only_what_the_person_may_read(world, cycles):
    world.team_a.data_visibility = "faculty_only"
    world.team_a.save(update_fields=["data_visibility"])
    assert found(world.client("carol")) == ["Pre-filing diversion conference"]
    assert len(found(world.client("fran"))) == 2
    assert world.client("olga").get(reverse("pdsa:library", args=["testbsc"])).status_code == 404


def test_find_and_clone_from_the_library(world, cycles):
    liaison, _ = cycles
    client = world.client("carol")
    html = client.get(reverse("pdsa:library", args=["testbsc"]), {"q": "liaison"}).content.decode()
    assert "Clone into my team" in html and "<mark>" in html
    response = client.post(
        reverse("pdsa:clone", args=["testbsc", liaison.pk]), {"team": world.team_b.pk}
    )
    clone = PDSACycle.objects.get(cloned_from=liaison)
    assert response.url == f"/c/testbsc/pdsas/{clone.pk}/" and clone.team == world.team_b


def test_snippet_marks_matches_and_escapes_text():
    text = "We met the <family> after school; meetings went well."
    out = library.snippet(text, "meeting")
    assert "&lt;family&gt;" in out and "<mark>meetings</mark>" in out


def test_terms_drop_operators_and_exclusions():
    assert library.terms('"diversion conference" -liaison or pre-filing') == [
        "diversion",
        "conference",
        "pre",
        "filing",
    ]


@postgres_only
def test_postgres_serves_search_from_the_gin_index(world, cycles):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    plan_text = library.search(PDSACycle.objects.all(), "liaison").only("id").explain()
    assert "pdsa_cycle_search_vector_gin" in plan_text
