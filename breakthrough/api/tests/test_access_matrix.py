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
    ("put", C + "/teams/alder/values", {"period": "2024-01-01", "values": [{"measure": "M1", "numerator": 1, "denominator": 2}]}),
]


def test_the_matrices_cover_every_operation():
    schema = json.loads(SNAPSHOT.read_text())
    ops = {(m, p) for p, methods in schema["paths"].items() for m in methods}
    covered = {("get", "/api/v1" + p.replace("testbsc", "{slug}").replace("alder", "{team}")) for p in READS}
    covered |= {(m, "/api/v1" + p.replace("testbsc", "{slug}").replace("alder", "{team}")) for m, p, _ in WRITES}
    normalise = {
        "{bob}": "{membership_id}", "{idea}": "{node_id}", "1.0": "{version}", "M1": "{code}",
    }
    fixed = set()
    for m, p in covered:
        for a, b in normalise.items():
            p = p.replace(a, b)
        fixed.add((m, p))
    assert ops == fixed


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize(
    ("name", "status"),
    [("alice", 200), ("bob", 200), ("carol", 200), ("fran", 200), ("dina", 200), ("olga", 404), ("anon", 401)],
)
def test_every_read_for_every_person(world, api, path, name, status):
    if path in ("/me", "/collaboratives") and name == "olga":
        status = 200  # her own collaborative
    assert api(name, scope="read").get(path).status_code == status


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_every_write_refuses_a_read_token_and_changes_nothing(world, api, method, path, body):
    from breakthrough.teams.models import Membership

    path = path.format(bob=Membership.objects.get(person=world.bob).pk, idea=world.idea.pk)
    for name in ("dina", "alice"):
        response = getattr(api(name, scope="read"), method)(path, body)
        assert response.status_code == 403, (name, response.json())
        assert "write scope" in response.json()["message"]
    assert getattr(api("anon"), method)(path, body).status_code == 401
    assert getattr(api("olga"), method)(path, body).status_code == 404
