"""Control-chart rule sets: Provost & Murray, Western Electric and Nelson (SPEC §8-§11).

Zones are the chart's own 1-, 2- and 3-sigma lines (SPEC §11). Rules run per part on the included
points with a value, in order; the beyond-the-limits rule applies to every point.

- **Western Electric** (qcc semantics; Western Electric Handbook 1956): we1 a point beyond 3σ;
  we2 2 of 3 beyond 2σ on one side; we3 4 of 5 beyond 1σ on one side; we4 8 in a row on one side.
  Window rules flag only the point that completes the window, which must itself be beyond, and
  compare the window with the lines of its last point. A point on the centre line breaks a run.
- **Nelson** (J Qual Technol 1984), flagged the same way: 1 beyond 3σ; 2 nine on one side; 3 six
  rising or falling; 4 fourteen alternating; 5 and 6 as we2 and we3; 7 fifteen within 1σ;
  8 eight beyond 1σ with points on both sides.
- **Provost & Murray** (The Health Care Data Guide), provisional: a point beyond the limits; 8 in
  a row on one side (points on the centre line skipped); 6 rising or falling (like values
  ignored); 2 of 3 beyond 2σ on one side; 15 in a row within 1σ. These flag every point involved.

>>> import numpy as np
>>> from breakthrough.spc.rules import SeriesView
>>> y = np.array([0.0, 0, 2.5, 0, 2.5, 0])
>>> lines = {k: np.full(6, float(k)) for k in (1, 2, 3)}
>>> low = {k: -v for k, v in lines.items()}
>>> view = SeriesView("i", y, np.zeros(6), low, lines, np.ones(6, bool), [(0, 6)])
>>> evaluate_control("western_electric", view).point_rules[4]
['we2']
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from breakthrough.spc.rules import Finding, Number, RuleOutcome, SeriesView, blocks, point_rules
from breakthrough.spc.rules.ihi import shifts, trends

Bool1 = npt.NDArray[np.bool_]

PROVOST_SHIFT = 8
PROVOST_TREND = 6
PROVOST_INNER = 15


def evaluate_control(rule_set: str, view: SeriesView) -> RuleOutcome:
    """Apply ``provost``, ``western_electric`` or ``nelson`` to one series."""
    findings: list[Finding] = []
    for j, (a, b) in enumerate(view.parts):
        seq = view.sequence(a, b)
        part = j + 1
        if rule_set == "provost":
            findings += _beyond(view, a, b, "provost_beyond_limits", rule_set, part)
            findings += shifts(view, seq.tolist(), PROVOST_SHIFT, "provost_shift", rule_set, part)
            findings += trends(view, seq.tolist(), PROVOST_TREND, "provost_trend", rule_set, part)
            findings += _provost_two_of_three(view, seq, part)
            findings += _provost_inner(view, seq, part)
        elif rule_set == "western_electric":
            findings += _beyond(view, a, b, "we1", rule_set, part)
            findings += _k_of_m(view, seq, 2, 3, 2, "we2", rule_set, part)
            findings += _k_of_m(view, seq, 4, 5, 1, "we3", rule_set, part)
            findings += _same_side(view, seq, 8, "we4", rule_set, part)
        else:
            findings += _beyond(view, a, b, "nelson1", rule_set, part)
            findings += _same_side(view, seq, 9, "nelson2", rule_set, part)
            findings += _trending(view, seq, 6, "nelson3", rule_set, part)
            findings += _alternating(view, seq, 14, "nelson4", rule_set, part)
            findings += _k_of_m(view, seq, 2, 3, 2, "nelson5", rule_set, part)
            findings += _k_of_m(view, seq, 4, 5, 1, "nelson6", rule_set, part)
            findings += _within(view, seq, 15, "nelson7", rule_set, part)
            findings += _outside_both(view, seq, 8, "nelson8", rule_set, part)
    return RuleOutcome(point_rules(len(view.y), findings, rule_set), findings)


def _beyond(view: SeriesView, a: int, b: int, rule: str, rule_set: str, part: int) -> list[Finding]:
    y = view.y[a:b]
    with np.errstate(invalid="ignore"):
        above = y > view.hi[3][a:b]
        below = y < view.lo[3][a:b]
    out = []
    for i in np.nonzero(above | below)[0].tolist():
        up = bool(above[i])
        line = float((view.hi if up else view.lo)[3][a + i])
        values: dict[str, Number] = {"value": float(y[i]), "limit": line}
        out.append(Finding(rule, rule_set, (a + i,), part, "up" if up else "down", values))
    return out


def _group(
    seq: npt.NDArray[np.intp],
    flagged: list[int],
    window: int,
    rule: str,
    rule_set: str,
    part: int,
    direction: str | None,
    values: dict[str, Number],
) -> list[Finding]:
    """One finding per group of consecutive flagged positions, covering their windows."""
    out = []
    for grp in blocks(flagged):
        first = max(grp[0] - window + 1, 0)
        pts = tuple(seq[first : grp[-1] + 1].tolist())
        out.append(
            Finding(rule, rule_set, pts, part, direction, dict(values), tuple(seq[grp].tolist()))
        )
    return out


def _k_of_m(
    view: SeriesView,
    seq: npt.NDArray[np.intp],
    k: int,
    m: int,
    sigma: int,
    rule: str,
    rule_set: str,
    part: int,
) -> list[Finding]:
    if len(seq) < m:
        return []
    y = view.y[seq]
    out: list[Finding] = []
    win = sliding_window_view(y, m)
    for direction, line in (("up", view.hi[sigma][seq]), ("down", view.lo[sigma][seq])):
        last = line[m - 1 :]
        with np.errstate(invalid="ignore"):
            beyond = win > last[:, None] if direction == "up" else win < last[:, None]
        hit = (beyond.sum(axis=1) >= k) & beyond[:, -1]
        flagged = (np.nonzero(hit)[0] + m - 1).tolist()
        values: dict[str, Number] = {"count": k, "window": m, "sigma": sigma}
        out += _group(seq, flagged, m, rule, rule_set, part, direction, values)
    return out


def _run_lengths(cond: Bool1) -> npt.NDArray[np.int64]:
    """Length of the run of True values ending at each position."""
    idx = np.arange(len(cond))
    last_false = np.maximum.accumulate(np.where(~cond, idx, -1))
    out: npt.NDArray[np.int64] = np.where(cond, idx - last_false, 0)
    return out


def _same_side(
    view: SeriesView, seq: npt.NDArray[np.intp], k: int, rule: str, rule_set: str, part: int
) -> list[Finding]:
    y, cl = view.y[seq], view.cl[seq]
    out: list[Finding] = []
    for direction, cond in (("up", y > cl), ("down", y < cl)):
        flagged = np.nonzero(_run_lengths(cond) >= k)[0].tolist()
        values: dict[str, Number] = {"run_length": k}
        out += _group(seq, flagged, k, rule, rule_set, part, direction, values)
    return out


def _trending(
    view: SeriesView, seq: npt.NDArray[np.intp], k: int, rule: str, rule_set: str, part: int
) -> list[Finding]:
    if len(seq) < k:
        return []
    d = np.sign(np.diff(view.y[seq]))
    out: list[Finding] = []
    for direction, sgn in (("up", 1.0), ("down", -1.0)):
        runs = _run_lengths(d == sgn)
        flagged = (np.nonzero(runs >= k - 1)[0] + 1).tolist()
        values: dict[str, Number] = {"run_length": k}
        out += _group(seq, flagged, k, rule, rule_set, part, direction, values)
    return out


def _alternating(
    view: SeriesView, seq: npt.NDArray[np.intp], k: int, rule: str, rule_set: str, part: int
) -> list[Finding]:
    if len(seq) < k:
        return []
    d = np.sign(np.diff(view.y[seq]))
    alt = np.zeros(len(d), dtype=np.int64)
    for j in range(len(d)):
        if d[j] == 0:
            alt[j] = 0
        elif j > 0 and d[j - 1] != 0 and d[j] == -d[j - 1]:
            alt[j] = alt[j - 1] + 1
        else:
            alt[j] = 1
    flagged = (np.nonzero(alt >= k - 1)[0] + 1).tolist()
    return _group(seq, flagged, k, rule, rule_set, part, None, {"run_length": k})


def _within(
    view: SeriesView, seq: npt.NDArray[np.intp], k: int, rule: str, rule_set: str, part: int
) -> list[Finding]:
    if len(seq) < k:
        return []
    win = sliding_window_view(view.y[seq], k)
    lo = view.lo[1][seq][k - 1 :, None]
    hi = view.hi[1][seq][k - 1 :, None]
    with np.errstate(invalid="ignore"):
        hit = ((win >= lo) & (win <= hi)).all(axis=1)
    flagged = (np.nonzero(hit)[0] + k - 1).tolist()
    return _group(seq, flagged, k, rule, rule_set, part, None, {"run_length": k, "sigma": 1})


def _outside_both(
    view: SeriesView, seq: npt.NDArray[np.intp], k: int, rule: str, rule_set: str, part: int
) -> list[Finding]:
    if len(seq) < k:
        return []
    win = sliding_window_view(view.y[seq], k)
    lo = view.lo[1][seq][k - 1 :, None]
    hi = view.hi[1][seq][k - 1 :, None]
    cl = view.cl[seq][k - 1 :, None]
    with np.errstate(invalid="ignore"):
        hit = ((win > hi) | (win < lo)).all(axis=1)
        hit &= (win > cl).any(axis=1) & (win < cl).any(axis=1)
    flagged = (np.nonzero(hit)[0] + k - 1).tolist()
    return _group(seq, flagged, k, rule, rule_set, part, None, {"run_length": k, "sigma": 1})


def _provost_two_of_three(view: SeriesView, seq: npt.NDArray[np.intp], part: int) -> list[Finding]:
    if len(seq) < 3:
        return []
    y = view.y[seq]
    out: list[Finding] = []
    with np.errstate(invalid="ignore"):
        sides = (("up", y > view.hi[2][seq]), ("down", y < view.lo[2][seq]))
    for direction, beyond in sides:
        win = sliding_window_view(beyond, 3)
        marked: set[int] = set()
        for w in np.nonzero(win.sum(axis=1) >= 2)[0].tolist():
            marked.update(p for p in range(w, w + 3) if beyond[p])
        for grp in blocks(sorted(marked), gap=2):
            pts = tuple(seq[grp].tolist())
            values: dict[str, Number] = {"count": 2, "window": 3, "sigma": 2}
            out.append(Finding("provost_two_of_three", "provost", pts, part, direction, values))
    return out


def _provost_inner(view: SeriesView, seq: npt.NDArray[np.intp], part: int) -> list[Finding]:
    y = view.y[seq]
    with np.errstate(invalid="ignore"):
        inner = (y >= view.lo[1][seq]) & (y <= view.hi[1][seq])
    runs = _run_lengths(inner)
    out: list[Finding] = []
    for end in np.nonzero(runs >= PROVOST_INNER)[0].tolist():
        if end + 1 < len(runs) and runs[end + 1] > runs[end]:
            continue  # not the end of the run yet
        pts = tuple(seq[end - int(runs[end]) + 1 : end + 1].tolist())
        values: dict[str, Number] = {"run_length": len(pts), "threshold": PROVOST_INNER}
        out.append(Finding("provost_fifteen_inner", "provost", pts, part, None, values))
    return out
