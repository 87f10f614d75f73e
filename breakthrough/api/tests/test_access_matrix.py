"""Every endpoint against every person of the test base, and every write against a read token."""

from __future__ import annotations

import json

import pytest

from breakthrough.api.schema import SNAPSHOT

pytestmark = pytest.mark.django_db

C = "/collaboratives/testbsc"
READS = [
    "/me",
    "/collaboratives",
    C,
    C + "/periods",
    C + "/teams",
    C + "/teams/alder",
    C + "/memberships",
    C + "/change-packages",
    C + "/change-packages/1.0/nodes",
    C + "/measures",
    C + "/measures/M1",
    C + "/values",
    C + "/teams/alder/charts",
    C + "/cycles",
    C + "/cycles/{cycle}",
    C + "/lessons",
    C + "/lessons/{lesson}",
    C + "/reports",
    C + "/teams/alder/reports/2024-01",
    C + "/sessions",
    C + "/sessions/{session}",
]
# (method, path) of every write, with a body valid enough to reach the access check.
WRITES = [
    ("patch", C, {"mission": "x"}),
    ("patch", C + "/teams/alder", {"edit_version": 1, "aim": "x"}),
    ("patch", C + "/memberships/{bob}", {"roles": []}),
    ("post", C + "/teams/alder/invitations", {"email": "x@example.org"}),
    ("post", C + "/change-packages/1.0/nodes", {"kind": "value", "title": "x"}),
    ("patch", C + "/change-packages/1.0/nodes/{idea}", {"edit_version": 1, "title": "x"}),
    ("post", C + "/measures", {"code": "Z", "name": "z", "kind": "process", "data_type": "count"}),
    ("patch", C + "/measures/M1", {"edit_version": 1, "goal": 1}),
    (
        "put",
        C + "/teams/alder/values",
        {"period": "2024-01-01", "values": [{"measure": "M1", "numerator": 1, "denominator": 2}]},
    ),
    ("post", C + "/teams/alder/cycles", {"title": "x", "nodes": [1]}),
    ("patch", C + "/cycles/{cycle}", {"edit_version": 1, "title": "x"}),
    ("post", C + "/cycles/{cycle}/advance", {"to_state": "doing"}),
    ("post", C + "/cycles/{cycle}/decision", {"decision": "adopt"}),
    ("post", C + "/lessons", {"statement": "x", "nodes": [1]}),
    ("put", C + "/lessons/{lesson}", {"statement": "x", "nodes": [1], "edit_version": 1}),
    ("post", C + "/lessons/{lesson}/endorsement", {"endorse": False}),
    ("put", C + "/teams/alder/reports/2024-02", {"achievements": "x"}),
    ("post", C + "/teams/alder/reports/2024-01/submission", {"edit_version": 1}),
    ("post", C + "/teams/alder/reports/2024-01/reopening", {"edit_version": 1, "reason": "x"}),
    ("put", C + "/teams/alder/reports/2024-02/skip", {"reason": "x"}),
    ("delete", C + "/teams/alder/reports/2024-01/skip", None),
    ("post", C + "/sessions/{session}/agenda", {"title": "x"}),
    ("delete", C + "/sessions/{session}/agenda/1", None),
    ("put", C + "/sessions/{session}/presenters/alder", {"topic": "x"}),
    ("delete", C + "/sessions/{session}/presenters/alder", None),
    ("put", C + "/sessions/{session}/attendance", {"present": ["alice"]}),
    ("put", C + "/teams/alder/reports/2024-01/scores/mine", {"score": 2, "justification": "x"}),
    ("post", C + "/teams/alder/reports/2024-01/scores/agreed", {"score": 2, "justification": "x"}),
]


@pytest.fixture
def work(world):
    """A cycle of team A, an endorsed lesson and team A's January report (shared with the other
    teams), for the paths that name them."""
    from breakthrough.changes.actions import do_create_lesson, do_endorse_lesson
    from breakthrough.pdsa.actions import do_plan_cycle
    from breakthrough.reports.actions import do_start_report
    from breakthrough.reports.models import ReportSettings

    do_start_report(world.team_a, world.periods[0], by=world.alice)
    ReportSettings.objects.create(collaborative=world.collaborative, sharing="narrative")

    cycle = do_plan_cycle(
        author=world.alice, team=world.team_a, title="t", objective="o", nodes=[world.idea]
    )
    lesson = do_create_lesson(
        collaborative=world.collaborative, author=world.alice, statement="s", nodes=[world.idea]
    )
    do_endorse_lesson(lesson, by=world.dina)
    session = world.collaborative.events.get(kind="learning_session")
    return {"cycle": cycle.pk, "lesson": lesson.pk, "session": session.pk}


def test_the_matrices_cover_every_operation():
    schema = json.loads(SNAPSHOT.read_text())
    ops = {(m, p) for p, methods in schema["paths"].items() for m in methods}
    covered = {
        ("get", "/api/v1" + p.replace("testbsc", "{slug}").replace("alder", "{team}"))
        for p in READS
    }
    covered |= {
        (m, "/api/v1" + p.replace("testbsc", "{slug}").replace("alder", "{team}"))
        for m, p, _ in WRITES
    }
    normalise = {
        "{bob}": "{membership_id}",
        "{idea}": "{node_id}",
        "1.0": "{version}",
        "M1": "{code}",
        "{cycle}": "{cycle_id}",
        "{lesson}": "{lesson_id}",
        "2024-01": "{month}",
        "{session}": "{session_id}",
        "agenda/1": "agenda/{item_id}",
        "2024-02": "{month}",
    }
    fixed = set()
    for m, p in covered:
        for a, b in normalise.items():
            p = p.replace(a, b)
        fixed.add((m, p))
    assert ops == fixed


EXPECTED = {
    "alice": 200,
    "bob": 200,
    "carol": 200,
    "fran": 200,
    "dina": 200,
    "olga": 404,
    "anon": 401,
}


@pytest.mark.parametrize("path", READS)
def test_every_read_for_every_person(world, api, work, path):
    path = path.format(**work)
    got = {name: api(name, scope="read").get(path).status_code for name in EXPECTED}
    expected = dict(EXPECTED)
    if path in ("/me", "/collaboratives"):
        expected["olga"] = 200  # her own collaborative
    assert got == expected


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_every_write_refuses_a_read_token_and_changes_nothing(world, api, work, method, path, body):
    from breakthrough.teams.models import Membership

    path = path.format(bob=Membership.objects.get(person=world.bob).pk, idea=world.idea.pk, **work)
    for name in ("dina", "alice"):
        response = getattr(api(name, scope="read"), method)(path, body)
        assert response.status_code == 403, (name, response.json())
        assert "write scope" in response.json()["message"]
    assert getattr(api("anon"), method)(path, body).status_code == 401
    assert getattr(api("olga"), method)(path, body).status_code == 404
