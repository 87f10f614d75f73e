"""IHI run-chart rules (Perla, Provost & Murray 2011, BMJ Qual Saf 20:46-51): provisional.

- shift: six or more consecutive points on one side of the median; points on the median are
  skipped (they neither count nor break the shift);
- trend: five or more consecutive points all going up or all going down; like values are
  ignored (a block of equal values counts as one level);
- too few or too many runs, from the exact distribution of the number of runs (Swed & Eisenhart
  1943) with alpha = 0.05 per tail, for 10 or more points not on the median (SPEC §7.3);
- the astronomical point is a judgement and is never emitted.

The details are [unverified] in SPEC §7; the numbers sit in :func:`runs.ihi_runs_limits` and in
the constants below so that the published values can replace them.

>>> import numpy as np
>>> from breakthrough.spc.rules import SeriesView
>>> y = np.array([5.0, 3, 6, 4, 5, 7, 8, 5, 9, 7, 8, 9, 3, 5, 2, 6, 3, 4, 5, 2])
>>> view = SeriesView("run", y, np.full(20, 5.0), {}, {}, np.ones(20, bool), [(0, 20)])
>>> [i + 1 for i in evaluate_ihi(view).findings[0].points]
[6, 7, 9, 10, 11, 12]
"""

from __future__ import annotations

from breakthrough.spc.rules import Finding, Number, RuleOutcome, SeriesView, point_rules
from breakthrough.spc.runs import ihi_runs_limits

SHIFT = 6
TREND = 5


def shifts(
    view: SeriesView, seq: list[int], length: int, rule: str, rule_set: str, part: int
) -> list[Finding]:
    """Runs of >= ``length`` points on one side of the centre line, skipping points on it."""
    y, cl = view.y, view.cl
    useful = [i for i in seq if y[i] != cl[i] and cl[i] == cl[i]]
    out: list[Finding] = []
    run: list[int] = []
    for i in [*useful, -1]:
        if i >= 0 and run and (y[i] > cl[i]) == (y[run[0]] > cl[run[0]]):
            run.append(i)
            continue
        if len(run) >= length:
            direction = "up" if y[run[0]] > cl[run[0]] else "down"
            out.append(
                Finding(
                    rule,
                    rule_set,
                    tuple(run),
                    part,
                    direction,
                    {"run_length": len(run), "threshold": length, "n_useful": len(useful)},
                )
            )
        run = [i]
    return out


def trends(
    view: SeriesView, seq: list[int], length: int, rule: str, rule_set: str, part: int
) -> list[Finding]:
    """>= ``length`` consecutive levels strictly rising or falling; equal values form one level."""
    y = view.y
    levels: list[list[int]] = []
    for i in seq:
        if levels and y[i] == y[levels[-1][0]]:
            levels[-1].append(i)
        else:
            levels.append([i])
    steps = [1 if y[levels[j][0]] > y[levels[j - 1][0]] else -1 for j in range(1, len(levels))]
    out: list[Finding] = []
    j = 0
    while j < len(steps):
        k = j
        while k + 1 < len(steps) and steps[k + 1] == steps[j]:
            k += 1
        n_levels = k - j + 2  # steps j..k join levels j..k+1
        if n_levels >= length:
            pts = tuple(p for lv in levels[j : k + 2] for p in lv)
            direction = "up" if steps[j] > 0 else "down"
            values: dict[str, Number] = {"levels": n_levels, "threshold": length}
            out.append(Finding(rule, rule_set, pts, part, direction, values))
        j = k + 1
    return out


def evaluate_ihi(view: SeriesView) -> RuleOutcome:
    """Shift and trend signals per point, and the runs test per part (SPEC §7)."""
    findings: list[Finding] = []
    extra: list[dict[str, Number | bool]] = []
    for j, (a, b) in enumerate(view.parts):
        seq = view.sequence(a, b).tolist()
        findings += shifts(view, seq, SHIFT, "ihi_shift", "ihi", j + 1)
        findings += trends(view, seq, TREND, "ihi_trend", "ihi", j + 1)
        useful = [i for i in seq if view.y[i] != view.cl[i] and view.cl[i] == view.cl[i]]
        n_useful = len(useful)
        n_runs = 0
        for k, i in enumerate(useful):
            if k == 0 or (view.y[i] > view.cl[i]) != (
                view.y[useful[k - 1]] > view.cl[useful[k - 1]]
            ):
                n_runs += 1
        lo, hi = ihi_runs_limits(n_useful)
        few = lo is not None and n_runs < lo
        many = hi is not None and n_runs > hi
        extra.append(
            {
                "n_runs": n_runs,
                "runs_lower_limit": lo,
                "runs_upper_limit": hi,
                "too_few_runs": few,
                "too_many_runs": many,
            }
        )
        if few or many:
            findings.append(
                Finding(
                    "ihi_too_few_runs" if few else "ihi_too_many_runs",
                    "ihi",
                    tuple(useful),
                    j + 1,
                    None,
                    {"n_runs": n_runs, "n_useful": n_useful, "lower": lo, "upper": hi},
                )
            )
    return RuleOutcome(point_rules(len(view.y), findings, "ihi"), findings, extra)
