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
    whole = (n == np.floor(n)).all(axis=1) & (np.abs(n) < 2**53).all(axis=1)
    rows: list[list[Any]] = n.tolist()
    if whole.any():
        ints = n[whole].astype(np.int64).tolist()
        for r, row in zip(np.nonzero(whole)[0].tolist(), ints, strict=True):
            rows[r] = row
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
    runs_flags = res.runs_signal.tolist()
    summaries = _summaries(res)
    if outcomes is None:
        outcomes = [rule_outcome(res, s) for s in range(s_count)]
    out: list[Json] = []
    single = len(b.parts) == 1
    for s in range(s_count):
        flags = runs_flags[s]
        runs = [flags[0]] * length if single else [flags[p - 1] for p in part]
        per_point: Json = {
            "x": list(x),
            "part": list(part),
            "baseline": list(baseline),
            "include": list(include),
            "n": n[s],
            "y": y[s],
            "cl": cl[s],
            "lcl": lcl[s],
            "ucl": ucl[s],
            "lcl_95": lcl_95[s],
            "ucl_95": ucl_95[s],
            "sigma_signal": sigma[s],
            "runs_signal": runs,
        }
        summary = summaries[s]
        outcome = outcomes[s]
        if outcome is not None:
            per_point["signals"] = outcome.point_rules
            if outcome.part_extra is not None:
                summary = [{**rec, **extra} for rec, extra in zip(summary, outcome.part_extra, strict=True)]
        out.append({"per_point": per_point, "summary": summary})
    return out


def _summaries(res: BlockResult) -> list[list[Json]]:
    s_count = res.out_y.shape[0]
    out: list[list[Json]] = [[] for _ in range(s_count)]
    sig_count = res.sigma_count.tolist()
    cl_mean = nan_to_none(res.cl_mean)
    lcl_mean = nan_to_none(res.lcl_mean)
    ucl_mean = nan_to_none(res.ucl_mean)
    flags = res.runs_signal.tolist()
    for j, runs in enumerate(res.runs):
        nu = runs.n_useful.tolist()
        lr = runs.longest_run.tolist()
        lm = runs.longest_run_max.tolist()
        nc = runs.n_crossings.tolist()
        cm = runs.n_crossings_min.tolist()
        n_obs = res.n_obs[j]
        for s in range(s_count):
            some = nu[s] > 0
            out[s].append(
                {
                    "part": j + 1,
                    "n_obs": n_obs,
                    "n_useful": nu[s],
                    "longest_run": lr[s] if some else None,
                    "longest_run_max": lm[s] if some else None,
                    "n_crossings": nc[s] if some else None,
                    "n_crossings_min": cm[s] if some else None,
                    "runs_signal": flags[s][j],
                    "sigma_signal_count": sig_count[s][j],
                    "cl_mean": cl_mean[s][j],
                    "lcl_mean": lcl_mean[s][j],
                    "ucl_mean": ucl_mean[s][j],
                }
            )
    return out


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
