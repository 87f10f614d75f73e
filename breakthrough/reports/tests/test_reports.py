"""Writing a monthly report: draft, autosave, concurrent edits, submit, reopen, skip, PDF."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from breakthrough.reports import evidence
from breakthrough.reports.actions import (
    ReportError,
    do_reopen_report,
    do_skip_report,
    do_start_report,
    do_submit_report,
)
from breakthrough.reports.models import Assessment, ComponentStatus, MonthlyReport, ReportRevision

from .helpers import submitted_report

S = "testbsc"


def url(name, month="2024-02", team="alder"):
    return reverse(name, args=[S, team, month])


def form_data(world, **extra):
    data = {
        "edit_version": 1,
        f"status_{world.component.pk}": "testing",
        f"notes_{world.component.pk}": "Match running daily",
        "achievements": "Daily match for two weeks.",
        "learning": "",
        "barriers": "",
        "help_needed": "",
        "self_score": "2.5",
        "self_justification": "Tests under way.",
    }
    data.update(extra)
    return data


def test_opening_the_form_writes_nothing(rworld):
    response = rworld.client("alice").get(url("reports:edit"))
    assert response.status_code == 200
    assert "C1" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_save_draft_creates_report_with_statuses(rworld):
    client = rworld.client("alice")
    response = client.post(url("reports:edit"), form_data(rworld, save="1"))
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.state == "draft" and report.achievements == "Daily match for two weeks."
    assert report.self_score == Decimal("2.5")
    cs = report.component_statuses.get()
    assert (cs.node, cs.status, cs.notes) == (rworld.component, "testing", "Match running daily")
    assert report.history.count() >= 1


def test_autosave_survives_reload_and_returns_the_new_version(rworld):
    client = rworld.client("alice")
    r = client.post(url("reports:autosave"), form_data(rworld, achievements="Typed so far"))
    assert r.status_code == 200
    body = r.json()
    assert body["message"].startswith("Draft saved")
    version = body["edit_version"]
    r = client.post(
        url("reports:autosave"), form_data(rworld, achievements="More text", edit_version=version)
    )
    assert r.status_code == 200
    page = client.get(url("reports:edit")).content.decode()
    assert "More text" in page


def test_concurrent_edit_is_refused_not_overwritten(rworld):
    alice, bob = rworld.client("alice"), rworld.client("bob")
    alice.post(url("reports:autosave"), form_data(rworld, achievements="Alice's text"))
    # Bob loaded the form at version 2, Alice saves again (version 3), then Bob saves.
    alice.post(
        url("reports:autosave"), form_data(rworld, achievements="Alice again", edit_version=2)
    )
    r = bob.post(url("reports:autosave"), form_data(rworld, achievements="Bob's", edit_version=2))
    assert r.status_code == 409
    assert "Alice Adams saved this report" in r.json()["message"]
    r = bob.post(url("reports:edit"), form_data(rworld, achievements="Bob's", edit_version=2))
    assert r.status_code == 409
    assert "Alice again" in r.content.decode() and "Bob&#x27;s" in r.content.decode()
    assert MonthlyReport.objects.get().achievements == "Alice again"


def test_submit_needs_score_and_achievements(rworld):
    r = rworld.client("alice").post(
        url("reports:edit"), form_data(rworld, self_score="", achievements="", submit="1")
    )
    assert r.status_code == 400
    assert "Before submitting, fill in the self-assessment score and achievements." in (
        r.content.decode()
    )
    assert MonthlyReport.objects.get().state == "draft"


def test_submit_refuses_what_looks_like_a_person_level_record(rworld):
    r = rworld.client("alice").post(
        url("reports:edit"),
        form_data(rworld, achievements="Youth J.D., DOB 03/14/1995, case no. 4471", submit="1"),
    )
    assert r.status_code == 400
    assert "a date of birth" in r.content.decode() and "a case number" in r.content.decode()
    assert not MonthlyReport.objects.filter(state="submitted").exists()


def test_submit_notifies_senior_leader_and_coach_and_records_self_score(rworld):
    r = rworld.client("alice").post(url("reports:edit"), form_data(rworld, submit="1"))
    assert r.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.state == "submitted" and report.submitted_by == rworld.alice
    assert sorted(m.to[0] for m in mail.outbox) == ["cody@example.com", "sara@example.com"]
    assert "Alder County submitted its Feb 2024 monthly report" in mail.outbox[0].subject
    assert report.assessments.get(kind="self").score == Decimal("2.5")
    assert ReportRevision.objects.get(report=report).content["achievements"] == (
        "Daily match for two weeks."
    )
    # A submitted report is no longer editable through the form.
    r = rworld.client("alice").get(url("reports:edit"))
    assert r.status_code == 302 and r.url == report.get_absolute_url()
    with pytest.raises(ReportError, match="already submitted"):
        do_submit_report(report, by=rworld.alice)


def test_reopen_keeps_the_revision_and_resubmit_notifies_again(rworld):
    report = submitted_report(rworld)
    mail.outbox.clear()
    r = rworld.client("alice").post(url("reports:reopen", "2024-01"), {"reason": ""})
    assert MonthlyReport.objects.get().state == "submitted"  # a reason is required
    r = rworld.client("alice").post(url("reports:reopen", "2024-01"), {"reason": "Fix M1"})
    assert r.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.revision) == ("reopened", 2)
    first = ReportRevision.objects.get(report=report, revision=1)
    assert first.reopen_reason == "Fix M1" and first.reopened_by == rworld.alice
    data = form_data(rworld, edit_version=report.edit_version, submit="1", achievements="Fixed")
    r = rworld.client("alice").post(url("reports:edit", "2024-01"), data)
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted"
    assert ReportRevision.objects.filter(report=report).count() == 2
    assert any("resubmitted" in m.subject for m in mail.outbox)
    with pytest.raises(ReportError):
        do_reopen_report(report, by=rworld.alice, reason="")


def test_skip_and_unskip(rworld):
    r = rworld.client("alice").post(url("reports:skip"), {"reason": "Data contact on leave"})
    assert r.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.state == "skipped" and report.skip_reason == "Data contact on leave"
    page = rworld.client("alice").get(url("reports:detail")).content.decode()
    assert "Data contact on leave" in page
    rworld.client("alice").post(url("reports:unskip"))
    report.refresh_from_db()
    assert report.state == "draft" and report.component_statuses.count() == 1
    submitted = submitted_report(rworld, period=rworld.periods[0])
    with pytest.raises(ReportError, match="cannot be skipped"):
        do_skip_report(rworld.team_a, submitted.period, by=rworld.alice, reason="x")


def test_statuses_are_prefilled_from_pdsa_cycles_then_carried_forward(rworld, monkeypatch):
    c1, idea = rworld.component, rworld.idea
    monkeypatch.setattr(
        evidence, "pdsa_statuses", lambda team: {c1.pk: "testing", idea.pk: "implementing"}
    )
    report = do_start_report(rworld.team_a, rworld.periods[0], by=rworld.alice)
    rows = {cs.node_id: cs for cs in report.component_statuses.all()}
    assert rows[c1.pk].status == "testing" and rows[c1.pk].suggested_status == "testing"
    assert rows[idea.pk].status == "implementing"  # the idea the team works on gets its own row
    # Without PDSA evidence, next month starts from last month's statuses.
    monkeypatch.setattr(evidence, "pdsa_statuses", lambda team: {})
    ComponentStatus.objects.filter(pk=rows[c1.pk].pk).update(status="spreading")
    nxt = do_start_report(rworld.team_a, rworld.periods[1], by=rworld.alice)
    assert nxt.component_statuses.get(node=c1).status == "spreading"


def test_senior_leader_acknowledges(rworld):
    submitted_report(rworld)
    client = rworld.client(None)
    client.force_login(rworld.sara)
    page = client.get(url("reports:detail", "2024-01")).content.decode()
    assert "I have read this report" in page
    assert client.post(url("reports:acknowledge", "2024-01")).status_code == 302
    assert MonthlyReport.objects.get().leader_acknowledged_at is not None


def test_pdf_is_one_page_with_the_narrative(rworld):
    submitted_report(rworld)
    r = rworld.client("alice").get(url("reports:pdf", "2024-01"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    from breakthrough.collaboratives.access import standing_for
    from breakthrough.reports.views import report_document

    report = MonthlyReport.objects.get()
    for field in ("achievements", "learning", "barriers", "help_needed"):
        setattr(report, field, "A long month. " * 120)  # even a long narrative fits one page
    report.save()
    standing = standing_for(rworld.alice, rworld.collaborative)
    document = report_document(standing, rworld.team_a, report.period, report)
    assert len(document.pages) == 1
    # No report, no PDF.
    assert rworld.client("alice").get(url("reports:pdf", "2024-03")).status_code == 404


def test_period_values_show_true_counts_to_team_and_suppress_for_others(rworld):
    from breakthrough.measures.models import MeasureValue
    from breakthrough.reports.models import ReportSettings

    MeasureValue.objects.create(
        team=rworld.team_a,
        measure=rworld.measure,
        period=rworld.periods[0],
        numerator=3,
        denominator=4,
    )
    submitted_report(rworld)
    assert (
        "75% (3/4)" in rworld.client("alice").get(url("reports:detail", "2024-01")).content.decode()
    )
    ReportSettings.objects.create(collaborative=rworld.collaborative, sharing="narrative")
    page = rworld.client("carol").get(url("reports:detail", "2024-01")).content.decode()
    assert "3/4" not in page and "&lt;5 (small count, hidden)" in page


def test_team_page_has_a_reports_section(rworld):
    report = submitted_report(rworld)
    page = rworld.client("bob").get(reverse("teams:detail", args=[S, "alder"])).content.decode()
    assert "Monthly reports" in page and report.get_absolute_url() in page
    assert Assessment.objects.filter(kind="self").count() == 1


def test_statuses_come_from_the_teams_real_pdsa_cycles(rworld):
    from datetime import date

    from breakthrough.collaboratives.access import standing_for
    from breakthrough.pdsa.models import PDSACycle, Ramp
    from breakthrough.reports.grid import build_grid

    ramp = Ramp.objects.create(team=rworld.team_a, change_node=rworld.idea, title="Daily match")
    cycle = PDSACycle.objects.create(
        ramp=ramp,
        team=rworld.team_a,
        title="Match one day's list by hand",
        state="decided",
        start=date(2024, 1, 8),
        end=date(2024, 2, 20),
        decision="adopt",
        decided_on=date(2024, 2, 20),
    )
    cycle.nodes.add(rworld.idea)
    report = do_start_report(rworld.team_a, rworld.periods[2], by=rworld.alice)
    rows = {cs.node_id: cs for cs in report.component_statuses.all()}
    assert rows[rworld.idea.pk].status == "implementing"
    assert rows[rworld.component.pk].suggested_status == "implementing"
    # The console counts the cycle in the months it was under way.
    grid = build_grid(standing_for(rworld.dina, rworld.collaborative))
    alder = next(r for r in grid.rows if r.team == rworld.team_a)
    assert [c.pdsa for c in alder.cells] == [1, 1, 0, 0, 0, 0]
