from __future__ import annotations

import json

import pytest

from breakthrough.changes.models import ChangePackage
from breakthrough.measures.models import Measure, MeasureValue, Stratifier

pytestmark = pytest.mark.django_db

C = "/collaboratives/testbsc"
JAN = "2024-01-01"


def upsert(client, values, period=JAN, team="alder"):
    return client.put(f"{C}/teams/{team}/values", {"period": period, "values": values})


@pytest.fixture
def strata(world):
    race = Stratifier.objects.create(
        collaborative=world.collaborative,
        code="race",
        name="Race",
        categories=[
            {"code": "black", "label": "Black"},
            {"code": "white", "label": "White"},
            {"code": "other", "label": "Other"},
        ],
    )
    world.measure.stratifiers.add(race)
    return race


@pytest.mark.parametrize(
    ("name", "status"), [("alice", 200), ("bob", 200), ("fran", 200), ("carol", 403), ("olga", 404)]
)
def test_who_enters_a_team_s_values(world, api, name, status):
    response = upsert(api(name), [{"measure": "M1", "numerator": 7, "denominator": 10}])
    assert response.status_code == status
    assert MeasureValue.objects.filter(team=world.team_a).count() == (1 if status == 200 else 0)


def test_upsert_creates_then_updates_then_leaves_alone(world, api):
    client = api("alice")
    body = upsert(
        client, [{"measure": "M1", "numerator": 7, "denominator": 10, "note": "first"}]
    ).json()
    assert (body["created"], body["updated"], body["unchanged"]) == (1, 0, 0)
    assert body["values"][0]["rate"] == 0.7 and body["values"][0]["revision"] == 1
    body = upsert(client, [{"measure": "M1", "numerator": 8, "denominator": 10}]).json()
    assert (body["created"], body["updated"]) == (0, 1) and body["values"][0]["revision"] == 2
    body = upsert(client, [{"measure": "M1", "numerator": 8, "denominator": 10}]).json()
    assert body["unchanged"] == 1
    value = MeasureValue.objects.get()
    assert value.entered_by == world.alice and value.history.count() == 2


def test_one_bad_row_writes_nothing_and_every_problem_is_named(world, api, strata):
    response = upsert(
        api("alice"),
        [
            {"measure": "M1", "numerator": 7, "denominator": 10},
            {"measure": "M1", "stratum": "race:black", "numerator": 9, "denominator": 4},
            {"measure": "M9", "value": 3},
            {"measure": "M1", "stratum": "race:martian", "numerator": 1, "denominator": 2},
            {"measure": "M1", "stratum": "race:white", "numerator": 1},
        ],
    )
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "4 rows cannot be entered; nothing was saved."
    locs = {tuple(e["loc"]): e["message"] for e in body["errors"]}
    assert (
        locs[("body", "values", 1, "numerator")]
        == "The numerator (9) cannot exceed the denominator (4)."
    )
    assert "does not report a measure 'M9'" in locs[("body", "values", 2, "measure")]
    assert "race:black" in locs[("body", "values", 3, "stratum")]
    assert "give the denominator" in locs[("body", "values", 4, "denominator")]
    assert not MeasureValue.objects.exists()


def test_wrong_types_unknown_period_and_too_many_rows(world, api):
    client = api("alice")
    response = upsert(client, [{"measure": "M1", "numerator": "seven", "denominator": 10}])
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "values", 0, "numerator"]
    response = upsert(client, [{"measure": "M1", "numerator": -1, "denominator": 10}])
    assert response.status_code == 422
    response = upsert(
        client, [{"measure": "M1", "numerator": 1, "denominator": 2}], period="2030-01-01"
    )
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", "period"]
    response = upsert(client, [])
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", "values"]
    rows = [{"measure": "M1", "numerator": 1, "denominator": 2}] * 2001
    assert upsert(client, rows).status_code == 422
    assert not MeasureValue.objects.exists()


def test_malformed_json_is_400(world, api):
    response = api("alice").put(
        f"{C}/teams/alder/values", '{"period": "2024-01-01", "values": [', raw=True
    )
    assert response.status_code == 400
    assert response.json()["message"] == "The request body is not valid JSON."


