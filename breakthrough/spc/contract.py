"""The output of the command-line contract (CLI.md §2, §3), built from computed blocks.

:func:`block_dicts` turns a computed block into one contract dict per series; :func:`mdc_dict`
does the same for a Making Data Count chart. Lists are built for whole blocks at once, so that a
collaborative of thousands of series is written out in a few milliseconds.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from breakthrough.spc.arrays import Float2
from breakthrough.spc.engine import BlockResult, nan_to_none
from breakthrough.spc.mdc import MDCResult
from breakthrough.spc.rules import RuleOutcome, SeriesView, evaluate
from breakthrough.spc.runs import RunsStats

Json = dict[str, Any]


def _line_rows(a: Float2, length: int) -> list[list[float | None]]:
    """Rows as lists; a line kept as one column (constant along the series) is repeated."""
    if a.shape[1] == 1 and length != 1:
        return [[None if v != v else v] * length for v in a[:, 0].tolist()]
    return nan_to_none(a)


def n_rows(n: Float2 | None, s: int, length: int) -> list[list[Any]]:
    """Aggregated n per series: whole numbers as ints; None when no n was given."""
    if n is None:
        return [[None] * length for _ in range(s)]
    if s == 1:  # one row: the same values as below, checked in Python
        row = n[0].tolist()
        if all(v.is_integer() and abs(v) < 2**53 for v in row):
            return [[int(v) for v in row]]
        return [row]
    whole = ((n == np.floor(n)) & (np.abs(n) < 2**53)).all(axis=1)
    if whole.all():
        out: list[list[Any]] = n.astype(np.int64).tolist()
        return out
    rows: list[list[Any]] = n.tolist()
    for r in np.nonzero(whole)[0].tolist():
        rows[r] = n[r].astype(np.int64).tolist()
    return rows


def series_view(res: BlockResult, s: int) -> SeriesView:
    """One series of a computed block, as the rule sets see it (values before scaling)."""
    b = res.block
    length = res.y.shape[1]
    return SeriesView(
        chart=b.chart,
        y=res.y[s],
        cl=res.cl[s][res.part_of - 1],
        lo={k: np.broadcast_to(v[s], (length,)) for k, v in res.lo.items()},
        hi={k: np.broadcast_to(v[s], (length,)) for k, v in res.hi.items()},
        include=b.include,
        parts=b.parts,
        categorical=b.axis.kind == "category",
    )


def rule_outcome(res: BlockResult, s: int) -> RuleOutcome | None:
    """The selected non-default rule set applied to series ``s``; None for ``anhoej``."""
    rules = res.block.specs[s].rules
    if rules == "anhoej":
        return None
    return evaluate(rules, series_view(res, s))


def block_dicts(res: BlockResult, outcomes: list[RuleOutcome | None] | None = None) -> list[Json]:
    """The contract output (CLI.md §2) of every series of a computed block."""
    b = res.block
    s_count, length = res.out_y.shape
    x = list(b.axis.x_out)
    part = res.part_of.tolist()
    baseline = b.baseline.tolist()
    include = b.include.tolist()
    n = n_rows(b.n, s_count, length)
    y = nan_to_none(res.out_y)
    cl = _line_rows(res.out_cl, length)
    lcl = _line_rows(res.out_lcl, length)
    ucl = _line_rows(res.out_ucl, length)
    lcl_95 = _line_rows(res.out_lcl_95, length)
    ucl_95 = _line_rows(res.out_ucl_95, length)
    sigma = res.sigma_signal.tolist()
    summaries = _summaries(res)
    if len(b.parts) == 1:
        runs = [[flag] * length for flag in res.runs_signal[:, 0].tolist()]
    else:
        idx = res.part_of - 1
        runs = res.runs_signal[:, idx].tolist()
    if outcomes is None and b.specs[0].rules != "anhoej":
        outcomes = [rule_outcome(res, s) for s in range(s_count)]
    out: list[Json] = []
    for s in range(s_count):
        per_point: Json = {
            "x": x[:],
            "part": part[:],
            "baseline": baseline[:],
            "include": include[:],
            "n": n[s],
            "y": y[s],
            "cl": cl[s],
            "lcl": lcl[s],
            "ucl": ucl[s],
            "lcl_95": lcl_95[s],
            "ucl_95": ucl_95[s],
            "sigma_signal": sigma[s],
            "runs_signal": runs[s],
        }
        summary = summaries[s]
        outcome = None if outcomes is None else outcomes[s]
        if outcome is not None:
            per_point["signals"] = outcome.point_rules
            if outcome.part_extra is not None:
                summary = [
                    {**rec, **extra} for rec, extra in zip(summary, outcome.part_extra, strict=True)
                ]
        out.append({"per_point": per_point, "summary": summary})
    return out


def _summaries(res: BlockResult) -> list[list[Json]]:
    s_count = res.out_y.shape[0]
    if s_count == 1:
        return [_summary_one(res)]
    columns = []
    for j, runs in enumerate(res.runs):
        nu = runs.n_useful.tolist()
        some = [v > 0 for v in nu]
        columns.append(
            zip(
                nu,
                [v if k else None for v, k in zip(runs.longest_run.tolist(), some, strict=True)],
                [
                    v if k else None
                    for v, k in zip(runs.longest_run_max.tolist(), some, strict=True)
                ],
                [v if k else None for v, k in zip(runs.n_crossings.tolist(), some, strict=True)],
                [
                    v if k else None
                    for v, k in zip(runs.n_crossings_min.tolist(), some, strict=True)
                ],
                res.runs_signal[:, j].tolist(),
                res.sigma_count[:, j].tolist(),
                nan_to_none(res.cl_mean[:, j : j + 1]),
                nan_to_none(res.lcl_mean[:, j : j + 1]),
                nan_to_none(res.ucl_mean[:, j : j + 1]),
                strict=True,
            )
        )
    out: list[list[Json]] = [[] for _ in range(s_count)]
    for j, column in enumerate(columns):
        n_obs = res.n_obs[j]
        part = j + 1
        for rows, (nu, lr, lm, nc, cm, sig, cnt, clm, lclm, uclm) in zip(out, column, strict=True):
            rows.append(
                {
                    "part": part,
                    "n_obs": n_obs,
                    "n_useful": nu,
                    "longest_run": lr,
                    "longest_run_max": lm,
                    "n_crossings": nc,
                    "n_crossings_min": cm,
                    "runs_signal": sig,
                    "sigma_signal_count": cnt,
                    "cl_mean": clm[0],
                    "lcl_mean": lclm[0],
                    "ucl_mean": uclm[0],
                }
            )
    return out


def _summary_one(res: BlockResult) -> list[Json]:
    """The same records for a block of one series, without the column machinery."""
    out = []
    flags = res.runs_signal[0].tolist()
    counts = res.sigma_count[0].tolist()
    means = np.concatenate((res.cl_mean[0], res.lcl_mean[0], res.ucl_mean[0])).tolist()
    parts = len(res.runs)
    for j, runs in enumerate(res.runs):
        nu, lr, lm, nc, cm = runs.one if runs.one is not None else _first_row(runs)
        some = nu > 0
        cl_m, lcl_m, ucl_m = means[j], means[parts + j], means[2 * parts + j]
        out.append(
            {
                "part": j + 1,
                "n_obs": res.n_obs[j],
                "n_useful": nu,
                "longest_run": lr if some else None,
                "longest_run_max": lm if some else None,
                "n_crossings": nc if some else None,
                "n_crossings_min": cm if some else None,
                "runs_signal": flags[j],
                "sigma_signal_count": counts[j],
                "cl_mean": None if cl_m != cl_m else cl_m,
                "lcl_mean": None if lcl_m != lcl_m else lcl_m,
                "ucl_mean": None if ucl_m != ucl_m else ucl_m,
            }
        )
    return out


def _first_row(runs: RunsStats) -> tuple[int, int, int, int, int]:
    return (
        int(runs.n_useful[0]),
        int(runs.longest_run[0]),
        int(runs.longest_run_max[0]),
        int(runs.n_crossings[0]),
        int(runs.n_crossings_min[0]),
    )


def mdc_dict(r: MDCResult) -> Json:
    """The contract output of a Making Data Count chart (CLI.md §3)."""
    per_point: Json = {
        "x": list(r.x),
        "y": list(r.y),
        "rebase_group": list(r.rebase_group),
        "mean": list(r.mean),
        "lpl": list(r.lpl),
        "upl": list(r.upl),
        "nlpl": list(r.nlpl),
        "nupl": list(r.nupl),
        "outside_limits": list(r.outside_limits),
        "relative_to_mean": list(r.relative_to_mean),
        "close_to_limits": list(r.close_to_limits),
        "special_cause_type": list(r.special_cause_type),
        "special_cause_flag": list(r.special_cause_flag),
        "point_type": list(r.point_type),
        "short_group_warning": list(r.short_group_warning),
        "signals": [list(s) for s in r.point_signals],
    }
    summary = [
        {
            "rebase_group": g.rebase_group,
            "n": g.n,
            "mean": g.mean,
            "lpl": g.lpl,
            "upl": g.upl,
            "common_cause": g.common_cause,
            "special_cause_improvement": g.special_cause_improvement,
            "special_cause_concern": g.special_cause_concern,
            "variation_type": g.variation_type,
            "assurance_type": g.assurance_type,
        }
        for g in r.groups
    ]
    icons = {"variation": r.variation_icon, "assurance": r.assurance_icon}
    return {"per_point": per_point, "summary": summary, "icons": icons}
