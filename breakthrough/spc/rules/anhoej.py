"""Findings of the default rule set: the Anhøj runs rules and the 3-sigma rule (SPEC §4, P9).

The numbers (longest run, crossings, their limits) come from :func:`runs.runs_stats`; this module
locates the points behind each signal so that it can be explained: every run longer than
``longest_run_max``, the useful points of a part with too few crossings, and every point outside
the 3-sigma limits.

>>> import numpy as np
>>> from breakthrough.spc.rules import SeriesView
>>> y = np.array([1.0] * 9 + [3.0] * 3)
>>> view = SeriesView("run", y, np.full(12, 2.0), {3: np.full(12, np.nan)},
...                   {3: np.full(12, np.nan)}, np.ones(12, bool), [(0, 12)])
>>> [f.rule for f in anhoej_findings(view, [(12, 9, 7, 1, 3)], "anhoej", True)]
['anhoej_shift', 'anhoej_crossings']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from breakthrough.spc.rules import Finding, Number, SeriesView
from breakthrough.spc.runs import box_signal

PartRuns = tuple[
    int, int, int, int, int
]  # n_useful, longest, longest_max, crossings, crossings_min


def anhoej_findings(
    view: SeriesView, part_runs: Sequence[PartRuns], method: str, runs_enabled: bool
) -> list[Finding]:
    """Beyond-limits points and runs signals of one series, in point order per part."""
    out: list[Finding] = []
    with np.errstate(invalid="ignore"):
        above = view.y > view.hi[3]
        below = view.y < view.lo[3]
    for j, (a, b) in enumerate(view.parts):
        part = j + 1
        for i in np.nonzero(above[a:b] | below[a:b])[0].tolist():
            k = a + i
            up = bool(above[k])
            values: dict[str, Number] = {
                "value": float(view.y[k]),
                "limit": float((view.hi if up else view.lo)[3][k]),
            }
            out.append(
                Finding(
                    "anhoej_beyond_limits", "anhoej", (k,), part, "up" if up else "down", values
                )
            )
        if not runs_enabled:
            continue
        n_useful, longest, lmax, cross, cmin = part_runs[j]
        if n_useful == 0:
            continue
        seq = view.sequence(a, b).tolist()
        useful = [i for i in seq if view.y[i] != view.cl[i] and view.cl[i] == view.cl[i]]
        box = box_signal(method, n_useful, cross, longest) if method != "anhoej" else None
        stats: dict[str, Number] = {
            "n_useful": n_useful,
            "longest_run": longest,
            "longest_run_max": lmax,
            "n_crossings": cross,
            "n_crossings_min": cmin,
        }
        if box is not None:
            if box:
                out.append(
                    Finding(
                        "anhoej_box",
                        "anhoej",
                        tuple(useful),
                        part,
                        None,
                        {**stats, "method": method},
                    )
                )
            continue
        if longest > lmax:
            for run in _runs(view, useful):
                if len(run) > lmax:
                    direction = "up" if view.y[run[0]] > view.cl[run[0]] else "down"
                    values = {**stats, "run_length": len(run)}
                    out.append(
                        Finding("anhoej_shift", "anhoej", tuple(run), part, direction, values)
                    )
        if cross < cmin:
            # Too few crossings means the process moved: the latest run shows where it is now.
            latest = _runs(view, useful)[-1]
            side = "up" if view.y[latest[0]] > view.cl[latest[0]] else "down"
            found = Finding("anhoej_crossings", "anhoej", tuple(useful), part, side, dict(stats))
            found.since = latest[0]
            out.append(found)
    return out


def _runs(view: SeriesView, useful: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in useful:
        up = view.y[i] > view.cl[i]
        if runs and (view.y[runs[-1][0]] > view.cl[runs[-1][0]]) == up:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs
