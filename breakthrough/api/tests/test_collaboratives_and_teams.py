from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from breakthrough.accounts.models import Invitation
from breakthrough.collaboratives.models import StaffRole
from breakthrough.teams.models import Membership

pytestmark = pytest.mark.django_db

C = "/collaboratives/testbsc"


@pytest.mark.parametrize(
    ("name", "slugs"),
    [
        ("alice", ["testbsc"]),
        ("carol", ["testbsc"]),
        ("fran", ["testbsc"]),
        ("dina", ["testbsc"]),
        ("olga", ["other"]),
    ],
)
def test_each_person_lists_their_own_collaboratives(world, api, name, slugs):
    body = api(name, scope="read").get("/collaboratives").json()
    assert [c["slug"] for c in body["items"]] == slugs and body["count"] == len(slugs)


@pytest.mark.parametrize(
    ("name", "status"),
    [("alice", 200), ("bob", 200), ("carol", 200), ("fran", 200), ("dina", 200), ("olga", 404)],
)
def test_a_collaborative_is_hidden_from_outsiders(world, api, name, status):
    response = api(name).get(C)
    assert response.status_code == status
    if status == 404:
        assert response.json() == {
            "status": 404,
            "code": "not_found",
            "message": "No such collaborative.",
            "errors": [],
        }
    else:
        assert response.json()["vocabulary"]["act"] == "Adjust"


def test_the_detail_gives_the_person_s_standing(world, api):
    assert api("alice").get(C).json()["you"] == {
        "roles": [],
        "teams": ["alder"],
        "is_staff": False,
        "can_manage": False,
    }
    assert api("dina").get(C).json()["you"]["roles"] == ["director"]


@pytest.mark.parametrize(
    ("name", "status"), [("dina", 200), ("fran", 200), ("alice", 403), ("olga", 404)]
)
def test_managers_change_the_collaborative(world, api, name, status):
    response = api(name).patch(C, {"mission": "Better together", "suppression_threshold": 11})
    assert response.status_code == status
    world.collaborative.refresh_from_db()
    assert (world.collaborative.suppression_threshold == 11) == (status == 200)


def test_collaborative_changes_are_checked(world, api):
    response = api("dina").patch(C, {"start": "2025-01-01", "end": "2024-01-01"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"loc": ["body", "end"], "message": "The end date must be on or after the start date."}
    ]
    response = api("dina").patch(C, {"name": None})
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", "name"]
    response = api("dina").patch(C, {"phase": "finished"})
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", "phase"]


def test_teams_list_with_permissions(world, api, django_assert_max_num_queries):
    client = api("alice")
    with django_assert_max_num_queries(9):
        body = client.get(C + "/teams").json()
    assert [t["slug"] for t in body["items"]] == ["alder", "birch"]
    alder, birch = body["items"]
    assert alder["you"] == {"read_work": True, "edit": True, "manage": True}
    assert birch["you"] == {"read_work": True, "edit": False, "manage": False}
    assert alder["jurisdiction"] == {"name": "Alder County", "kind": "urban", "region": ""}


def test_pagination_limits_and_offsets(world, api):
    body = api("alice").get(C + "/teams", limit=1, offset=1).json()
    assert body["count"] == 2 and [t["slug"] for t in body["items"]] == ["birch"]
    response = api("alice").get(C + "/teams", limit=0)
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["query", "limit"]


def test_periods_filter_by_dates(world, api):
    body = api("bob").get(C + "/periods", period_from="2024-02-01", period_to="2024-04-01").json()
    assert [p["start"] for p in body["items"]] == ["2024-02-01", "2024-03-01", "2024-04-01"]
    response = api("bob").get(C + "/periods", period_from="February")
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == [
        "query",
        "period_from",
    ]


