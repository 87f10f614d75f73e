"""NHS Making Data Count: icons, assurance, rebase groups and the documented decisions."""

from __future__ import annotations

import pytest

from breakthrough.spc import analyze, analyze_mdc_series

DATES = [f"2021-{m:02d}-01" for m in range(1, 13)] + [f"2022-{m:02d}-01" for m in range(1, 13)]
FLAT = [
    10.0,
    12,
    11,
    9,
    10,
    11,
    12,
    10,
    9,
    11,
    10,
    12,
    11,
    10,
    9,
    11,
    10,
    12,
    11,
    10,
    9,
    11,
    10,
    12,
]


def test_assurance_and_icons_follow_the_direction_and_target() -> None:
    r = analyze_mdc_series(FLAT, DATES, target=5)
    assert r.groups[-1].assurance_type == "consistent_pass" and r.assurance_icon == "pass"
    assert r.variation_icon == "common_cause" and r.status == "common_cause"
    r = analyze_mdc_series(FLAT, DATES, target=5, improvement_direction="decrease")
    assert r.assurance_icon == "fail"
    r = analyze_mdc_series(FLAT, DATES, target=10.5)
    assert r.assurance_icon == "inconsistent"
    assert (
        analyze_mdc_series(FLAT, DATES, target=5, improvement_direction="neutral").assurance_icon
        is None
    )


def test_a_high_last_point_is_improvement_or_concern() -> None:
    y = [*FLAT[:-1], 30.0]
    up = analyze_mdc_series(y, DATES)
    assert up.special_cause_type[-1] == "Above UCL" and up.variation_icon == "improvement_high"
    assert up.status == "improvement"
    assert up.signals[-1].rule == "mdc_outside_limits"
    assert up.signals[-1].explanation.startswith("1 month above the process limits (Dec 2022)")
    down = analyze_mdc_series(y, DATES, improvement_direction="decrease")
    assert down.variation_icon == "concern_high" and down.status == "deterioration"
    neutral = analyze_mdc_series(y, DATES, improvement_direction="neutral")
    assert neutral.variation_icon == "neutral_high"


def test_rebase_list_and_a_single_row_group() -> None:
    out = analyze(
        {
            "chart": "xmr",
            "input": {"dates": DATES, "y": FLAT},
            "params": {"rebase": ["2022-01-01", "2022-12-01"]},
        }
    )
    pp = out["per_point"]
    assert pp["rebase_group"] == [0] * 12 + [1] * 11 + [2]
    assert pp["mean"][-1] == FLAT[-1] and pp["upl"][-1] is None  # SPEC §13.20
    assert pp["special_cause_type"][-1] == "Common Cause" and pp["short_group_warning"][-1]
    assert [g["rebase_group"] for g in out["summary"]] == [0, 1, 2]
    assert out["summary"][0]["assurance_type"] is None


def test_d4_all_moving_ranges_zero_give_limits_at_the_mean() -> None:
    r = analyze_mdc_series([5.0] * 14, DATES[:14])
    assert r.groups[0].lpl == r.groups[0].upl == 5.0


def test_numbers_are_accepted_as_x() -> None:
    r = analyze_mdc_series([1.0, 2, 1, 2, 1], [1, 2, 3, 4, 5])
    assert r.x == (1, 2, 3, 4, 5)
    assert r.short_group_warning[0]


def test_signals_list_every_rule_that_marks_a_point() -> None:
    y = [50.0, 52, 49, 51, 50, 48, 51, 50, 49, 52, 51, 50, 53, 54, 55, 56, 57, 58, 59, 50]
    out = analyze(
        {
            "chart": "xmr",
            "input": {"dates": DATES[:20], "y": y},
            "params": {"fix_after_n_points": 12},
        }
    )
    pp = out["per_point"]
    assert "mdc_trend" in pp["signals"][12] and "mdc_outside_limits" in pp["signals"][16]
    assert out["icons"] == {"variation": "common_cause", "assurance": None}
    with pytest.raises(ValueError):
        analyze({"chart": "xmr", "input": {"dates": DATES[:2], "y": [1, 2], "n": [1, 1]}})
