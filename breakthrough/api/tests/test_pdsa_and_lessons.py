from __future__ import annotations

import pytest

from breakthrough.changes.models import Lesson
from breakthrough.pdsa.models import PDSACycle

pytestmark = pytest.mark.django_db

C = "/collaboratives/testbsc"
PLAN = {
    "title": "CW liaison before detention",
    "objective": "Does calling the CW liaison change detention decisions?",
    "scale": "1 officer, 3 youth",
    "questions": [
        {"question": "Are calls answered quickly?", "prediction": "3 of 3 within 15 min"}
    ],
    "tasks": [
        {"what": "Call the liaison", "who": "Intake officer", "when": "3-7 Nov", "where": "Intake"}
    ],
    "data_plan": "Tally of call, answer and decision times.",
    "measures": ["M1"],
    "planned_start": "2024-02-05",
}


def plan(api, world, name="alice", team="alder", **extra):
    return api(name).post(f"{C}/teams/{team}/cycles", {**PLAN, "nodes": [world.idea.pk], **extra})


@pytest.mark.parametrize(
    ("name", "status"), [("alice", 201), ("bob", 201), ("fran", 201), ("carol", 403), ("olga", 404)]
)
def test_who_plans_a_team_s_cycle(world, api, name, status):
    assert plan(api, world, name).status_code == status
    assert PDSACycle.objects.count() == (1 if status == 201 else 0)


def test_a_cycle_through_its_gates_and_decision(world, api):
    client = api("alice")
    cycle = plan(api, world, objective="").json()
    assert cycle["state"] == "planned" and cycle["ramp"]["change_node"] == world.idea.pk
    closed = client.post(f"{C}/cycles/{cycle['id']}/advance", {"to_state": "doing"})
    assert closed.status_code == 422
    assert "Write the objective" in closed.json()["errors"][0]["message"]
    patched = client.patch(f"{C}/cycles/{cycle['id']}", {"edit_version": 1, "objective": "Learn"})
    assert patched.json()["objective"] == "Learn"
    assert (
        client.patch(f"{C}/cycles/{cycle['id']}", {"edit_version": 1, "objective": "x"}).status_code
        == 409
    )
    assert (
        client.post(f"{C}/cycles/{cycle['id']}/advance", {"to_state": "doing"}).json()["state"]
        == "doing"
    )
    v = client.get(f"{C}/cycles/{cycle['id']}").json()["edit_version"]
    client.patch(
        f"{C}/cycles/{cycle['id']}",
        {"edit_version": v, "do_notes": "Ran it", "start": "2024-02-05"},
    )
    assert (
        client.post(f"{C}/cycles/{cycle['id']}/advance", {"to_state": "studying"}).json()["state"]
        == "studying"
    )
    v = client.get(f"{C}/cycles/{cycle['id']}").json()["edit_version"]
    questions = [{**PLAN["questions"][0], "outcome": "confirmed", "comparison": "All answered"}]
    client.patch(
        f"{C}/cycles/{cycle['id']}",
        {
            "edit_version": v,
            "questions": questions,
            "results": "3/3",
            "learned": "Works",
            "end": "2024-02-09",
        },
    )
    response = client.post(f"{C}/cycles/{cycle['id']}/advance", {"to_state": "decided"})
    assert response.status_code == 200, response.json()
    decided = client.post(
        f"{C}/cycles/{cycle['id']}/decision", {"decision": "adapt", "next_steps": "Two officers"}
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["cycle"]["decision"] == "adapt" and decided.json()["next_cycle"]
    assert decided.json()["cycle"]["predictions_confirmed"] == 1


def test_cycles_list_filters_and_privacy(world, api, django_assert_max_num_queries):
    plan(api, world)
    plan(api, world, "carol", "birch", title="Birch test", planned_start="2024-05-01")
    client = api("bob")
    with django_assert_max_num_queries(10):
        body = client.get(f"{C}/cycles").json()
    assert body["count"] == 2
    assert [c["title"] for c in client.get(f"{C}/cycles", team="birch").json()["items"]] == [
        "Birch test"
    ]
    assert client.get(f"{C}/cycles", period_from="2024-04-01").json()["count"] == 1
    world.team_b.data_visibility = "faculty_only"
    world.team_b.save()
    assert client.get(f"{C}/cycles").json()["count"] == 1
    birch = PDSACycle.objects.get(team=world.team_b)
    assert client.get(f"{C}/cycles/{birch.pk}").status_code == 404
    assert api("fran").get(f"{C}/cycles/{birch.pk}").status_code == 200
    assert (
        api("carol")
        .patch(
            f"{C}/cycles/{PDSACycle.objects.get(team=world.team_a).pk}",
            {"edit_version": 1, "title": "x"},
        )
        .status_code
        == 403
    )


def test_unknown_nodes_and_measures_are_named(world, api):
    response = plan(api, world, nodes=[999999], measures=["NOPE"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "nodes"]


def test_lessons_written_endorsed_and_seen(world, api):
    cycle = plan(api, world).json()
    body = {
        "statement": "Calling the liaison first halves detention.",
        "nodes": [world.idea.pk],
        "cycles": [cycle["id"]],
        "measures": ["M1"],
    }
    created = api("alice").post(f"{C}/lessons", body)
    assert created.status_code == 201, created.json()
    lesson = created.json()
    assert lesson["status"] == "draft" and lesson["teams"] == ["alder"]
    assert api("carol").get(f"{C}/lessons").json()["count"] == 0  # a draft of another team
    assert (
        api("carol").post(f"{C}/lessons/{lesson['id']}/endorsement", {"endorse": True}).status_code
        == 403
    )
    assert (
        api("alice").post(f"{C}/lessons/{lesson['id']}/endorsement", {"endorse": True}).status_code
        == 403
    )
    endorsed = api("dina").post(f"{C}/lessons/{lesson['id']}/endorsement", {"endorse": True})
    assert endorsed.json()["status"] == "endorsed"
    assert api("carol").get(f"{C}/lessons").json()["count"] == 1
    rewrite = {
        **body,
        "statement": "Calling first works.",
        "edit_version": endorsed.json()["edit_version"],
    }
    assert (
        api("alice").put(f"{C}/lessons/{lesson['id']}", rewrite).status_code == 403
    )  # endorsed: staff only
    assert (
        api("fran").put(f"{C}/lessons/{lesson['id']}", rewrite).json()["statement"]
        == "Calling first works."
    )
    assert api("olga").get(f"{C}/lessons").status_code == 404
    assert Lesson.objects.count() == 1


def test_ids_beyond_any_database_are_refused(world, api):
    client = api("alice")
    response = client.get(f"{C}/cycles/{10**30}")
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == [
        "path",
        "cycle_id",
    ]
    response = plan(api, world, nodes=[10**25])
    assert response.status_code == 422 and response.json()["errors"][0]["loc"][:2] == [
        "body",
        "nodes",
    ]
