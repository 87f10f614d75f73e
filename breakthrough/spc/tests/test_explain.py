"""Every signal explains itself in plain words; every chart has a status and a summary."""

from __future__ import annotations

import pytest

from breakthrough.spc import analyze_series, analyze_spec
from breakthrough.spc.explain import number
from breakthrough.spc.tests.cases import case_names, load, plan, shared_dir

MONTHS_2009 = [f"2009-{m:02d}-01" for m in range(1, 13)] + [
    f"2010-{m:02d}-01" for m in range(1, 13)
]
# 24 months, no value on the median: 10 around 11, 9 around 6, 5 around 11.
SHIFTED = [10.1, 11.2, 10.3, 12.4, 11.5, 12.6, 10.7, 11.8, 12.9, 11.1]
SHIFTED += [6.1, 6.2, 6.3, 6.4, 6.5, 6.6, 6.7, 6.8, 6.9, 11.3, 10.4, 12.2, 10.6, 11.7]
STATUSES = {"improvement", "deterioration", "special_cause", "common_cause", "not_enough_data"}


def test_shift_sentence_uses_month_labels_and_the_numbers_behind_it() -> None:
    r = analyze_series("run", SHIFTED, x=MONTHS_2009, improvement_direction="down")
    shift = next(s for s in r.signals if s.rule == "anhoej_shift")
    assert shift.explanation == (
        "Shift: 9 months in a row below the median (Nov 2009 to Jul 2010). With 24 useful "
        "points, a run longer than 8 is unlikely to happen by chance (Anhøj rules)."
    )
    assert shift.points == tuple(range(10, 19))
    assert shift.direction == "down"
    assert shift.values["longest_run_max"] == 8 and shift.values["n_useful"] == 24
    assert r.point_signals[10] == ("anhoej_shift", "anhoej_crossings")
    assert r.status == "improvement"
    assert r.summary_text.startswith("Improvement signal since Nov 2009")


def test_direction_decides_improvement_or_deterioration() -> None:
    assert analyze_series("run", SHIFTED, improvement_direction="up").status == "deterioration"
    no_direction = analyze_series("run", SHIFTED)
    assert no_direction.status == "special_cause"
    assert no_direction.summary_text.startswith("Special-cause variation since 11")


def test_point_outside_the_limits_names_the_value_and_the_limit() -> None:
    y = [5, 7, 5, 7, 6, 4, 7, 5, 7, 4, 5, 7, 30]
    r = analyze_series("c", y, x=MONTHS_2009[:13], unit="months")
    (sig,) = [s for s in r.signals if s.rule == "anhoej_beyond_limits"]
    assert sig.rule == "anhoej_beyond_limits" and sig.points == (12,)
    assert sig.explanation.startswith(
        "Point above the upper limit: Jan 2010 (30 against a limit of "
    )
    assert "3-sigma limits is unlikely to happen by chance (Anhøj rules)" in sig.explanation


def test_common_cause_and_not_enough_data() -> None:
    stable = analyze_series("i", [10, 12, 11, 13, 10, 12, 11, 13, 12, 11, 10, 12])
    assert stable.status == "common_cause"
    assert stable.summary_text == (
        "Common-cause variation only: no signal in 12 useful points (Anhøj rules)."
    )
    short = analyze_series("i", [10, 12, 11])
    assert short.status == "not_enough_data"
    assert short.summary_text.startswith("Not enough data yet: 2 useful points")


def test_labels_and_units_follow_the_dates() -> None:
    weekly = [f"2024-01-{d:02d}" for d in (1, 8, 15, 22, 29)]
    r = analyze_series("run", [1, 2, 3, 4, 5], x=weekly)
    assert r.labels[:2] == ("1 Jan 2024", "8 Jan 2024") and r.unit == "weeks"
    r = analyze_series("run", [1, 2, 3], x=["2024-01-01", "2024-02-01", "2024-03-01"])
    assert r.labels == ("Jan 2024", "Feb 2024", "Mar 2024") and r.unit == "months"
    r = analyze_series("run", [1, 2, 3], labels=["Q1", "Q2", "Q3"], unit="quarters")
    assert r.labels == ("Q1", "Q2", "Q3") and r.unit == "quarters"


def test_rule_sets_explain_in_their_own_terms() -> None:
    y = [0.2, -0.5, 2.3, 0.1, 2.4, -0.3, 0.4, -2.2, -0.1, -2.5, 0.3, 1.2, 1.5, -0.2, 1.1, 1.3]
    r = analyze_series("i", y, cl=0, sigma=1, rules="western_electric")
    texts = {s.rule: s.explanation for s in r.signals if s.direction == "up"}
    assert texts["we2"].startswith("2 of 3 points in a row beyond 2 sigma above the centre line")
    assert texts["we2"].endswith("(Western Electric rules, rule 2).")
    assert texts["we3"].startswith("4 of 5 points in a row beyond 1 sigma above the centre line")
    ihi = analyze_series("run", [1, 2, 3, 4, 5, 6, 2, 1, 3, 2], rules="ihi")
    (trend,) = [s for s in ihi.signals if s.rule == "ihi_trend"]
    assert trend.explanation.startswith("Trend: 6 points in a row going up (1 to 6)")


def test_numbers_read_well() -> None:
    assert [number(v) for v in (0.16326530, 321.2167, 12345.6, 3, None)] == [
        "0.1633",
        "321.2",
        "12,346",
        "3",
        "n/a",
    ]


@pytest.mark.skipif(shared_dir() is None, reason="shared/spc cases not present")
@pytest.mark.parametrize(
    "name", [n for n in case_names() if n.startswith(("qic_", "ptd_t", "we_"))]
)
def test_every_reference_signal_has_an_explanation(name: str) -> None:
    if name == "qic_hai_3_4_faceted_summaries" or load(name).get("check", {}).get("skip"):
        pytest.skip("no single chart")
    for spec in plan(name).specs:
        r = analyze_spec(spec)
        assert r.status in STATUSES
        assert r.summary_text
        for s in r.signals:
            assert s.explanation.endswith(").") or s.explanation.endswith(".")
            assert len(s.explanation) > 40
            assert s.points and all(0 <= p < len(r.x) for p in s.points)
