"""Every bad input raises SPCError with a message naming the problem, the row and the value."""

from __future__ import annotations

from typing import Any

import pytest

from breakthrough.spc import SPCError, analyze, analyze_many, analyze_mdc_series, analyze_series


def spec(chart: str, y: list[Any], n: list[Any] | None = None, **params: Any) -> dict[str, Any]:
    inp: dict[str, Any] = {"x": list(range(1, len(y) + 1)), "y": y}
    if n is not None:
        inp["n"] = n
    return {"chart": chart, "input": inp, "params": params}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (spec("run", []), "the series is empty; y needs at least one value"),
        (
            {"chart": "run", "input": {"x": [1, 2], "y": [1, 2, 3]}},
            "x and y must have the same length; x has 2 values and y has 3",
        ),
        (spec("p", [1, 2], [5]), "n and y must have the same length; y has 2 values and n has 1"),
        (
            spec("c", [3, -1, 2]),
            "a C chart counts events, so y cannot be negative; row 2 (x=2) has y=-1",
        ),
        (
            spec("p", [1, 2, 3, 4, 5, 6, 5], [9, 9, 9, 9, 9, 9, 3]),
            "a P chart needs a denominator n >= y for every row; row 7 (x=7) has y=5, n=3",
        ),
        (spec("u", [1, 2, 3], [10, 0, 10]), "a U chart needs denominators n greater than 0"),
        (spec("p", [1, 2]), "a P chart needs a denominator n for every subgroup; n is missing"),
        (
            spec("p", [1, 2], [None, None]),
            "a P chart needs a denominator n for its subgroups; every n is missing",
        ),
        (
            spec("t", [3, 0, 2]),
            "time between events must be greater than zero on a T chart; row 2 (x=2) has y=0",
        ),
        (
            spec("i", [5, None]),
            "an I chart needs at least 2 values to estimate its limits; the series has 1",
        ),
        (
            {"chart": "xbar", "input": {"x": [1, 2, 3], "y": [1, 2, 3]}},
            "an X-bar chart needs at least one subgroup with 2 or more values",
        ),
        (spec("run", [None, None]), "every y value is missing; a series needs at least one value"),
        (spec("zz", [1]), "unknown chart type 'zz'; expected one of run, i, mr"),
        (spec("run", [1], rules="shewhart"), "unknown rule set 'shewhart'"),
        (
            spec("i", [1, 2], rules="ihi"),
            'the IHI rules ("ihi") apply to run charts only, not to a I chart',
        ),
        (
            spec("run", [1, 2], rules="nelson"),
            "the nelson rules apply to control charts, not to a run chart",
        ),
        (spec("run", [1, 2], freze=3), "unknown parameter 'freze' in params"),
        (spec("run", [1, 2], multiply=0), "multiply must be a finite number greater than 0; got 0"),
        (spec("run", [1, "a"]), "y must be a number or null for every row; row 2 has 'a' (str)"),
        (
            spec("run", [1, {"a": 1}]),
            "y must be a number or null for every row; row 2 has {'a': 1}",
        ),
        (
            {"chart": "run", "input": {"x": [1, "a"], "y": [1, 2]}},
            "all x values of a series must be of one kind",
        ),
        (
            {"chart": "run", "input": {"x": ["2020-01-01", "2020-13-01"], "y": [1, 2]}},
            "x must be a valid ISO 8601 date; row 2 has '2020-13-01'",
        ),
        (
            {"chart": "run", "input": {"x": ["1/2/2020", "1/3/2020"], "y": [1, 2]}},
            "x looks like dates but is not in ISO 8601 form; row 1 has '1/2/2020'",
        ),
        (
            {"chart": "run", "input": {"x": ["2020-1-5", "2020-1-6"], "y": [1, 2]}},
            "write dates as YYYY-MM-DD",
        ),
        (spec("g", [1, 2], n=[3, 4]), "a G chart takes no denominator n; leave n out"),
        (spec("s", [1, 2], agg_fun="median"), "agg_fun must be mean"),
        (spec("c", [1, 2], sigma=1), "sigma (a given process sigma) applies to the I chart only"),
        (
            spec("p", [1, 2], [5, 5], cl=2),
            "a P chart centre line cl is a proportion between 0 and 1",
        ),
        (spec("run", [1, 2], freeze=0), "freeze must be at least 1"),
        (spec("run", [1, 2], part_freeze=[3, 4]), "part_freeze needs one entry per part"),
    ],
)
def test_message(bad: dict[str, Any], message: str) -> None:
    with pytest.raises(SPCError) as info:
        analyze(bad)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_mdc_errors_name_the_row() -> None:
    dates = ["2020-01-01", "2020-01-02", "2020-01-02"]
    with pytest.raises(SPCError, match="row 3 repeats '2020-01-02' from row 2"):
        analyze_mdc_series([1, 2, 3], dates)
    with pytest.raises(SPCError, match="row 2 has y=null"):
        analyze_mdc_series([1, None, 3], ["2020-01-01", "2020-01-02", "2020-01-03"])
    with pytest.raises(SPCError, match="fix_after_n_points must be a whole number of at least 12"):
        analyze_mdc_series([1, 2, 3], fix_after_n_points=5)
    bad = {"chart": "xmr", "input": {"dates": ["2020-01-01"], "y": [1]}, "params": {"freeze": 3}}
    with pytest.raises(SPCError, match="not allowed: freeze"):
        analyze(bad)


def test_batch_reports_each_error_in_place_and_keeps_the_others() -> None:
    good = spec("c", [3, 5, 4, 6])
    bad = spec("c", [3, -5, 4, 6])
    out = analyze_many([good, bad, good, {"chart": "nope"}])
    assert out[0] == out[2] == analyze(good)
    assert out[1] == {
        "error": "a C chart counts events, so y cannot be negative; row 2 (x=2) has y=-5"
    }
    assert "unknown chart type 'nope'" in out[3]["error"]
    with pytest.raises(SPCError):
        analyze_many([good, bad], errors="raise")


def test_rich_api_raises_the_same_errors() -> None:
    with pytest.raises(SPCError, match="needs a denominator n >= y"):
        analyze_series("p", [4, 2], n=[3, 3])


def test_numbers_written_as_text_read_as_numbers() -> None:
    assert analyze(spec("c", ["3", 4, "5.5"]))["per_point"]["y"] == [3.0, 4.0, 5.5]
    with pytest.raises(SPCError, match="row 3 has 'five'"):
        analyze(spec("c", ["3", None, "five"]))


def test_booleans_read_as_one_and_zero_in_every_path() -> None:
    flags = spec("run", [True, False, True, True])
    mixed = spec("run", [True, None, 3, 0])
    assert analyze(flags)["per_point"]["y"] == [1.0, 0.0, 1.0, 1.0]
    assert analyze(mixed)["per_point"]["y"] == [1.0, None, 3.0, 0.0]
    assert analyze_many([flags, mixed, spec("run", [1, 2, 3, 4])])[:2] == [
        analyze(flags),
        analyze(mixed),
    ]
