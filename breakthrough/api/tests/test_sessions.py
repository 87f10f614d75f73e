"""Learning sessions through the API: staff write the agenda, the presenting teams and the
attendance (the session page's actions and rules); members read; attendance only for staff.

alice (lead, team A), bob (member, A), carol (member, B), fran (faculty), dina (director),
olga (another collaborative).
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from breakthrough.collaboratives.models import AgendaItem, Attendance
from breakthrough.reports.models import Presenter
from breakthrough.reports.session_actions import (
    do_add_agenda_item,
    do_add_material,
    do_pick_presenter,
    do_upload_storyboard,
)
from breakthrough.reports.tests.helpers import add_roles, submitted_report

pytestmark = pytest.mark.django_db

C = "/collaboratives/testbsc"


@pytest.fixture
def session(world):
    add_roles(world)
    event = world.collaborative.events.get(kind="learning_session")
    return f"{C}/sessions/{event.pk}"


def test_learning_sessions_show_storyboards_only_of_readable_teams(world, api, settings, tmp_path):
    add_roles(world)
    jan = submitted_report(world, score="2.5")
    settings.MEDIA_ROOT = tmp_path
    event = world.collaborative.events.get(kind="learning_session")
    welcome = do_add_agenda_item(event, title="Welcome", lead="Dina")
    do_pick_presenter(event, team=world.team_a, by=world.dina, report=jan, topic="Match")
    do_add_material(event, title="Slides", url="https://example.org/slides")
    do_upload_storyboard(
        event, team=world.team_a, title="Alder", file=ContentFile(b"x", name="a.pdf")
    )
    world.team_a.data_visibility = "faculty_only"
    world.team_a.save()
    path = f"{C}/sessions/{event.pk}"
    mine = api("alice", scope="read").get(path).json()
    assert mine["agenda"] == [
        {"id": welcome.pk, "title": "Welcome", "day": None, "time": None, "lead": "Dina"}
    ]
    assert mine["presenters"] == [{"team": "alder", "topic": "Match", "month": "2024-01"}]
    assert mine["materials"][0]["url"] == "https://example.org/slides"
    assert [s["team"] for s in mine["storyboards"]] == ["alder"]
    assert api("carol", scope="read").get(path).json()["storyboards"] == []
    assert [s["team"] for s in api("fran", scope="read").get(path).json()["storyboards"]] == [
        "alder"
    ]
    listed = api("carol", scope="read").get(C + "/sessions").json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "Learning session 1"
    other = world.other_collaborative.events.create(
        kind="learning_session", title="Other", start="2024-01-01"
    )
    assert api("dina", scope="read").get(f"{C}/sessions/{other.pk}").status_code == 404
    call = world.collaborative.events.create(kind="all_team_call", title="Call", start="2024-02-01")
    assert api("dina", scope="read").get(f"{C}/sessions/{call.pk}").status_code == 404


def test_staff_write_the_agenda_and_members_read_it(world, api, session):
    created = api("fran").post(
        session + "/agenda",
        {"title": "Team storyboards", "day": "2024-03-05", "time": "09:30", "lead": "Fran"},
    )
    assert created.status_code == 201, created.json()
    item = created.json()["agenda"][0]
    assert (item["title"], item["day"], item["time"], item["lead"]) == (
        "Team storyboards",
        "2024-03-05",
        "09:30",
        "Fran",
    )
    assert api("carol").get(session).json()["agenda"][0]["title"] == "Team storyboards"
    assert AgendaItem.history.filter(title="Team storyboards").count() == 1  # kept in history

    removed = api("dina").delete(f"{session}/agenda/{item['id']}")
    assert removed.status_code == 200 and removed.json()["agenda"] == []
    assert api("dina").delete(f"{session}/agenda/{item['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"title": ""}, ["body", "title"]),
        ({"title": "x", "time": "25:00"}, ["body", "time"]),
        ({"title": "x", "day": "March"}, ["body", "day"]),
        ({"title": "x" * 201}, ["body", "title"]),
    ],
)
def test_a_bad_agenda_item_says_where_and_writes_nothing(world, api, session, body, where):
    response = api("fran").post(session + "/agenda", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == where
    assert not AgendaItem.objects.exists()


def test_staff_choose_presenters_with_the_report_behind_them(world, api, session):
    submitted_report(world, score="4.0")
    picked = api("fran").put(
        session + "/presenters/alder", {"topic": "Daily match", "month": "2024-01"}
    )
    assert picked.status_code == 200, picked.json()
    assert picked.json()["presenters"] == [
        {"team": "alder", "topic": "Daily match", "month": "2024-01"}
    ]
    # Choosing the team again changes the topic; it is not listed twice.
    again = api("fran").put(session + "/presenters/alder", {"topic": "Matching, month 2"})
    assert [p["topic"] for p in again.json()["presenters"]] == ["Matching, month 2"]

    no_report = api("fran").put(session + "/presenters/birch", {"month": "2024-01"})
    assert no_report.status_code == 422
    assert no_report.json()["errors"][0]["loc"] == ["body", "month"]
    assert api("fran").put(session + "/presenters/oak", {}).status_code == 404  # other collab.
    assert Presenter.objects.count() == 1

    assert api("dina").delete(session + "/presenters/alder").status_code == 200
    assert api("dina").delete(session + "/presenters/alder").status_code == 404
    assert not Presenter.objects.exists()


def test_attendance_is_recorded_by_staff_and_read_only_by_staff(world, api, session):
    recorded = api("dina").put(session + "/attendance", {"present": ["alice", "carol"]})
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["attended"] == ["alice", "carol"]
    # The list is the whole truth: bob was not there, and alice is taken off.
    changed = api("dina").put(session + "/attendance", {"present": ["bob", "carol"]})
    assert changed.json()["attended"] == ["bob", "carol"]
    assert set(
        Attendance.objects.filter(attended=True).values_list("person__username", flat=True)
    ) == {
        "bob",
        "carol",
    }
    assert api("alice").get(session).json()["attended"] is None

    unknown = api("dina").put(session + "/attendance", {"present": ["carol", "olga", "nobody"]})
    assert unknown.status_code == 422
    assert [e["loc"] for e in unknown.json()["errors"]] == [
        ["body", "present", 1],
        ["body", "present", 2],
    ]
    assert changed.json()["attended"] == api("dina").get(session).json()["attended"]


WRITES = [
    ("post", "/agenda", {"title": "x"}),
    ("put", "/presenters/alder", {"topic": "x"}),
    ("put", "/attendance", {"present": ["alice"]}),
]
EXPECTED = {
    "alice": 403,
    "bob": 403,
    "carol": 403,
    "fran": None,
    "dina": None,
    "olga": 404,
    "anon": 401,
}


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
@pytest.mark.parametrize("person", EXPECTED)
def test_only_staff_write_sessions(world, api, session, method, path, body, person):
    response = getattr(api(person), method)(session + path, body)
    expected = EXPECTED[person]
    if expected is None:
        assert response.status_code in (200, 201), response.json()
    else:
        assert response.status_code == expected
        assert not AgendaItem.objects.exists()
        assert not Presenter.objects.exists()
        assert not Attendance.objects.exists()