def test_oversized_bodies_are_413(world, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    rows = [{"measure": "M1", "numerator": 1, "denominator": 2, "note": "x" * 400}] * 5
    response = upsert(api("alice"), rows)
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert not MeasureValue.objects.exists()


def test_a_stale_revision_is_a_conflict(world, api):
    alice, bob = api("alice"), api("bob")
    upsert(alice, [{"measure": "M1", "numerator": 7, "denominator": 10}])
    assert (
        upsert(
            bob, [{"measure": "M1", "numerator": 6, "denominator": 10, "revision": 1}]
        ).status_code
        == 200
    )
    response = upsert(alice, [{"measure": "M1", "numerator": 9, "denominator": 10, "revision": 1}])
    assert response.status_code == 409
    assert response.json()["errors"][0]["loc"] == ["body", "values", 0, "revision"]
    assert MeasureValue.objects.get().numerator == 6


def _seed_values(world, strata):
    from breakthrough.measures.actions import ValueRow, do_upsert_measure_values

    for team, person in ((world.team_a, world.alice), (world.team_b, world.carol)):
        for i, period in enumerate(world.periods):
            do_upsert_measure_values(
                team=team,
                period=period,
                person=person,
                rows=[
                    ValueRow("M1", "", numerator=3 + i, denominator=20),
                    ValueRow("M1", "race:black", numerator=2, denominator=8),
                    ValueRow("M1", "race:white", numerator=1 + i, denominator=12),
                ],
            )


def test_values_of_other_teams_hide_small_counts(world, api, strata, django_assert_max_num_queries):
    _seed_values(world, strata)
    client = api("carol")
    with django_assert_max_num_queries(12):
        body = client.get(
            C + "/values", team="alder", period_from="2024-01-01", period_to="2024-01-01"
        ).json()
    rows = {v["stratum"]: v for v in body["items"]}
    assert rows[""]["numerator"] is None and rows[""]["suppressed"] is True  # 3 < 5
    assert rows["race:black"]["suppressed"] and rows["race:black"]["rate"] is None
    own = client.get(
        C + "/values", team="birch", period_from="2024-01-01", period_to="2024-01-01"
    ).json()
    assert {v["stratum"]: v["numerator"] for v in own["items"]} == {
        "": 3,
        "race:black": 2,
        "race:white": 1,
    }
    staff = api("fran").get(C + "/values", team="alder", stratum="", period_to="2024-01-01").json()
    assert staff["items"][0]["numerator"] == 3


def test_a_second_stratum_is_hidden_to_stop_back_calculation(world, api, strata):
    _seed_values(world, strata)
    body = (
        api("carol")
        .get(C + "/values", team="alder", period_from="2024-04-01", period_to="2024-04-01")
        .json()
    )
    rows = {v["stratum"]: v for v in body["items"]}
    assert rows[""]["numerator"] == 6  # the total is shown
    assert rows["race:black"]["suppressed"]  # 2 < 5
    assert rows["race:white"]["suppressed"]  # 4 would give 6 - 4 = 2 away


def test_faculty_only_teams_keep_their_values(world, api, strata):
    _seed_values(world, strata)
    world.team_a.data_visibility = "faculty_only"
    world.team_a.save()
    assert api("carol").get(C + "/values", team="alder").status_code == 403
    assert {v["team"] for v in api("carol").get(C + "/values").json()["items"]} == {"birch"}
    assert api("fran").get(C + "/values", team="alder").json()["count"] == 18


def test_charts_give_centre_lines_limits_and_signals(world, api, strata):
    _seed_values(world, strata)
    body = api("alice").get(C + "/teams/alder/charts").json()
    [chart] = body
    assert chart["measure"] == "M1" and chart["chart"] in {"run", "p", "pp"}
    assert [p["period"] for p in chart["points"]] == [p.start.isoformat() for p in world.periods]
    assert chart["points"][0]["y"] == pytest.approx(15.0) and chart["points"][0]["cl"] is not None
    assert chart["status"] in {"improvement", "common_cause", "special_cause", "not_enough_data"}
    other = api("carol").get(C + "/teams/alder/charts", measure="M1").json()[0]
    assert other["points"][0]["suppressed"] and other["points"][0]["y"] is None
    assert other["points"][-1]["y"] == pytest.approx(40.0)
    assert api("carol").get(C + "/teams/alder/charts", measure="M7").status_code == 404


@pytest.mark.parametrize(
    ("name", "status"), [("dina", 201), ("fran", 201), ("alice", 403), ("olga", 404)]
)
def test_managers_add_measures(world, api, name, status):
    response = api(name).post(
        C + "/measures",
        {
            "code": "M2",
            "name": "Joint assessment",
            "kind": "process",
            "data_type": "proportion",
            "multiplier": 100,
            "unit": "%",
            "goal": 80,
        },
    )
    assert response.status_code == status
    assert Measure.objects.filter(code="M2").exists() == (status == 201)


def test_measure_checks_and_conflicts(world, api):
    client = api("dina")
    response = client.post(
        C + "/measures", {"code": "M1", "name": "Dup", "kind": "process", "data_type": "count"}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", "code"]
    response = client.post(
        C + "/measures",
        {"code": "X", "name": "Custom", "kind": "process", "data_type": "count", "scope": "custom"},
    )
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == [
        "body",
        "owner_team",
    ]
    assert client.patch(C + "/measures/M1", {"edit_version": 1, "goal": 80}).json()["goal"] == 80
    response = client.patch(C + "/measures/M1", {"edit_version": 1, "goal": 90})
    assert response.status_code == 409


def test_team_custom_measures_stay_with_their_team(world, api):
    api("dina").post(
        C + "/measures",
        {
            "code": "CA",
            "name": "Alder's own",
            "kind": "process",
            "data_type": "count",
            "scope": "custom",
            "owner_team": "alder",
        },
    )
    assert "CA" in [m["code"] for m in api("bob").get(C + "/measures").json()["items"]]
    assert "CA" not in [m["code"] for m in api("carol").get(C + "/measures").json()["items"]]
    assert api("carol").get(C + "/measures/CA").status_code == 404


def test_change_package_nodes(world, api):
    body = api("bob").get(C + "/change-packages/1.0/nodes").json()
    assert [n["code"] for n in body["items"]] == ["", "C1", "1.1"]
    assert body["items"][2]["parent"] == world.component.pk
    response = api("dina").post(
        C + "/change-packages/1.0/nodes",
        {"kind": "idea", "title": "x", "parent": world.component.pk},
    )
    assert response.status_code == 422 and "draft" in response.json()["errors"][0]["message"]
    ChangePackage.objects.create(collaborative=world.collaborative, version="2.0", title="Next")
    assert api("bob").get(C + "/change-packages/2.0/nodes").status_code == 404  # drafts: staff only
    client = api("dina")
    c2 = client.post(
        C + "/change-packages/2.0/nodes", {"kind": "component", "code": "C1", "title": "Early"}
    ).json()
    idea = client.post(
        C + "/change-packages/2.0/nodes",
        {"kind": "idea", "code": "1.1", "title": "Match", "parent": c2["id"]},
    )
    assert idea.status_code == 201
    wrong = client.post(
        C + "/change-packages/2.0/nodes", {"kind": "component", "title": "Bad", "parent": c2["id"]}
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["loc"] == ["body", "parent"]
    response = client.patch(
        f"{C}/change-packages/2.0/nodes/{c2['id']}",
        {"edit_version": 1, "title": "Early identification"},
    )
    assert (
        response.json()["title"] == "Early identification" and response.json()["edit_version"] == 2
    )
    stale = client.patch(
        f"{C}/change-packages/2.0/nodes/{c2['id']}", {"edit_version": 1, "title": "Old"}
    )
    assert stale.status_code == 409
    retired = client.patch(
        f"{C}/change-packages/2.0/nodes/{c2['id']}", {"edit_version": 2, "retired": True}
    )
    assert retired.json()["retired"] is True
    assert (
        api("alice")
        .post(C + "/change-packages/2.0/nodes", {"kind": "value", "title": "x"})
        .status_code
        == 403
    )


def test_the_error_body_is_the_same_for_every_failure(world, api):
    client = api("alice")
    for response in (
        client.get("/collaboratives/nope"),
        client.put(f"{C}/teams/alder/values", "[]", raw=True),
        client.get(C + "/measures/NOPE"),
        api(None).get(C),
    ):
        body = response.json()
        assert set(body) == {"status", "code", "message", "errors"}
        assert body["status"] == response.status_code
    response = client.get("/nowhere")
    assert response.status_code == 404 and json.loads(response.content)["code"] == "not_found"


def test_an_empty_owner_team_means_none(world, api):
    response = api("dina").post(
        C + "/measures",
        {"code": "M3", "name": "x", "kind": "process", "data_type": "count", "owner_team": ""},
    )
    assert response.status_code == 201 and response.json()["owner_team"] is None


def test_list_endpoints_have_a_fixed_number_of_queries(world, api, django_assert_max_num_queries):
    client = api("bob")
    for i in range(5):
        Measure.objects.create(
            collaborative=world.collaborative,
            code=f"X{i}",
            name="x",
            kind="process",
            data_type="count",
        )
    with django_assert_max_num_queries(9):
        assert client.get(C + "/measures").json()["count"] == 6
    with django_assert_max_num_queries(9):
        assert client.get(C + "/change-packages/1.0/nodes").json()["count"] == 3
    with django_assert_max_num_queries(9):
        assert client.get(C + "/change-packages").json()["count"] == 1


def test_values_the_database_cannot_store_are_422(world, api):
    response = api("alice").put(
        f"{C}/teams/alder/values",
        {
            "period": JAN,
            "values": [{"measure": "M1", "numerator": 1, "denominator": 2, "note": "a\x00b"}],
        },
    )
    assert response.status_code in (200, 422)  # SQLite stores NUL; PostgreSQL cannot
    if response.status_code == 422:
        assert response.json()["message"] == "The request holds a value the database cannot store."
        assert not MeasureValue.objects.exists()
