"""The Python API: contract dicts for analysts and notebooks, rich results for the platform.

Contract functions mirror ``breakthrough spc analyze`` (CLI.md):

- :func:`analyze` takes one spec (a dict in the contract's input format) and returns the
  contract's output dict; an invalid spec raises :class:`SPCError`.
- :func:`analyze_many` does the same for a list through the batch path; an invalid spec gives
  ``{"error": message}`` in its place (or raises, with ``errors="raise"``).

Rich functions return frozen dataclasses with explanations:

- :func:`analyze_series` for one chart from Python sequences, :func:`analyze_series_many` for many;
- :func:`analyze_spec` for one contract spec (a :class:`ChartResult` or an :class:`MDCResult`).

>>> out = analyze({"chart": "i", "input": {"x": [1, 2, 3, 4], "y": [10, 12, 11, 13]}})
>>> out["per_point"]["cl"][0], round(out["per_point"]["ucl"][0], 3)
(11.5, 15.933)
"""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from breakthrough.spc.batch import run_series
from breakthrough.spc.contract import Json, block_dicts, mdc_dict
from breakthrough.spc.engine import BlockResult
from breakthrough.spc.errors import SPCError
from breakthrough.spc.mdc import PRIMITIVES, MDCResult, analyze_mdc
from breakthrough.spc.results import ChartResult, block_results
from breakthrough.spc.spec import (
    MDCSpec,
    PrimitiveSpec,
    SeriesSpec,
    mdc_spec,
    parse_spec,
    series_spec,
)


def analyze(spec: Mapping[str, Any]) -> Json:
    """Analyse one contract spec and return the contract's output dict (CLI.md §2, §3, §5).

    Raises :class:`SPCError` for invalid input.
    """
    parsed = parse_spec(spec)
    if isinstance(parsed, PrimitiveSpec):
        return {"result": PRIMITIVES[parsed.primitive](parsed.args)}
    if isinstance(parsed, MDCSpec):
        return mdc_dict(analyze_mdc(parsed))
    item = run_series([parsed])[0]
    if isinstance(item, SPCError):
        raise item
    res, row = item
    return block_dicts(res)[row]


def analyze_many(
    specs: Sequence[Mapping[str, Any]], errors: Literal["return", "raise"] = "return"
) -> list[Json]:
    """Analyse many contract specs through the batch path; results in the order given.

    With ``errors="return"`` (the default) an invalid spec gives ``{"error": message}``, as on
    the command line; with ``errors="raise"`` the first invalid spec raises :class:`SPCError`.
    """
    # The batch allocates many small lists and dicts and creates no reference cycles; pausing
    # the cyclic garbage collector meanwhile saves the repeated full scans of every live object.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _analyze_many(specs, errors)
    finally:
        if paused:
            gc.enable()


def _analyze_many(specs: Sequence[Mapping[str, Any]], errors: str) -> list[Json]:
    out: list[Json | None] = [None] * len(specs)
    series: list[SeriesSpec] = []
    where: list[int] = []
    for i, raw in enumerate(specs):
        try:
            parsed = parse_spec(raw)
            if isinstance(parsed, SeriesSpec):
                series.append(parsed)
                where.append(i)
            elif isinstance(parsed, MDCSpec):
                out[i] = mdc_dict(analyze_mdc(parsed))
            else:
                out[i] = {"result": PRIMITIVES[parsed.primitive](parsed.args)}
        except SPCError as exc:
            if errors == "raise":
                raise
            out[i] = {"error": str(exc)}
    items = run_series(series)
    dicts: dict[int, list[Json]] = {}
    blocks: dict[int, BlockResult] = {}
    for i, item in zip(where, items, strict=True):
        if isinstance(item, SPCError):
            if errors == "raise":
                raise item
            out[i] = {"error": str(item)}
            continue
        res, row = item
        key = id(res)
        if key not in dicts:
            blocks[key] = res
            dicts[key] = block_dicts(res)
        out[i] = dicts[key][row]
    return [d if d is not None else {"error": "not analysed"} for d in out]


def analyze_series(
    chart: str,
    y: Sequence[Any],
    x: Sequence[Any] | None = None,
    n: Sequence[Any] | None = None,
    **params: Any,
) -> ChartResult:
    """Analyse one run or control chart from Python sequences and explain its signals.

    ``params`` are those of the contract (freeze, part, part_freeze, exclude, multiply, cl,
    y_neg, agg_fun, method, screened_mr, rules, sigma, x_levels) plus ``labels`` (one per point
    or per row), ``unit`` (the plural word for the points, e.g. "months") and
    ``improvement_direction`` ("up" or "down"), which set the explanations and the status.
    Indices are 1-based, as in the contract.

    >>> r = analyze_series("c", [3, 5, 4, 6, 2, 4, 5, 3, 4, 14], unit="weeks")
    >>> r.status, r.signals[0].rule
    ('special_cause', 'anhoej_beyond_limits')
    """
    return analyze_series_many([series_spec(chart, y, x, n, **params)], errors="raise")[0]  # type: ignore[return-value]


def analyze_series_many(
    specs: Sequence[SeriesSpec | Mapping[str, Any]],
    errors: Literal["return", "raise"] = "return",
) -> list[ChartResult | SPCError]:
    """Rich results for many series (for example every team x measure of a collaborative).

    Each item is a :class:`SeriesSpec` (see :func:`series_spec`) or a dict of the keyword
    arguments of :func:`analyze_series` (``chart``, ``y``, ``x``, ``n`` and the params). With
    ``errors="return"`` an invalid series gives its :class:`SPCError` in its place.
    """
    parsed: list[SeriesSpec] = []
    failed: dict[int, SPCError] = {}
    for i, raw in enumerate(specs):
        try:
            parsed.append(raw if isinstance(raw, SeriesSpec) else series_spec(**raw))
        except SPCError as exc:
            if errors == "raise":
                raise
            failed[i] = exc
    items = run_series(parsed)
    rich: dict[int, list[ChartResult]] = {}
    it = iter(items)
    out: list[ChartResult | SPCError] = []
    for i in range(len(specs)):
        if i in failed:
            out.append(failed[i])
            continue
        item = next(it)
        if isinstance(item, SPCError):
            if errors == "raise":
                raise item
            out.append(item)
            continue
        res, row = item
        if id(res) not in rich:
            rich[id(res)] = block_results(res)
        out.append(rich[id(res)][row])
    return out


def analyze_spec(spec: Mapping[str, Any]) -> ChartResult | MDCResult:
    """Rich result for one contract spec: a :class:`ChartResult` or, for rules mdc, an MDCResult."""
    parsed = parse_spec(spec)
    if isinstance(parsed, PrimitiveSpec):
        raise SPCError("a primitive spec has no chart; use analyze() for primitives")
    if isinstance(parsed, MDCSpec):
        return analyze_mdc(parsed)
    result = analyze_series_many([parsed], errors="raise")[0]
    assert isinstance(result, ChartResult)
    return result


def analyze_mdc_series(
    y: Sequence[Any], x: Sequence[Any] | None = None, **params: Any
) -> MDCResult:
    """Analyse one Making Data Count XmR chart (SPEC §6) from Python sequences.

    ``params``: improvement_direction (increase, decrease or neutral), target,
    fix_after_n_points, rebase, screen_outliers, labels, unit.
    """
    return analyze_mdc(mdc_spec(y, x, **params))
