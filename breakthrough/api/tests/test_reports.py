"""Monthly reports through the API: the report pages' access rules, blind scoring, drafts,
submission and scores, with every refusal writing nothing.

alice (lead, team A), bob (member, A), carol (member, B), fran (faculty, not a scorer),
dina (director, scorer), vic (advisor, scorer), sara (A's senior leader), olga (outside).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from breakthrough.reports.actions import ScoreInput, do_score_report
from breakthrough.reports.models import MonthlyReport, ReportSettings
from breakthrough.reports.tests.helpers import add_roles, submitted_report

pytestmark = pytest.mark.django_db

C = "/collaboratives/testbsc"
JAN = C + "/teams/alder/reports/2024-01"
FEB = C + "/teams/alder/reports/2024-02"


@pytest.fixture
def rworld(world):
    add_roles(world)
    world.jan = submitted_report(world, score="2.5")
    return world


READ_EXPECTED = {
    # person: (GET one report of team A, sees team A's reports in the list)
    "alice": (200, True),
    "bob": (200, True),
    "sara": (200, True),
    "carol": (404, False),
    "fran": (200, True),
    "dina": (200, True),
    "olga": (404, None),
    "anon": (401, None),
}


@pytest.mark.parametrize("person", READ_EXPECTED)
def test_who_reads_a_team_report(rworld, api, person):
    one, listed = READ_EXPECTED[person]
    client = api(person, scope="read")
    assert client.get(JAN).status_code == one
    response = client.get(C + "/reports")
    if listed is None:
        assert response.status_code == one
    else:
        assert response.status_code == 200
        teams = {r["team"] for r in response.json()["items"]}
        assert ("alder" in teams) is listed


def test_sharing_lets_other_teams_read_narratives_then_scores(rworld, api):
    carol = api("carol", scope="read")
    cfg = ReportSettings.objects.create(collaborative=rworld.collaborative, sharing="narrative")
    body = carol.get(JAN).json()
    assert body["achievements"] == "Ran the daily match for two weeks."
    assert body["scores"] is None and body["self_score"] is None
    assert body["self_justification"] == ""
    cfg.sharing = "all"
    cfg.save()
    body = carol.get(JAN).json()
    assert body["self_score"] == 2.5
    assert body["scores"]["self_assessment"]["score"] == 2.5
    # A team that keeps its work faculty-only is never shown, whatever the setting.
    rworld.team_a.data_visibility = "faculty_only"
    rworld.team_a.save()
    assert carol.get(JAN).status_code == 404
    assert carol.get(C + "/reports", team="alder").json()["count"] == 0


def test_faculty_scoring_is_blind_as_on_the_report_page(rworld, api):
    dina, vic, fran, alice = (api(p, scope="read") for p in ("dina", "vic", "fran", "alice"))
    # A scorer does not see the team's self-score, nor the others' scores, before scoring.
    before = dina.get(JAN).json()
    assert before["scores"]["self_assessment"] is None and before["self_score"] is None
    assert before["scores"]["can_score"] is True
    assert set(before["scores"]["waiting_for"]) == {"dina", "vic"}
    do_score_report(rworld.jan, scorer=rworld.vic, data=ScoreInput(Decimal("3.0"), "ok"))
    assert dina.get(JAN).json()["scores"]["hidden_faculty"] == 1
    assert dina.get(JAN).json()["scores"]["faculty"] == []
    do_score_report(rworld.jan, scorer=rworld.dina, data=ScoreInput(Decimal("2.0"), "ok"))
    mine = dina.get(JAN).json()["scores"]
    assert sorted(a["score"] for a in mine["faculty"]) == [2.0, 3.0]
    assert mine["self_assessment"]["score"] == 2.5 and mine["can_reconcile"] is True
    assert vic.get(JAN).json()["scores"]["hidden_faculty"] == 0
    # Other staff see individual scores only once they are agreed; the team never does.
    assert fran.get(JAN).json()["scores"]["faculty"] == []
    assert alice.get(JAN).json()["scores"]["faculty"] == []
    rworld.jan.refresh_from_db()
    from breakthrough.reports.actions import do_reconcile_report

    do_reconcile_report(rworld.jan, by=rworld.dina, data=ScoreInput(Decimal("2.5"), "agreed"))
    assert len(fran.get(JAN).json()["scores"]["faculty"]) == 2
    team_view = alice.get(JAN).json()["scores"]
    assert team_view["faculty"] == [] and team_view["hidden_faculty"] == 2
    assert team_view["agreed"]["score"] == 2.5 and team_view["agreed"]["assessor"] is None
    assert team_view["waiting_for"] == []


def test_list_filters_and_pagination(rworld, api):
    submitted_report(rworld, period=rworld.periods[1])
    submitted_report(rworld, team=rworld.team_b, period=rworld.periods[0], by=rworld.carol)
    MonthlyReport.objects.filter(team=rworld.team_b).update(state="reopened")
    dina = api("dina", scope="read")
    body = dina.get(C + "/reports").json()
    assert body["count"] == 3
    assert [(r["month"], r["team"]) for r in body["items"]] == [
        ("2024-01", "alder"),
        ("2024-01", "birch"),
        ("2024-02", "alder"),
    ]
    assert dina.get(C + "/reports", team="birch").json()["count"] == 1
    assert dina.get(C + "/reports", state="reopened").json()["count"] == 1
    assert dina.get(C + "/reports", period_from="2024-02-01").json()["count"] == 1
    assert dina.get(C + "/reports", period_to="2024-01-31").json()["count"] == 2
    page = dina.get(C + "/reports", limit=1, offset=2).json()
    assert page["count"] == 3 and [r["month"] for r in page["items"]] == ["2024-02"]
    assert dina.get(C + "/reports", team="nope").status_code == 404
    assert dina.get(C + "/reports", state="lost").status_code == 422
    assert dina.get(C + "/teams/alder/reports/2024-13").status_code == 404
    assert dina.get(C + "/teams/alder/reports/2025-01").status_code == 404
    assert dina.get(C + "/teams/alder/reports/jan").status_code == 422
    assert dina.get(C + "/teams/alder/reports/2024-03").status_code == 404  # not started


def test_a_team_writes_and_submits_its_report(rworld, api):
    alice = api("alice")
    node = rworld.jan.component_statuses.first().node_id
    body = {
        "achievements": "Matched 40 arrests.",
        "self_score": 2.0,
        "self_justification": "First tests.",
        "statuses": [{"node": node, "status": "testing", "notes": "daily match"}],
    }
    created = alice.put(FEB, body)
    assert created.status_code == 200, created.json()
    draft = created.json()
    assert draft["state"] == "draft" and draft["achievements"] == "Matched 40 arrests."
    assert draft["self_score"] == 2.0
    status = next(s for s in draft["statuses"] if s["node"] == node)
    assert (status["status"], status["notes"]) == ("testing", "daily match")
    report = MonthlyReport.objects.get(team=rworld.team_a, period=rworld.periods[1])
    assert report.history.count() >= 2  # started, then saved: history is kept

    # Once it exists, a write names the version it read; a stale one is a 409.
    again = alice.put(FEB, {"learning": "x"})
    assert again.status_code == 422 and again.json()["errors"][0]["loc"] == [
        "body",
        "edit_version",
    ]
    version = draft["edit_version"]
    assert alice.put(FEB, {"learning": "Spelling.", "edit_version": version}).status_code == 200
    stale = alice.put(FEB, {"learning": "Other.", "edit_version": version})
    assert stale.status_code == 409
    report.refresh_from_db()
    assert report.learning == "Spelling." and report.achievements == "Matched 40 arrests."

    # Submitting: a stale version is a 409; then it is submitted and people are told.
    assert alice.post(FEB + "/submission", {"edit_version": version}).status_code == 409
    mail.outbox.clear()
    done = alice.post(FEB + "/submission", {"edit_version": report.edit_version})
    assert done.status_code == 200, done.json()
    assert done.json()["state"] == "submitted"
    assert {m.to[0] for m in mail.outbox} == {"sara@example.com", "cody@example.com"}
    # A submitted report is not changed through the draft route.
    closed = alice.put(FEB, {"learning": "late", "edit_version": done.json()["edit_version"]})
    assert closed.status_code == 409 and "reopen" in closed.json()["message"]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"self_score": 0.75}, ["body", "self_score"]),
        ({"self_score": 6}, ["body", "self_score"]),
        ({"achievements": None}, ["body", "achievements"]),
        ({"statuses": [{"node": 999, "status": "testing"}]}, ["body", "statuses", 0, "node"]),
        ({"statuses": [{"node": 1, "status": "done"}]}, ["body", "statuses", 0, "status"]),
        ({"edit_version": 0}, ["body", "edit_version"]),
    ],
)
def test_bad_drafts_say_where_and_write_nothing(rworld, api, body, where):
    alice = api("alice")
    before = MonthlyReport.objects.filter(period=rworld.periods[1]).count()
    response = alice.put(FEB, body)
    assert response.status_code == 422, response.json()
    assert where in [e["loc"] for e in response.json()["errors"]]
    assert MonthlyReport.objects.filter(period=rworld.periods[1]).count() == before


def test_a_hidden_half_point_is_refused(rworld, api):
    ReportSettings.objects.create(collaborative=rworld.collaborative, hide_half_point=True)
    response = api("alice").put(FEB, {"self_score": 0.5})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "self_score"]
    assert not MonthlyReport.objects.filter(period=rworld.periods[1]).exists()


def test_submission_is_refused_when_incomplete_or_personal(rworld, api):
    alice = api("alice")
    draft = alice.put(FEB, {"learning": "x"}).json()
    missing = alice.post(FEB + "/submission", {"edit_version": draft["edit_version"]})
    assert missing.status_code == 422
    assert "self-assessment" in missing.json()["errors"][0]["message"]
    draft = alice.put(
        FEB,
        {
            "achievements": "Youth DOB 03/04/2009 matched",
            "self_score": 2.0,
            "edit_version": draft["edit_version"],
        },
    ).json()
    personal = alice.post(FEB + "/submission", {"edit_version": draft["edit_version"]})
    assert personal.status_code == 422
    assert personal.json()["errors"][0]["loc"] == ["body", "achievements"]
    assert MonthlyReport.objects.get(period=rworld.periods[1], team=rworld.team_a).state == "draft"
    assert (
        alice.post(C + "/teams/alder/reports/2024-03/submission", {"edit_version": 1}).status_code
        == 404
    )


WRITE_EXPECTED = {
    # person: status of writing team A's February draft
    "alice": 200,
    "bob": 200,
    "carol": 404,
    "fran": 200,
    "dina": 200,
    "olga": 404,
    "anon": 401,
}


def test_reopen_skip_and_unskip_through_the_api(rworld, api):
    alice = api("alice")
    version = rworld.jan.edit_version
    # Reopening names a reason and the version read; the submitted revision is kept.
    assert (
        alice.post(JAN + "/reopening", {"edit_version": version, "reason": ""}).status_code == 422
    )
    assert (
        alice.post(JAN + "/reopening", {"edit_version": version - 1, "reason": "x"}).status_code
        == 409
    )
    reopened = alice.post(JAN + "/reopening", {"edit_version": version, "reason": "Wrong month."})
    assert reopened.status_code == 200, reopened.json()
    assert reopened.json()["state"] == "reopened"
    revision = rworld.jan.revisions.get(revision=rworld.jan.revision)
    assert (revision.reopen_reason, revision.reopened_by) == ("Wrong month.", rworld.alice)
    again = alice.post(
        JAN + "/reopening", {"edit_version": reopened.json()["edit_version"], "reason": "x"}
    )
    assert (
        again.status_code == 422
        and "Only a submitted report" in again.json()["errors"][0]["message"]
    )

    # Skipping a month the team has not started, then undoing it.
    blank = alice.put(FEB + "/skip", {"reason": "  "})
    assert blank.status_code == 422 and "Give the reason" in blank.json()["errors"][0]["message"]
    assert not MonthlyReport.objects.filter(period=rworld.periods[1]).exists()
    skipped = alice.put(FEB + "/skip", {"reason": "No court sessions in February."})
    assert skipped.status_code == 200 and skipped.json()["state"] == "skipped"
    assert skipped.json()["skip_reason"] == "No court sessions in February."
    undone = alice.delete(FEB + "/skip")
    assert undone.status_code == 200 and undone.json()["state"] == "draft"
    assert undone.json()["statuses"]  # the component statuses are filled in again
    assert alice.delete(FEB + "/skip").status_code == 422  # not skipped any more


def test_a_submitted_report_cannot_be_skipped(rworld, api):
    response = api("alice").put(JAN + "/skip", {"reason": "x"})
    assert (
        response.status_code == 422 and "reopen it first" in response.json()["errors"][0]["message"]
    )
    assert MonthlyReport.objects.get(pk=rworld.jan.pk).state == "submitted"


@pytest.mark.parametrize("person", WRITE_EXPECTED)
def test_who_reopens_and_skips(rworld, api, person):
    expected = WRITE_EXPECTED[person]
    body = {"edit_version": rworld.jan.edit_version, "reason": "x"}
    assert api(person).post(JAN + "/reopening", body).status_code == expected
    assert api(person).put(FEB + "/skip", {"reason": "x"}).status_code == expected
    states = dict(MonthlyReport.objects.values_list("period__start__month", "state"))
    assert states.get(1) == ("reopened" if expected == 200 else "submitted")
    assert states.get(2) == ("skipped" if expected == 200 else None)


@pytest.mark.parametrize("person", WRITE_EXPECTED)
def test_who_writes_a_team_report(rworld, api, person):
    response = api(person).put(FEB, {"barriers": f"by {person}"})
    assert response.status_code == WRITE_EXPECTED[person]
    exists = MonthlyReport.objects.filter(team=rworld.team_a, period=rworld.periods[1]).exists()
    assert exists == (WRITE_EXPECTED[person] == 200)


def test_reading_a_shared_report_is_not_writing_it(rworld, api):
    ReportSettings.objects.create(collaborative=rworld.collaborative, sharing="all")
    response = api("carol").put(FEB, {"barriers": "x"})
    assert response.status_code == 403
    assert not MonthlyReport.objects.filter(period=rworld.periods[1]).exists()


SCORE = {"score": 2.0, "justification": "Tests under way."}


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("dina", 200),
        ("vic", 200),
        ("fran", 403),
        ("alice", 403),
        ("carol", 403),
        ("olga", 404),
        ("anon", 401),
    ],
)
def test_who_scores(rworld, api, person, expected):
    response = api(person).put(JAN + "/scores/mine", SCORE)
    assert response.status_code == expected, response.json()
    assert rworld.jan.assessments.filter(kind="faculty").count() == (expected == 200)


def test_scores_and_agreement_through_the_api(rworld, api):
    dina, vic = api("dina"), api("vic")
    early = dina.post(JAN + "/scores/agreed", SCORE)
    assert (
        early.status_code == 422 and "Every assigned scorer" in early.json()["errors"][0]["message"]
    )
    assert dina.put(JAN + "/scores/mine", {"score": 2.0, "justification": ""}).status_code == 422
    assert dina.put(JAN + "/scores/mine", SCORE).status_code == 200
    assert vic.put(JAN + "/scores/mine", {**SCORE, "score": 3.0}).status_code == 200
    assert api("fran").post(JAN + "/scores/agreed", SCORE).status_code == 403
    agreed = dina.post(JAN + "/scores/agreed", {**SCORE, "suggestions": "Add a prediction."})
    assert agreed.status_code == 201, agreed.json()
    assert agreed.json()["scores"]["agreed"]["suggestions"] == "Add a prediction."
    assert dina.post(JAN + "/scores/agreed", SCORE).status_code == 422
    assert dina.put(JAN + "/scores/mine", SCORE).status_code == 422


def test_a_draft_cannot_be_scored(rworld, api):
    api("alice").put(FEB, {"learning": "x"})
    assert api("dina").put(FEB + "/scores/mine", SCORE).status_code == 422
