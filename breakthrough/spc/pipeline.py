"""From raw rows to subgroups: validation, missing values, aggregation, parts, baseline.

This is steps P1-P4 of SPEC §2 for a *block*: series that share their chart, x axis and every
structural parameter (freeze, parts, exclusions, options), stacked into 2-D arrays with one series
per row. A single series is a block of one, so the batch path and the one-by-one path run the same
code.

>>> from breakthrough.spc.spec import series_spec
>>> from breakthrough.spc.xaxis import parse_x
>>> spec = series_spec("run", [3, 5, 4], x=[1, 1, 2])
>>> block = prepare_block([spec], parse_x(spec.x, 3, None))
>>> block.y.tolist(), block.parts
([[4.0, 4.0]], [(0, 2)])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from breakthrough.spc.arrays import NAN, Float1, Float2
from breakthrough.spc.errors import SPCError
from breakthrough.spc.spec import CHART_NAMES, NEEDS_N, SeriesSpec
from breakthrough.spc.xaxis import XAxis

_MIN_TWO = ("i", "mr", "t", "ip", "pp", "up")


@dataclass
class Block:
    """S series with one structure, as 2-D arrays of subgroup statistics (S, N)."""

    specs: list[SeriesSpec]
    axis: XAxis
    chart: str
    y: Float2
    n: Float2 | None
    y_sum: Float2
    y_len: Float2 | None  # only for the charts that need sizes (xbar, s, ip)
    y_sd: Float2 | None
    parts: list[tuple[int, int]]
    baseline: npt.NDArray[np.bool_]
    include: npt.NDArray[np.bool_]
    cl_user: Float1 | None
    sigma_user: Float1 | None
    multiply: Float1
    unit_multiply: bool = True
    all_included: bool = True
    all_base: bool = True

    @property
    def size(self) -> int:
        return len(self.specs)


def prepare_block(specs: Sequence[SeriesSpec], axis: XAxis) -> Block:
    """Validate and aggregate the rows of series that share one structure and one x axis."""
    first = specs[0]
    chart = first.chart
    ys = _matrix("y", [s.y for s in specs], axis)
    ns = _matrix("n", [s.n for s in specs], axis) if first.n is not None else None  # type: ignore[misc]
    _check_values(chart, ys, ns, specs, axis)
    if ns is not None:
        missing = np.isnan(ys + ns)  # values are finite or null here
        if missing.any():
            ys = np.where(missing, NAN, ys)
            ns = np.where(missing, NAN, ns)
    sizes = chart in ("xbar", "s", "ip") or first.agg_fun == "sd"
    y_sum, y_len, y_mean, y_sd, y_med, n_agg = _aggregate(ys, ns, axis, first.agg_fun, sizes)
    plotted: Float2 | None
    if n_agg is not None and chart != "c":
        # n is 0 only where every row is missing, and y_sum is then 0 or null: 0 / 0 is null.
        plotted = y_sum / n_agg
    elif chart == "xbar":
        plotted = y_mean
    elif chart == "s":
        plotted = y_sd
    elif chart == "c":
        plotted = y_sum
    else:
        plotted = {"mean": y_mean, "median": y_med, "sum": y_sum, "sd": y_sd}[first.agg_fun]
    assert plotted is not None  # sizes and sd are computed for the charts that plot them
    y = plotted
    _check_enough(chart, y, y_len, specs)
    n_sub = axis.n_sub
    parts = _parts(first, n_sub)
    baseline = _baseline(first, parts, n_sub)
    include = np.ones(n_sub, dtype=bool)
    for k in first.exclude:
        if 1 <= k <= n_sub:
            include[k - 1] = False
    cl_user = _scalars([s.cl for s in specs])
    sigma_user = _scalars([s.sigma for s in specs])
    mult = np.array([s.multiply for s in specs], dtype=float)
    return Block(
        list(specs),
        axis,
        chart,
        y,
        n_agg,
        y_sum,
        y_len,
        y_sd,
        parts,
        baseline,
        include,
        cl_user,
        sigma_user,
        mult,
        all(s.multiply == 1.0 for s in specs),
        not first.exclude or bool(include.all()),
        (not first.exclude and first.freeze is None and first.part_freeze is None)
        or bool((baseline & include).all()),
    )


def _scalars(values: list[float | None]) -> Float1 | None:
    if all(v is None for v in values):
        return None
    return np.array([NAN if v is None else v for v in values], dtype=float)


def _matrix(name: str, rows: list[Sequence[Any]], axis: XAxis) -> Float2:
    """Rows of numbers (None for missing) as a float array; anything else is an SPCError.

    One C pass converts the common case. Booleans read as 1 and 0 and numbers written as text
    ("12") as numbers, as Python's float() reads them; anything else is rejected with its row.
    """
    try:
        out: Float2 = np.array(rows, dtype=float)
    except (TypeError, ValueError):
        for r, row in enumerate(rows):
            for i, v in enumerate(row):
                try:
                    if v is not None:
                        float(v)
                except (TypeError, ValueError):
                    raise SPCError(
                        f"{name} must be a number or null for every row; "
                        f"row {i + 1} has {v!r} ({type(v).__name__})"
                        + ("" if len(rows) == 1 else f" in series {r + 1}")
                    ) from None
        raise SPCError(f"{name} must be a flat list of numbers or nulls") from None
    if out.ndim != 2:
        raise SPCError(f"{name} must be a flat list of numbers or nulls")
    return out


def _first_bad(bad: npt.NDArray[np.bool_]) -> tuple[int, int]:
    s, i = np.argwhere(bad)[0].tolist()
    return int(s), int(i)


def _check_values(
    chart: str,
    ys: Float2,
    ns: Float2 | None,
    specs: Sequence[SeriesSpec],
    axis: XAxis,
) -> None:
    if not _any_bad(chart, ys, ns):
        return
    name = CHART_NAMES[chart]

    def where(s: int, i: int) -> str:
        x = specs[s].x
        at = f"row {i + 1}" + (f" (x={x[i]})" if x is not None else "")
        return at + ("" if len(specs) == 1 else f" of series {s + 1}")

    def fail(bad: npt.NDArray[np.bool_], need: str, show: str) -> None:
        if bad.any():
            s, i = _first_bad(bad)
            y = _fmt(ys[s, i])
            n = None if ns is None else _fmt(ns[s, i])
            raise SPCError(f"{need}; {where(s, i)} has " + show.format(y=y, n=n))

    with np.errstate(invalid="ignore"):
        fail(np.isinf(ys), "y must be a finite number or null", "y={y}")
        if chart in ("c", "u", "up", "g"):
            fail(ys < 0, f"a {name} counts events, so y cannot be negative", "y={y}")
        if chart == "t":
            fail(ys <= 0, "time between events must be greater than zero on a T chart", "y={y}")
        if ns is None:
            return
        fail(np.isinf(ns), "n must be a finite number or null", "n={n}")
        fail(ns < 0, f"a {name} needs denominators n greater than 0", "n={n}")
        fail(
            ns == 0,
            f"a {name} needs denominators n greater than 0 (leave y and n empty when there "
            "was nothing to count)",
            "y={y}, n={n}",
        )
        if chart in ("p", "pp"):
            fail(ys < 0, f"a {name} counts cases, so y cannot be negative", "y={y}")
            fail(ys > ns, f"a {name} needs a denominator n >= y for every row", "y={y}, n={n}")
        if chart in ("p", "pp", "u", "up"):
            none = ~(ns == ns).any(axis=1)
            if none.any():
                s = int(np.nonzero(none)[0][0])
                raise SPCError(
                    f"a {name} needs a denominator n for its subgroups; every n is missing"
                    + ("" if len(specs) == 1 else f" in series {s + 1}")
                )


def _any_bad(chart: str, ys: Float2, ns: Float2 | None) -> bool:
    """One cheap pass: could any value break a rule of :func:`_check_values`?"""
    if ns is None:
        if chart in ("c", "g"):
            return bool((np.isinf(ys) | (ys < 0)).any())
        if chart == "t":
            return bool((np.isinf(ys) | (ys <= 0)).any())
        return bool(np.isinf(ys).any())
    # y + n is infinite when either is (a -inf n is caught by n <= 0); fmin skips a missing n.
    if chart in ("p", "pp"):
        low = np.fmin(ys, ns - ys)  # negative when y < 0 or y > n
    elif chart in ("c", "u", "up"):
        low = ys
    else:
        low = np.zeros(1)
    bad = (low < 0) | (ns <= 0) | np.isinf(ys + ns)
    if bad.any():
        return True
    return chart in NEEDS_N and bool(np.isnan(ns).all(axis=1).any())


def _fmt(v: float) -> str:
    if v != v:
        return "null"
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))


def _check_enough(chart: str, y: Float2, y_len: Float2 | None, specs: Sequence[SeriesSpec]) -> None:
    name = CHART_NAMES[chart]
    article = "an" if name[0] in "AEFHILMNORSX" else "a"
    suffix = "" if len(specs) == 1 else " in series {s}"
    if chart in ("xbar", "s") and y_len is not None:
        bad = ~(y_len >= 2).any(axis=1)
        if bad.any():
            s = int(np.nonzero(bad)[0][0]) + 1
            raise SPCError(
                f"{article} {name} needs at least one subgroup with 2 or more values; "
                "every subgroup has at most 1" + suffix.format(s=s)
            )
        return
    count = (y == y).sum(axis=1)
    need = 2 if chart in _MIN_TWO else 1
    bad = count < need
    if bad.any():
        s = int(np.nonzero(bad)[0][0])
        have = int(count[s])
        if have == 0:
            raise SPCError(
                "every y value is missing; a series needs at least one value"
                + suffix.format(s=s + 1)
            )
        raise SPCError(
            f"{article} {name} needs at least {need} values to estimate its limits; "
            f"the series has {have}" + suffix.format(s=s + 1)
        )


Aggregates = tuple[Float2, Float2 | None, Float2, Float2 | None, Float2, Float2 | None]


def _aggregate(
    ys: Float2, ns: Float2 | None, axis: XAxis, agg_fun: str, need_sizes: bool
) -> Aggregates:
    if axis.order is not None:
        ys = ys[:, axis.order]
        if ns is not None:
            ns = ns[:, axis.order]
    # n is positive or null here: fmax turns null into 0 and keeps every other value.
    n_agg = None if ns is None else np.fmax(ns, 0.0)
    if axis.starts is None:
        # One row per subgroup: sizes are 1 or 0 and standard deviations undefined.
        if not need_sizes:
            return ys, None, ys, None, ys, n_agg
        ok = ys == ys
        sd = np.full(ys.shape, NAN)
        return ys, ok.astype(float), ys, sd, ys, n_agg
    starts = axis.starts
    total = ys.shape[1]
    sizes = np.diff(np.append(starts, total))
    kmax = int(sizes.max())
    groups = len(starts)
    if groups * kmax <= 8 * total + 4096:
        cols = np.arange(kmax)
        valid = cols < sizes[:, None]
        idx = np.where(valid, starts[:, None] + cols, 0)
        padded = np.where(valid, ys[:, idx], NAN)
        n_pad = None if n_agg is None else np.where(valid, n_agg[:, idx], 0.0)
        return _reduce(padded, n_pad, sizes, agg_fun)
    outs = [
        _reduce(
            ys[:, a : a + k][:, None, :],
            None if n_agg is None else n_agg[:, a : a + k][:, None, :],
            sizes[g : g + 1],
            agg_fun,
        )
        for g, (a, k) in enumerate(zip(starts.tolist(), sizes.tolist(), strict=True))
    ]
    cat = [np.concatenate([o[j] for o in outs], axis=1) for j in range(5)]
    n_out = None if n_agg is None else np.concatenate([o[5] for o in outs], axis=1)
    return cat[0], cat[1], cat[2], cat[3], cat[4], n_out


def _seqsum(a: npt.NDArray[np.float64]) -> Float2:
    out: Float2 = np.cumsum(a, axis=2)[..., -1]
    return out


def _reduce(
    p: npt.NDArray[np.float64], n_pad: npt.NDArray[np.float64] | None, sizes: Any, agg_fun: str
) -> Aggregates:
    ok = p == p
    y_len = ok.sum(axis=2).astype(float)
    y_sum = _seqsum(np.where(ok, p, 0.0))
    y_sum = np.where((sizes == 1) & (y_len == 0), NAN, y_sum)
    with np.errstate(invalid="ignore", divide="ignore"):
        y_mean = np.where(y_len > 0, y_sum / y_len, NAN)
        dev = np.where(ok, p - y_mean[..., None], 0.0)
        y_sd = np.where(y_len >= 2, np.sqrt(_seqsum(dev * dev) / (y_len - 1)), NAN)
    y_med = y_mean
    if agg_fun == "median":
        srt = np.sort(p, axis=2)
        cnt = y_len.astype(np.intp)
        lo = np.maximum((cnt - 1) // 2, 0)[..., None]
        hi = np.maximum(cnt // 2, 0)[..., None]
        a = np.take_along_axis(srt, lo, axis=2)[..., 0]
        b = np.take_along_axis(srt, hi, axis=2)[..., 0]
        y_med = np.where(cnt > 0, (a + b) / 2.0, NAN)
    n_agg = None if n_pad is None else _seqsum(n_pad)
    return y_sum, y_len, y_mean, y_sd, y_med, n_agg


def _parts(spec: SeriesSpec, n_sub: int) -> list[tuple[int, int]]:
    breaks = sorted({0, *(k for k in spec.part if 0 <= k < n_sub)})
    ends = [*breaks[1:], n_sub]
    return list(zip(breaks, ends, strict=True))


def _baseline(spec: SeriesSpec, parts: list[tuple[int, int]], n_sub: int) -> npt.NDArray[np.bool_]:
    baseline = np.ones(n_sub, dtype=bool)
    if spec.part_freeze is not None:
        if spec.freeze is not None:
            raise SPCError("give either freeze or part_freeze, not both")
        if len(spec.part_freeze) != len(parts):
            raise SPCError(
                f"part_freeze needs one entry per part (null for the whole part); the chart has "
                f"{len(parts)} part{'s' if len(parts) != 1 else ''} and part_freeze has "
                f"{len(spec.part_freeze)} entries"
            )
        for (a, b), f in zip(parts, spec.part_freeze, strict=True):
            if f is not None and a + f < b:
                baseline[a + f : b] = False
    elif spec.freeze is not None and not spec.part:
        baseline[spec.freeze :] = False
    return baseline
