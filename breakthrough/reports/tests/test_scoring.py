"""Faculty scoring: blind until both have scored, reconciled, fed back; the scale and its versions."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from breakthrough.collaboratives.access import standing_for
from breakthrough.reports.access import score_view
from breakthrough.reports.actions import (
    ReportError,
    ScoreInput,
    do_reconcile_report,
    do_score_report,
)
from breakthrough.reports.models import Assessment, AssessmentScale, ReportSettings
from breakthrough.reports.scale import current_scale

from .helpers import score_and_reconcile, submitted_report

S = "testbsc"


def detail(world, who, month="2024-01"):
    client = world.client(None)
    client.force_login(getattr(world, who))
    return client.get(reverse("reports:detail", args=[S, "alder", month])).content.decode()


def view_for(world, who, report):
    return score_view(standing_for(getattr(world, who), world.collaborative), report)


def test_scores_are_blind_until_every_scorer_has_scored(rworld):
    report = submitted_report(rworld, score="3.5")
    # Before scoring, the scorer does not see the team's self-assessment.
    v = view_for(rworld, "dina", report)
    assert v.is_scorer and v.can_score and not v.show_self and not v.can_reconcile
    assert "Hidden until you have entered your own score" in detail(rworld, "dina")
    # A member of staff who does not score (fran) sees it.
    assert view_for(rworld, "fran", report).show_self

    do_score_report(report, scorer=rworld.dina, data=ScoreInput(Decimal("2.0"), "Dina's why"))
    v = view_for(rworld, "dina", report)
    assert v.show_self and [a.score for a in v.faculty] == [Decimal("2.0")]
    assert [p.username for p in v.waiting_for] == ["vic"] and not v.can_reconcile
    # Vic has not scored: he sees neither Dina's score nor the self-score.
    v = view_for(rworld, "vic", report)
    assert v.faculty == [] and v.hidden_faculty == 1 and not v.show_self
    page = detail(rworld, "vic")
    assert "Dina&#x27;s why" not in page and "Dina's why" not in page
    # Fran and the team see no individual faculty score.
    assert view_for(rworld, "fran", report).faculty == []
    assert "Dina" not in detail(rworld, "alice").split("Narrative")[0]

    do_score_report(report, scorer=rworld.vic, data=ScoreInput(Decimal("2.5"), "Vic's why"))
    v = view_for(rworld, "vic", report)
    assert {a.assessor.username for a in v.faculty} == {"dina", "vic"} and v.can_reconcile
    assert view_for(rworld, "fran", report).faculty == []  # still hidden until agreed


def test_reconcile_needs_both_scores_and_tells_the_team(rworld):
    report = submitted_report(rworld, score="3.5")
    do_score_report(report, scorer=rworld.dina, data=ScoreInput(Decimal("2.0"), "why"))
    with pytest.raises(ReportError, match="Every assigned scorer must score"):
        do_reconcile_report(report, by=rworld.dina, data=ScoreInput(Decimal("2.0"), "agreed"))
    do_score_report(report, scorer=rworld.vic, data=ScoreInput(Decimal("2.5"), "Vic's why"))
    mail.outbox.clear()
    r = rworld.client("dina").post(
        reverse("reports:reconcile", args=[S, "alder", "2024-01"]),
        {
            "agreed-score": "2.5",
            "agreed-justification": "Tests under way and charted.",
            "agreed-comments": "Good ramp.",
            "agreed-suggestions": "Add a prediction to every cycle.",
        },
    )
    assert r.status_code == 302
    agreed = Assessment.objects.get(kind="reconciled")
    assert agreed.score == Decimal("2.5") and agreed.scale is not None
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.com",
        "bob@example.com",
        "sara@example.com",
    ]
    # The team reads the agreed score and feedback, never the individual scores.
    page = detail(rworld, "bob")
    assert "Add a prediction to every cycle." in page and "Tests under way and charted." in page
    assert "Vic&#x27;s why" not in page and "Faculty scoring" not in page
    # Faculty who did not score now see everything; scores can no longer change.
    assert len(view_for(rworld, "fran", report).faculty) == 2
    with pytest.raises(ReportError, match="already agreed"):
        do_score_report(report, scorer=rworld.dina, data=ScoreInput(Decimal("3.0"), "late"))


def test_score_form_validates(rworld):
    submitted_report(rworld)
    score = reverse("reports:score", args=[S, "alder", "2024-01"])
    r = rworld.client("dina").post(score, {"score": "5.5", "justification": "x"})
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()
    r = rworld.client("dina").post(score, {"score": "2.0", "justification": ""})
    assert r.status_code == 400 and "This field is required" in r.content.decode()
    ReportSettings.objects.create(collaborative=rworld.collaborative, hide_half_point=True)
    r = rworld.client("dina").post(score, {"score": "0.5", "justification": "x"})
    assert r.status_code == 400
    r = rworld.client("dina").post(score, {"score": "1.0", "justification": "Forming"})
    assert r.status_code == 302
    # Reconciling before everyone scored is refused with the reason.
    r = rworld.client("dina").post(
        reverse("reports:reconcile", args=[S, "alder", "2024-01"]),
        {"agreed-score": "1.0", "agreed-justification": "x"},
    )
    assert r.status_code == 400 and "Every assigned scorer must score" in r.content.decode()


def test_assigned_scorers_replace_the_director_and_advisor(rworld):
    cfg = ReportSettings.objects.create(collaborative=rworld.collaborative)
    cfg.scorers.set([rworld.fran])
    report = submitted_report(rworld)
    with pytest.raises(ReportError, match="Only the faculty assigned"):
        do_score_report(report, scorer=rworld.dina, data=ScoreInput(Decimal("2.0"), "x"))
    do_score_report(report, scorer=rworld.fran, data=ScoreInput(Decimal("2.0"), "x"))
    agreed = do_reconcile_report(report, by=rworld.fran, data=ScoreInput(Decimal("2.0"), "ok"))
    assert agreed.kind == "reconciled"


def test_a_draft_cannot_be_scored(rworld):
    from breakthrough.reports.actions import do_start_report

    report = do_start_report(rworld.team_a, rworld.periods[0], by=rworld.alice)
    with pytest.raises(ReportError, match="Only a submitted report"):
        do_score_report(report, scorer=rworld.dina, data=ScoreInput(Decimal("2.0"), "x"))


def test_gap_flag_and_team_chart(rworld):
    report = submitted_report(rworld, score="3.5")
    score_and_reconcile(rworld, report, "2.5", "2.5", "2.5")
    page = detail(rworld, "alice")
    assert "Self-assessment and faculty score differ by 1.0" in page
    team = rworld.client("alice").get(reverse("reports:team", args=[S, "alder"]))
    content = team.content.decode()
    assert "<svg" in content and "gap +1.0" in content
    # Half a point apart is no gap.
    report2 = submitted_report(rworld, period=rworld.periods[1], score="3.0")
    score_and_reconcile(rworld, report2, "2.5", "2.5", "2.5")
    assert "differ by" not in detail(rworld, "alice", "2024-02")


def test_scale_default_edit_makes_a_new_version(rworld):
    scale = current_scale(rworld.collaborative)
    assert scale.record is None and len(scale.levels) == 10
    assert scale.level("4.0").label == "Significant improvement"
    report = submitted_report(rworld)  # submitting saves the default text as version 1
    v1 = AssessmentScale.objects.get()
    assert v1.version == 1 and Assessment.objects.get(report=report).scale == v1

    edit = reverse("reports:edit-scale", args=[S])
    levels = list(current_scale(rworld.collaborative).levels)
    data = {"form-TOTAL_FORMS": 10, "form-INITIAL_FORMS": 10, "note": "Key measures at 2.5"}
    for i, lv in enumerate(levels):
        data[f"form-{i}-value"] = str(lv.value)
        data[f"form-{i}-label"] = lv.label
        data[f"form-{i}-definition"] = lv.definition
        data[f"form-{i}-local_notes"] = "M1, M3, M5" if lv.value == Decimal("2.5") else ""
    data["form-4-label"] = "Tested, not yet better"
    assert rworld.client("alice").post(edit, data).status_code == 403
    r = rworld.client("fran").post(edit, data)
    assert r.status_code == 302
    scale = current_scale(rworld.collaborative)
    assert scale.version == 2 and scale.level("2.5").label == "Tested, not yet better"
    assert scale.level("2.5").local_notes == "M1, M3, M5"
    assert Assessment.objects.get(report=report).scale == v1  # old scores keep their version
    page = rworld.client("bob").get(reverse("reports:scale", args=[S]) + "?version=1")
    assert "Changes tested, no improvement" in page.content.decode()
    # The values of the scale cannot be changed, and every field is required.
    data["form-4-value"] = "2.6"
    assert rworld.client("fran").post(edit, data).status_code == 400
    data["form-4-value"] = "2.5"
    data["form-4-definition"] = ""
    assert rworld.client("fran").post(edit, data).status_code == 400
    assert AssessmentScale.objects.count() == 2


def test_scores_overview_distribution_and_share_at_four(rworld):
    a = submitted_report(rworld, score="4.0")
    score_and_reconcile(rworld, a, "4.0", "4.0", "4.0")
    b = submitted_report(rworld, team=rworld.team_b, by=rworld.carol, score="2.0")
    score_and_reconcile(rworld, b, "2.0", "2.0", "2.0")
    page = rworld.client("carol").get(reverse("reports:scores", args=[S])).content.decode()
    assert "<svg" in page
    row = page.split("Jan 2024")[1].split("</tr>")[0]
    assert ">2<" in row and "50%" in row and "3.0" in row  # 2 teams, median 3.0, half at 4+
    assert "Alder County" not in page  # no team is named


def test_settings_form_validates_and_saves(rworld):
    url = reverse("reports:settings", args=[S])
    page = rworld.client("dina").get(url).content.decode()
    assert "Dina Diaz" in page and "Vic Vance" in page
    data = {
        "edit_version": 1,
        "scorers": [rworld.dina.pk, rworld.fran.pk],
        "sharing": "narrative",
        "gap_threshold": "1.0",
        "reminders_enabled": "on",
        "remind_days_before": "7, x",
        "reported_list_day": "1",
        "overdue_days": "2,3",
        "senior_leader_day": "3",
        "weekly_digest": "on",
    }
    r = rworld.client("dina").post(url, data)
    assert r.status_code == 400 and "Write whole numbers of days" in r.content.decode()
    data["remind_days_before"] = "1, 7,14"
    assert rworld.client("dina").post(url, data).status_code == 302
    cfg = ReportSettings.objects.get()
    assert cfg.remind_days_before == "14,7,1" and cfg.sharing == "narrative"
    assert set(cfg.scorers.all()) == {rworld.dina, rworld.fran}
    # A second form loaded before the save is refused, not applied.
    r = rworld.client("fran").post(url, {**data, "sharing": "all"})
    assert r.status_code == 409
    assert ReportSettings.objects.get().sharing == "narrative"


def test_queries_for_other_parts(rworld):
    from breakthrough.reports.queries import score_distribution, score_series, share_at_or_above

    a = submitted_report(rworld, score="4.0")
    score_and_reconcile(rworld, a, "4.0", "4.0", "4.0")
    b = submitted_report(rworld, team=rworld.team_b, by=rworld.carol, score="3.0")
    score_and_reconcile(rworld, b, "2.0", "2.0", "2.0")
    series = score_series(rworld.collaborative)
    assert [(p.self_score, p.faculty_score) for p in series[rworld.team_b.pk]] == [
        (Decimal("3.0"), Decimal("2.0"))
    ]
    first, counts = score_distribution(rworld.collaborative)[0]
    assert first == rworld.periods[0] and counts == {Decimal("4.0"): 1, Decimal("2.0"): 1}
    assert share_at_or_above(rworld.collaborative)[0][1] == 0.5
    from breakthrough.reports.actions import do_skip_report
    from breakthrough.reports.queries import reporting_compliance

    do_skip_report(rworld.team_a, rworld.periods[1], by=rworld.alice, reason="Leave")
    assert reporting_compliance(rworld.collaborative) == {
        rworld.team_a.pk: (1, 5),
        rworld.team_b.pk: (1, 6),
    }
