"""Property-based tests (hypothesis): robustness, ordering of lines, scaling, batch identity."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breakthrough.spc import SPCError, analyze, analyze_many

CHARTS = ["run", "i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g", "ip"]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

values = st.one_of(
    st.integers(min_value=0, max_value=50),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
)


@st.composite
def specs(draw: st.DrawFn, chart: str | None = None, with_params: bool = True) -> dict[str, Any]:
    chart = chart or draw(st.sampled_from(CHARTS))
    size = draw(st.integers(min_value=1, max_value=30))
    inp: dict[str, Any] = {}
    if chart in ("p", "pp", "u", "up"):
        n = draw(st.lists(st.integers(1, 500), min_size=size, max_size=size))
        if chart in ("p", "pp"):
            y: list[Any] = [draw(st.integers(0, k)) for k in n]
        else:
            y = draw(st.lists(st.integers(0, 60), min_size=size, max_size=size))
        inp["n"] = n
    elif chart in ("c", "g"):
        y = draw(st.lists(st.integers(0, 60), min_size=size, max_size=size))
    elif chart == "t":
        y = draw(st.lists(st.floats(0.01, 1e4), min_size=size, max_size=size))
    else:
        y = draw(st.lists(values, min_size=size, max_size=size))
    if draw(st.booleans()):
        y = [None if draw(st.integers(0, 9)) == 0 else v for v in y]
    inp["y"] = y
    if chart in ("xbar", "s"):
        inp["x"] = sorted(draw(st.lists(st.integers(1, 6), min_size=size, max_size=size)))
    else:
        inp["x"] = list(range(1, size + 1))
    params: dict[str, Any] = {}
    if with_params:
        if draw(st.booleans()):
            params["freeze"] = draw(st.integers(1, 30))
        if draw(st.booleans()):
            params["part"] = draw(st.lists(st.integers(0, 30), max_size=3))
        if draw(st.booleans()):
            params["exclude"] = draw(st.lists(st.integers(1, 30), max_size=3))
        if draw(st.booleans()):
            params["y_neg"] = False
        if draw(st.booleans()):
            params["screened_mr"] = False
        if chart in ("run", "i", "mr", "c", "g", "ip", "xbar", "s") and draw(st.booleans()):
            params["method"] = draw(st.sampled_from(["anhoej", "bestbox", "cutbox"]))
        if chart == "run" and draw(st.booleans()):
            params["rules"] = "ihi"
        elif chart not in ("run", "mr") and draw(st.booleans()):
            params["rules"] = draw(st.sampled_from(["provost", "western_electric", "nelson"]))
    return {"chart": chart, "input": inp, "params": params}


def _finite(obj: Any) -> bool:
    if isinstance(obj, float):
        return math.isfinite(obj)
    if isinstance(obj, dict):
        return all(_finite(v) for v in obj.values())
    if isinstance(obj, list):
        return all(_finite(v) for v in obj)
    return True


@FAST
@given(specs())
def test_no_crash_and_no_nan_on_finite_input(spec: dict[str, Any]) -> None:
    try:
        out = analyze(spec)
    except SPCError as exc:
        assert str(exc)
        return
    assert _finite(out)


@FAST
@given(specs())
def test_lines_are_ordered(spec: dict[str, Any]) -> None:
    try:
        pp = analyze(spec)["per_point"]
    except SPCError:
        return
    for i in range(len(pp["y"])):
        lines = [pp[k][i] for k in ("lcl", "lcl_95", "cl", "ucl_95", "ucl")]
        known = [v for v in lines if v is not None]
        assert known == sorted(known), (i, lines)


@FAST
@given(specs(), st.sampled_from([0.001, 0.5, 3, 100, 1000, 12345.678]))
def test_multiply_scales_results_without_changing_signals(spec: dict[str, Any], m: float) -> None:
    try:
        base = analyze(spec)
    except SPCError:
        return
    scaled = analyze({**spec, "params": {**spec["params"], "multiply": m}})
    b, s = base["per_point"], scaled["per_point"]
    assert s["sigma_signal"] == b["sigma_signal"]
    assert s["runs_signal"] == b["runs_signal"]
    for key in ("y", "cl", "ucl", "ucl_95"):
        for u, v in zip(b[key], s[key], strict=True):
            assert (u is None) == (v is None)
            if u is not None:
                assert v == pytest.approx(u * m, rel=1e-12, abs=1e-300)
    for rb, rs in zip(base["summary"], scaled["summary"], strict=True):
        for key in ("n_useful", "longest_run", "n_crossings", "runs_signal", "sigma_signal_count"):
            assert rb[key] == rs[key]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(specs(), min_size=1, max_size=8), st.integers(0, 3))
def test_batch_equals_one_by_one(batch: list[dict[str, Any]], copies: int) -> None:
    # Repeat structures with new data so that the batch path stacks several series per block.
    batch = batch + [
        {**s, "input": {**s["input"], "y": list(reversed(s["input"]["y"]))}}
        for s in batch[:copies]
        if s["chart"] not in ("xbar", "s")
    ]
    one_by_one = []
    for spec in batch:
        try:
            one_by_one.append(analyze(spec))
        except SPCError as exc:
            one_by_one.append({"error": str(exc)})
    assert analyze_many(batch) == one_by_one


@FAST
@given(
    st.sampled_from(["run", "i", "mr", "c", "p", "pp", "u", "up", "g", "t"]).flatmap(
        lambda c: specs(chart=c, with_params=False)
    ),
    st.integers(1, 29),
    st.randoms(use_true_random=False),
)
def test_shuffling_after_the_baseline_keeps_baseline_limits(
    spec: dict[str, Any], freeze: int, rnd: Any
) -> None:
    size = len(spec["input"]["y"])
    if freeze >= size:
        return
    spec = {**spec, "params": {"freeze": freeze}}
    order = list(range(freeze, size))
    rnd.shuffle(order)
    perm = list(range(freeze)) + order
    shuffled = {k: [v[i] for i in perm] for k, v in spec["input"].items() if k != "x"}
    other = {**spec, "input": {**spec["input"], **shuffled}}
    try:
        a = analyze(spec)["per_point"]
    except SPCError:
        return
    b = analyze(other)["per_point"]
    for key in ("cl", "lcl", "ucl", "lcl_95", "ucl_95"):
        assert a[key][:freeze] == b[key][:freeze]
