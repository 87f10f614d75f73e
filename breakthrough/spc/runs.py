"""Runs analysis: the Anhøj rules, best-box and cut-box, and the IHI runs table (SPEC §4, §7.3).

The Anhøj rules (Anhøj & Olesen 2014) flag non-random variation when the longest run of points on
one side of the centre line is too long, or the line is crossed too rarely:

- ``longest_run_max`` = round(log2(n)) + 3 (Schilling 2012);
- ``n_crossings_min`` = the 5th percentile of Binomial(n - 1, 1/2) (Chen 2010),

where n counts the useful points (not on the centre line, not missing, not excluded).

>>> anhoej_limits(24)
(8, 8)
>>> anhoej_limits(100)
(10, 41)
>>> ihi_runs_limits(20)
(6, 16)
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from breakthrough.spc.arrays import Float1, Float2

Int1 = npt.NDArray[np.int64]


@cache
def anhoej_limits(n_useful: int) -> tuple[int, int]:
    """(longest_run_max, n_crossings_min) for ``n_useful`` >= 1 useful points (SPEC §4.1)."""
    if n_useful < 1:
        raise ValueError("n_useful must be at least 1")
    longest = math.floor(math.log2(n_useful) + 0.5) + 3
    total = 1 << (n_useful - 1)
    acc, k, term = 0, 0, 1
    while True:
        acc += term
        if 20 * acc >= total:
            return longest, k
        term = term * (n_useful - 1 - k) // (k + 1)
        k += 1


_LMAX: list[int] = [0]
_CMIN: list[int] = [0]


def _table(values: Int1) -> tuple[Int1, Int1]:
    """Anhøj limits for an array of n_useful values (0 where n_useful is 0)."""
    top = int(values.max()) if values.size else 0
    while len(_LMAX) <= top:
        lmax, cmin = anhoej_limits(len(_LMAX))
        _LMAX.append(lmax)
        _CMIN.append(cmin)
    lmax_arr = np.array(_LMAX[: top + 1], dtype=np.int64)
    cmin_arr = np.array(_CMIN[: top + 1], dtype=np.int64)
    return lmax_arr[values], cmin_arr[values]


@dataclass
class RunsStats:
    """Per-row Anhøj statistics of one part (arrays of shape (S,))."""

    n_useful: Int1
    longest_run: Int1
    longest_run_max: Int1
    n_crossings: Int1
    n_crossings_min: Int1
    signal: npt.NDArray[np.bool_]
    one: tuple[int, int, int, int, int] | None = None  # the same numbers, for a single row


def runs_stats(y: Float2, cl: Float1, include: npt.NDArray[np.bool_], method: str) -> RunsStats:
    """Anhøj runs analysis of one part for every row (SPEC §4.1, §4.4).

    Points on the centre line, with a null value, or excluded are dropped first; they neither
    break nor extend a run. Rows without useful points get zeros here; the caller reports null.
    """
    s, length = y.shape
    if s == 1:
        return _runs_one(y[0].tolist(), float(cl[0]), include.tolist(), method)
    sign = np.sign(y - cl[:, None])
    useful = (sign != 0) & (sign == sign)
    if not include.all():
        useful &= include
    n_useful = useful.sum(axis=1)
    if length == 0:
        zero = np.zeros(s, dtype=np.int64)
        return RunsStats(zero, zero, zero, zero, zero, np.zeros(s, dtype=bool))
    if s >= 4 * length:
        longest, n_cross = _by_column(sign, useful)
    else:
        longest, n_cross = _by_row(sign, useful)
    lmax, cmin = _table(n_useful)
    signal = (n_useful > 0) & ((longest > lmax) | (n_cross < cmin))
    if method != "anhoej":
        signal = _box(method, n_useful, longest, n_cross, signal)
    return RunsStats(n_useful, longest, lmax, n_cross, cmin, signal)


def _by_column(sign: Float2, useful: npt.NDArray[np.bool_]) -> tuple[Int1, Int1]:
    """Longest run and crossings, walking the columns: fast for many short series."""
    s = sign.shape[0]
    # Columns as contiguous rows; signs +1 / -1 where useful, 0 elsewhere.
    signs = np.ascontiguousarray(np.where(useful, sign, 0.0).T.astype(np.int8))
    prev = np.zeros(s, dtype=np.int8)
    run = np.zeros(s, dtype=np.int64)
    longest = np.zeros(s, dtype=np.int64)
    cross = np.zeros(s, dtype=np.int64)
    for sj in signs:
        u = sj != 0
        same = sj == prev
        cross += u & (prev != 0) & ~same
        run = np.where(u, np.where(same, run + 1, 1), run)
        np.maximum(longest, run, out=longest)
        prev = np.where(u, sj, prev)
    return longest, cross


def _by_row(sign: Float2, useful: npt.NDArray[np.bool_]) -> tuple[Int1, Int1]:
    """Longest run and crossings with whole-row operations: fast for long series."""
    length = sign.shape[1]
    idx = np.arange(length)
    last = np.where(useful, idx, -1)
    np.maximum.accumulate(last, axis=1, out=last)
    prev = np.empty_like(last)
    prev[:, 0] = -1
    prev[:, 1:] = last[:, :-1]
    sv = np.where(useful, sign, 0.0)
    prev_sign = np.take_along_axis(sv, np.maximum(prev, 0), axis=1)
    change = useful & (prev >= 0) & (prev_sign != sign)
    n_cross = change.sum(axis=1)
    start = useful & ((prev < 0) | change)
    k = np.cumsum(useful, axis=1)
    start_k = np.maximum.accumulate(np.where(start, k, 0), axis=1)
    longest: Int1 = np.where(useful, k - start_k + 1, 0).max(axis=1)
    return longest, n_cross


def _runs_one(y: list[float], cl: float, include: list[bool], method: str) -> RunsStats:
    """The same statistics for a single row, in plain Python (integers: exact either way)."""
    n = cross = run = longest = 0
    prev = 0.0
    for v, inc in zip(y, include, strict=True):
        if not inc or v != v or v == cl or cl != cl:  # excluded, missing, or on the line
            continue
        side = 1.0 if v > cl else -1.0
        n += 1
        if side == prev:
            run += 1
        else:
            cross += prev != 0.0
            run = 1
            prev = side
        longest = max(longest, run)
    if n == 0:
        zero = np.zeros(1, dtype=np.int64)
        return RunsStats(zero, zero, zero, zero, zero, np.zeros(1, dtype=bool), (0, 0, 0, 0, 0))
    lmax, cmin = anhoej_limits(n)
    signal = longest > lmax or cross < cmin
    if method != "anhoej":
        box = box_signal(method, n, cross, longest)
        signal = signal if box is None else box

    cols = np.array([[n], [longest], [lmax], [cross], [cmin]], dtype=np.int64)
    one = (n, longest, lmax, cross, cmin)
    return RunsStats(cols[0], cols[1], cols[2], cols[3], cols[4], np.array([signal]), one)


@cache
def _bounds() -> dict[int, tuple[int, int, int | None, int | None]]:
    text = resources.files("breakthrough.spc").joinpath("data/bestbox_bounds.json").read_text()
    rows = json.loads(text)["bounds"]
    return {r["n"]: (r["cb"], r["lb"], r["cbord"], r["lbord"]) for r in rows}


def box_signal(method: str, n: int, crossings: int, longest: int) -> bool | None:
    """Best-box or cut-box signal (Anhøj & Wentzel-Larsen 2020); None outside 10 <= n <= 100."""
    b = _bounds().get(n)
    if b is None:
        return None
    cb, lb, cbord, lbord = b
    best = not (crossings >= cb and longest <= lb)
    if method == "bestbox" or cbord is None or lbord is None:
        return best
    clear = (
        (crossings >= cb + 1 and longest <= lb - 1)
        or (crossings == cb and longest <= lbord)
        or (crossings >= cbord and longest <= lb)
    )
    return not clear


def _box(
    method: str, n: Int1, longest: Int1, cross: Int1, anhoej: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    out = anhoej.copy()
    for j, (nu, lr, nc) in enumerate(
        zip(n.tolist(), longest.tolist(), cross.tolist(), strict=True)
    ):
        sig = box_signal(method, nu, nc, lr)
        if sig is not None:
            out[j] = sig
    return out


@cache
def ihi_runs_limits(n_useful: int) -> tuple[int | None, int | None]:
    """(lo, hi) limits of the number of runs, alpha = 0.05 per tail (Swed & Eisenhart 1943).

    Provisional (SPEC §7.3): evaluated for n_useful >= 10 only; None where no such limit exists.
    """
    if n_useful < 10:
        return None, None
    n1 = (n_useful + 1) // 2
    n2 = n_useful // 2
    total = math.comb(n_useful, n1)
    ways: dict[int, int] = {}
    for r in range(2, n_useful + 1):
        k, odd = divmod(r, 2)
        if odd:
            ways[r] = math.comb(n1 - 1, k) * math.comb(n2 - 1, k - 1) + math.comb(
                n1 - 1, k - 1
            ) * math.comb(n2 - 1, k)
        else:
            ways[r] = 2 * math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k - 1)
    # Exact arithmetic: P(R <= r) <= 0.05 is 20 * ways(R <= r) <= total.
    lo = hi = None
    acc = 0
    for r in sorted(ways):
        acc += ways[r]
        if 20 * acc <= total:
            lo = r
    acc = 0
    for r in sorted(ways, reverse=True):
        acc += ways[r]
        if 20 * acc <= total:
            hi = r
    return lo, hi
