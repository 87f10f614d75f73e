"""The demo shows every submission state (DEMO.md §7, §9)."""

import pytest

from breakthrough.demodata import load_demo
from breakthrough.measures.models import Submission
from breakthrough.reports.evidence import measure_submissions

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_with_reasons():
    load_demo(log=lambda _s: None)
    states = {
        (s.team.code, s.period.label): s
        for s in Submission.objects.select_related("team", "period")
    }
    by_state: dict[str, int] = {}
    for s in states.values():
        by_state[s.state] = by_state.get(s.state, 0) + 1
    assert set(by_state) == {"submitted", "draft", "skipped", "reopened"}
    assert by_state["submitted"] > 150
    assert states[("GP", "Dec 2008")].skip_reason == "Data contact on leave."
    cv = states[("CV", "Nov 2009")]
    assert cv.state == "reopened" and cv.reopened_by.username == "coach"
    bw = states[("BW", "Mar 2009")]
    assert bw.state == "submitted" and "M3 denominator" in bw.reopen_reason
    assert {code for (code, label), s in states.items() if s.state == "draft"} == {
        "AG",
        "GP",
        "CL",
    }
    assert ("GP", "Jul 2009") not in states  # not started
    # The reports grid reads the same states.
    grid = measure_submissions([cv.team_id], [cv.period_id])
    assert grid == {(cv.team_id, cv.period_id): "reopened"}
