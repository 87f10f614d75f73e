"""Chart choice from the data type and the data."""

from __future__ import annotations

import pytest

from breakthrough.spc import SPCError, recommend_chart

# Synthetic weekly proportions with denominators of 100,000: the weeks differ by far more than
# binomial sampling allows (about 31 events), the over-dispersion Laney (2002) describes.
BIG_N = [100_000] * 14
BIG_Y = [1000 + d for d in (0, 150, -120, 80, -60, 200, -180, 40, 110, -90, 30, -150, 170, -40)]


def test_large_overdispersed_denominators_recommend_laney_p_prime() -> None:
    rec = recommend_chart("proportion", BIG_Y, BIG_N)
    assert rec.chart == "pp"
    assert rec.sigma_z is not None and rec.sigma_z > 1.5
    assert "the P chart's limits would be too narrow" in rec.reason


def test_binomial_proportion_keeps_the_p_chart() -> None:
    y = [3, 4, 5, 2, 6, 4, 3, 5, 4, 3, 4, 5, 6]
    n = [30, 31, 29, 30, 30, 32, 30, 31, 30, 29, 30, 30, 31]
    rec = recommend_chart("proportion", y, n)
    assert rec.chart == "p" and "no over-dispersion" in rec.reason


@pytest.mark.parametrize(
    ("data_type", "n", "chart"),
    [
        ("count", None, "c"),
        ("count", [100] * 14, "u"),
        ("rate", [100] * 14, "u"),
        ("continuous", None, "i"),
        ("time_between", None, "t"),
        ("cases_between", None, "g"),
    ],
)
def test_decision_tree(data_type: str, n: list[int] | None, chart: str) -> None:
    y = [4, 6, 5, 7, 5, 6, 4, 5, 6, 5, 7, 4, 5, 6]
    assert recommend_chart(data_type, y, n).chart == chart


def test_few_points_recommend_a_run_chart_first() -> None:
    rec = recommend_chart("proportion", [1, 2, 3], [10, 10, 10])
    assert rec.chart == "run" and rec.alternatives == ("p",)
    assert "only 3 values" in rec.reason


def test_subgroups_of_several_values_recommend_xbar() -> None:
    y = list(range(20))
    assert recommend_chart("continuous", y, x=[i // 4 for i in range(20)]).chart == "xbar"


def test_bad_input() -> None:
    with pytest.raises(SPCError, match="unknown data type"):
        recommend_chart("weight", [1])
    with pytest.raises(SPCError, match="a proportion needs its denominators n"):
        recommend_chart("proportion", [1, 2])
