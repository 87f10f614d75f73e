"""Breakthrough's documented decisions and extensions (SPEC §2.4 item 4, §14)."""

from __future__ import annotations

import itertools
import math

import pytest

from breakthrough.spc import analyze, analyze_series

Y = [12.0, 30, 5, 44, 2, 19, 60, 8, 25, 14, 3, 90, 22, 7, 41, 16]


def test_d1_t_chart_user_cl_is_on_the_time_scale() -> None:
    r = analyze_series("t", Y, cl=10)
    assert r.cl[0] == 10
    yt = [v ** (1 / 3.6) for v in Y]
    mr = [abs(b - a) for a, b in itertools.pairwise(yt)]
    mean = sum(mr) / len(mr)
    kept = [m for m in mr if m < 3.267 * mean]
    sigma = sum(kept) / len(kept) / 1.128
    centre = 10 ** (1 / 3.6)
    assert r.ucl[0] == pytest.approx((centre + 3 * sigma) ** 3.6, rel=1e-12)
    low = centre - 3 * sigma
    assert r.lcl[0] == pytest.approx(low**3.6 if low >= 0 else 0.0, rel=1e-12, abs=1e-12)


def test_d2_g_chart_user_cl_is_the_plotted_median() -> None:
    r = analyze_series("g", Y, cl=20)
    m = 20 / 0.693
    assert r.cl[0] == 20
    assert r.ucl[0] == pytest.approx(m + 3 * math.sqrt(m * (m + 1)), rel=1e-12)
    assert r.lcl[0] == 0


def test_part_freeze_gives_each_part_its_own_baseline() -> None:
    y = [10, 11, 9, 10, 12, 20, 21, 22, 23, 24, 5, 6, 4, 5, 6, 30, 31, 32, 33, 34]
    out = analyze(
        {
            "chart": "i",
            "input": {"x": list(range(1, 21)), "y": y},
            "params": {"part": 10, "part_freeze": [5, 5]},
        }
    )
    pp = out["per_point"]
    assert pp["baseline"] == ([True] * 5 + [False] * 5) * 2
    assert pp["cl"][0] == pytest.approx(10.4) and pp["cl"][10] == pytest.approx(5.2)
    plain = analyze(
        {
            "chart": "i",
            "input": {"x": list(range(1, 21)), "y": y},
            "params": {"part": 10, "freeze": 5},
        }
    )
    assert plain["per_point"]["baseline"] == [True] * 20  # freeze is ignored with part (qicharts2)


def test_part_freeze_null_means_the_whole_part() -> None:
    y = [1.0, 2, 3, 4, 5, 6]
    out = analyze(
        {
            "chart": "run",
            "input": {"x": [1, 2, 3, 4, 5, 6], "y": y},
            "params": {"part": 3, "part_freeze": [2, None]},
        }
    )
    assert out["per_point"]["baseline"] == [True, True, False, True, True, True]
    assert out["per_point"]["cl"] == [1.5, 1.5, 1.5, 5.0, 5.0, 5.0]


def test_d3_y_neg_is_decided_per_series() -> None:
    low = {
        "chart": "i",
        "input": {"x": [1, 2, 3, 4], "y": [0, 1, 0, 3]},
        "params": {"y_neg": False},
    }
    neg = {
        "chart": "i",
        "input": {"x": [1, 2, 3, 4], "y": [0, -1, 0, 3]},
        "params": {"y_neg": False},
    }
    assert analyze(low)["per_point"]["lcl"][0] == 0
    assert analyze(neg)["per_point"]["lcl"][0] < 0


def test_d6_categories_sort_by_code_point_or_given_levels() -> None:
    spec = {"chart": "run", "input": {"x": ["b", "B", "a"], "y": [1, 2, 3]}}
    assert analyze(spec)["per_point"]["x"] == ["B", "a", "b"]
    spec["params"] = {"x_levels": ["a", "b", "B"]}
    assert analyze(spec)["per_point"]["x"] == ["a", "b", "B"]


def test_rows_sharing_an_x_are_aggregated_and_ordered() -> None:
    out = analyze(
        {"chart": "p", "input": {"x": [2, 1, 2, None], "y": [1, 2, 3, 9], "n": [10, 10, 10, 10]}}
    )
    assert out["per_point"]["x"] == [1, 2]
    assert out["per_point"]["y"] == [0.2, 0.2]
    assert out["per_point"]["n"] == [10, 20]