@pytest.mark.parametrize(
    ("name", "status"),
    [("alice", 200), ("bob", 403), ("carol", 403), ("fran", 200), ("dina", 200), ("olga", 404)],
)
def test_team_leads_and_managers_change_a_team(world, api, name, status):
    response = api(name).patch(C + "/teams/alder", {"edit_version": 1, "aim": "Identify all"})
    assert response.status_code == status, response.json()
    world.team_a.refresh_from_db()
    assert (world.team_a.aim == "Identify all") == (status == 200)
    if status == 200:
        assert response.json()["edit_version"] == 2


def test_a_stale_edit_version_gets_409_and_changes_nothing(world, api):
    client = api("alice")
    assert client.patch(C + "/teams/alder", {"edit_version": 1, "aim": "First"}).status_code == 200
    response = client.patch(C + "/teams/alder", {"edit_version": 1, "aim": "Second"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and body["errors"][0]["loc"] == ["body", "aim"]
    world.team_a.refresh_from_db()
    assert world.team_a.aim == "First"


def test_unknown_team_is_404(world, api):
    response = api("alice").get(C + "/teams/nowhere")
    assert response.status_code == 404 and response.json()["message"] == "No such team."


def test_memberships_list_and_filter(world, api, django_assert_max_num_queries):
    client = api("carol")
    with django_assert_max_num_queries(8):
        body = client.get(C + "/memberships").json()
    assert body["count"] == 3
    body = client.get(C + "/memberships", team="alder").json()
    assert [(m["person"]["username"], m["roles"]) for m in body["items"]] == [
        ("alice", ["day_to_day_lead"]),
        ("bob", []),
    ]


@pytest.mark.parametrize(
    ("name", "status"), [("alice", 200), ("bob", 403), ("carol", 403), ("dina", 200)]
)
def test_memberships_change_by_team_leads_and_managers(world, api, name, status):
    bob = Membership.objects.get(person=world.bob)
    response = api(name).patch(f"{C}/memberships/{bob.pk}", {"roles": ["data_contact"]})
    assert response.status_code == status
    bob.refresh_from_db()
    assert bob.is_data_contact == (status == 200)


def test_ending_a_membership(world, api):
    bob = Membership.objects.get(person=world.bob)
    response = api("alice").patch(f"{C}/memberships/{bob.pk}", {"end": True})
    assert response.status_code == 200 and response.json()["ended_on"] is not None
    client = api("alice")
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert client.get(C + "/memberships", team="alder").json()["count"] == 1
        assert client.get(C + "/memberships", team="alder", include_ended=True).json()["count"] == 2
    other = Membership.objects.get(person=world.olga)
    assert api("dina").patch(f"{C}/memberships/{other.pk}", {"end": True}).status_code == 404


def test_inviting_to_a_team(world, api, mailoutbox):
    response = api("alice").post(
        C + "/teams/alder/invitations",
        {
            "email": "New.Person@example.org",
            "full_name": "New Person",
            "roles": ["data_contact"],
            "agency": "Alder Probation",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["email"] == "new.person@example.org"
    invitation = Invitation.objects.get()
    assert invitation.team == world.team_a and invitation.team_roles == ["data_contact"]
    assert len(mailoutbox) == 1
    assert (
        api("bob").post(C + "/teams/alder/invitations", {"email": "x@example.org"}).status_code
        == 403
    )
    response = api("alice").post(
        C + "/teams/alder/invitations", {"email": "x@example.org", "agency": "Nope"}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", "agency"]


def test_observers_and_evaluators_read_but_do_not_write(world, api):
    StaffRole.objects.create(collaborative=world.collaborative, person=world.olga, role="evaluator")
    client = api("olga")
    assert client.get(C).status_code == 200
    assert client.patch(C + "/teams/alder", {"edit_version": 1, "aim": "x"}).status_code == 403


def test_api_writes_are_recorded_in_the_history_as_the_token_s_person(world, api):
    api("alice").patch(C + "/teams/alder", {"edit_version": 1, "aim": "Recorded"})
    assert world.team_a.history.first().history_user == world.alice


def test_an_offset_beyond_any_page_is_refused(world, api):
    response = api("alice").get("/collaboratives", offset=10**28)
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == [
        "query",
        "offset",
    ]
