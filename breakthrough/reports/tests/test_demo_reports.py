"""The demo's monthly reports and scores follow DEMO.md §9."""

import itertools
from datetime import date
from decimal import Decimal

import pytest

from breakthrough.collaboratives.models import Collaborative
from breakthrough.demodata import load_demo
from breakthrough.demodata.reports import CHECKPOINTS, TABLE
from breakthrough.notifications.models import OutgoingEmail
from breakthrough.reports.models import Assessment, MonthlyReport, Presenter, ReportRevision

pytestmark = pytest.mark.django_db


def test_demo_reports_follow_the_specification():
    load_demo(log=lambda _s: None)
    c = Collaborative.objects.get(slug="jjcw")
    reports = {
        (r.team.code, r.period.start): r
        for r in MonthlyReport.objects.filter(team__collaborative=c).select_related(
            "team", "period"
        )
    }
    scores = {}
    for a in Assessment.objects.filter(report__team__collaborative=c).select_related(
        "report__team", "report__period"
    ):
        key = (a.report.team.code, a.report.period.start)
        scores.setdefault(key, {}).setdefault(a.kind, []).append(a.score)

    # Checkpoints (self / agreed faculty), and moves of at most 0.5 a month.
    for code, row in TABLE.items():
        for month, pair in zip(CHECKPOINTS, row, strict=True):
            if pair is None:
                assert reports[(code, month)].state == "skipped" or code == "SB"
                continue
            got = scores[(code, month)]
            assert (got["self"][0], got["reconciled"][0]) == tuple(Decimal(v) for v in pair), (
                code,
                month,
            )
        series = sorted((m, s) for (t, m), s in scores.items() if t == code)
        for (_m0, a), (_m1, b) in itertools.pairwise(series):
            assert abs(a["reconciled"][0] - b["reconciled"][0]) <= Decimal("0.5"), code
            assert abs(a["self"][0] - b["self"][0]) <= Decimal("0.5"), code
    # Director and advisor score on their own: equal or 0.5 apart from the agreed score.
    for kinds in scores.values():
        assert len(kinds["faculty"]) == 2
        assert all(abs(f - kinds["reconciled"][0]) <= Decimal("0.5") for f in kinds["faculty"])

    # Skips and the open draft.
    assert [
        m.month for (t, m), r in sorted(reports.items()) if t == "SB" and r.state == "skipped"
    ] == [7, 8, 9, 10, 11]
    assert reports[("GP", date(2008, 12, 1))].skip_reason == "Data contact on leave."
    assert reports[("GP", date(2009, 1, 1))].state == "skipped"
    open_draft = reports[("GP", date(2009, 7, 1))]
    assert open_draft.state == "draft" and not open_draft.achievements
    assert MonthlyReport.objects.filter(team__collaborative=c, state="submitted").count() == 118

    # AG is 3-6 days late from February 2009, on time before; everyone else on time.
    tz = c.tz
    for (code, month), r in reports.items():
        if r.state != "submitted":
            continue
        late = r.submitted_late(tz)
        assert late == (code == "AG" and month >= date(2009, 2, 1)), (code, month)
    # The gap flag: AG from March 2009 on, nobody else, never before.
    flagged = {
        key
        for key, kinds in scores.items()
        if abs(kinds["self"][0] - kinds["reconciled"][0]) >= Decimal("1.0")
    }
    assert {k[0] for k in flagged} == {"AG"}
    assert min(k[1] for k in flagged) == date(2009, 3, 1)
    assert all(("AG", date(2009, m, 1)) in flagged for m in range(3, 13))
    # FD under-rates itself; only BW and CV reach 4.0.
    fd = [kinds for (t, _m), kinds in scores.items() if t == "FD"]
    assert all(k["self"][0] <= k["reconciled"][0] for k in fd)
    assert sum(k["self"][0] < k["reconciled"][0] for k in fd) >= 6
    assert {t for (t, _m), k in scores.items() if k["reconciled"][0] >= 4} == {"BW", "CV"}

    # BW's March 2009 report was reopened to fix an M3 denominator.
    bw_march = reports[("BW", date(2009, 3, 1))]
    assert bw_march.revision == 2
    first = ReportRevision.objects.get(report=bw_march, revision=1)
    assert "M3 denominator" in first.reopen_reason

    # Presenters from their reports; reminders fired for AG.
    picks = {
        ev: sorted(Presenter.objects.filter(event__number=ev).values_list("team__code", flat=True))
        for ev in (2, 3)
    }
    assert picks == {2: ["BW", "CV"], 3: ["BW", "CL", "CV", "FD"]}
    assert all(p.report is not None for p in Presenter.objects.all())
    overdue = OutgoingEmail.objects.filter(collaborative=c, kind="reminder_overdue_list")
    assert overdue.exists() and all(m.status == "suppressed" for m in overdue)
    assert overdue.filter(body__contains="Ashgrove County").count() >= 10
