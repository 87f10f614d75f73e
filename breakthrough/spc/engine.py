"""Per-part computation and finalisation of a block of series (SPEC §2.6-§2.8, §4, §5).

:func:`compute_block` runs every part of a :class:`~breakthrough.spc.pipeline.Block` through the
chart formulas and the Anhøj runs analysis, then scales (P7), nulls non-finite limits (P8),
evaluates the 3-sigma signal (P9), switches the runs signal off for funnel plots and MR charts
(P10), floors negative lower limits when asked (P11) and summarises each part (§5).

The 3-sigma signal is evaluated before scaling, so ``multiply`` can never change a signal, not even
through rounding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from breakthrough.spc.arrays import NAN, Float2, rowmean
from breakthrough.spc.charts import PartData, compute_part
from breakthrough.spc.pipeline import Block
from breakthrough.spc.runs import RunsStats, runs_stats

ZONE_RULES = frozenset(("provost", "western_electric", "nelson"))
Int2 = npt.NDArray[np.int64]
Bool2 = npt.NDArray[np.bool_]


@dataclass
class BlockResult:
    """Everything computed for a block; rows are series, columns subgroups or parts."""

    block: Block
    y: Float2  # plotted values before scaling (S, N)
    cl: Float2  # centre line per part before scaling (S, J)
    lo: dict[int, Float2]  # k-sigma lower lines before scaling, after truncation (S, N)
    hi: dict[int, Float2]
    runs: list[RunsStats]  # one per part
    runs_signal: Bool2  # (S, J), after P10
    sigma_signal: Bool2  # (S, N)
    part_of: npt.NDArray[np.int64]  # (N,) 1-based part number
    out_y: Float2  # final (scaled) values (S, N)
    out_cl: Float2  # final lines: (S, N), or (S, 1) when constant along the series
    out_lcl: Float2
    out_ucl: Float2
    out_lcl_95: Float2
    out_ucl_95: Float2
    n_obs: list[int]  # per part
    sigma_count: Int2  # (S, J)
    cl_mean: Float2  # (S, J)
    lcl_mean: Float2
    ucl_mean: Float2


def compute_block(block: Block) -> BlockResult:
    """Centre lines, limits, runs analysis and part summaries for every series of a block."""
    spec = block.specs[0]
    s_count, n_sub = block.y.shape
    base = block.baseline & block.include
    categorical = block.axis.kind == "category"
    parts = block.parts
    single = len(parts) == 1
    ks = (1, 2, 3) if spec.rules in ZONE_RULES else (2, 3)
    y = block.y if block.chart != "mr" else np.empty_like(block.y)
    cl = np.empty((s_count, len(parts)))
    lo: dict[int, Float2] = {}
    hi: dict[int, Float2] = {}
    runs: list[RunsStats] = []
    part_of = np.empty(n_sub, dtype=np.int64)
    for j, (a, b) in enumerate(parts):
        part_of[a:b] = j + 1
        whole = single
        part_base = base if whole else base[a:b]
        data = PartData(
            y=block.y if whole else block.y[:, a:b],
            base=None if block.all_base or part_base.all() else part_base,
            n=None if block.n is None else (block.n if whole else block.n[:, a:b]),
            y_sum=block.y_sum if whole else block.y_sum[:, a:b],
            y_len=_part(block.y_len, whole, a, b),
            y_sd=_part(block.y_sd, whole, a, b),
            cl_user=block.cl_user,
            sigma_user=block.sigma_user,
            screened=spec.screened_mr,
            categorical=categorical,
            ks=ks,
        )
        lines = compute_part(block.chart, data)
        cl[:, j] = lines.cl
        if single:
            y = lines.y
            lo, hi = lines.lo, lines.hi
        else:
            if block.chart == "mr":
                y[:, a:b] = lines.y
            for k in ks:
                lo.setdefault(k, np.empty((s_count, n_sub)))[:, a:b] = lines.lo[k]
                hi.setdefault(k, np.empty((s_count, n_sub)))[:, a:b] = lines.hi[k]
        include = block.include if whole else block.include[a:b]
        runs.append(runs_stats(lines.y, lines.cl, include, spec.method))
    runs_signal = runs[0].signal[:, None] if single else np.stack([r.signal for r in runs], axis=1)
    if categorical or block.chart == "mr":
        runs_signal = np.zeros_like(runs_signal)
    if np.isinf(y).any():  # only from values near the float limit; null, like limits (P8)
        y = np.where(np.isinf(y), NAN, y)
    sigma_signal = (y > hi[3]) | (y < lo[3])
    cl_full = cl if single else cl[:, part_of - 1]
    if block.unit_multiply:
        out_y, out_cl = y, cl_full
        out_lcl, out_ucl, out_lcl_95, out_ucl_95 = lo[3], hi[3], lo[2], hi[2]
        cl_mean = cl
    else:
        m = block.multiply[:, None]
        out_y, out_cl = y * m, cl_full * m
        out_lcl, out_ucl, out_lcl_95, out_ucl_95 = lo[3] * m, hi[3] * m, lo[2] * m, hi[2] * m
        cl_mean = cl * m
    if not spec.y_neg:
        ymin = np.where(out_y == out_y, out_y, np.inf).min(axis=1)
        floor = (ymin >= 0)[:, None]
        out_lcl = np.where(floor & (out_lcl < 0), 0.0, out_lcl)
        out_lcl_95 = np.where(floor & (out_lcl_95 < 0), 0.0, out_lcl_95)
    if single:
        n_obs = [n_sub if block.all_included else int(block.include.sum())]
        sigma_count = sigma_signal.sum(axis=1)[:, None]
        # A line kept as one column is its own mean.
        lcl_mean = out_lcl if out_lcl.shape[1] == 1 else rowmean(out_lcl)[:, None]
        ucl_mean = out_ucl if out_ucl.shape[1] == 1 else rowmean(out_ucl)[:, None]
    else:
        n_obs = [int(block.include[a:b].sum()) for a, b in parts]
        sigma_count = np.stack([sigma_signal[:, a:b].sum(axis=1) for a, b in parts], axis=1)
        lcl_mean = np.stack([rowmean(_cols(out_lcl, a, b)) for a, b in parts], axis=1)
        ucl_mean = np.stack([rowmean(_cols(out_ucl, a, b)) for a, b in parts], axis=1)
    return BlockResult(
        block=block,
        y=y,
        cl=cl,
        lo=lo,
        hi=hi,
        runs=runs,
        runs_signal=runs_signal,
        sigma_signal=sigma_signal,
        part_of=part_of,
        out_y=out_y,
        out_cl=out_cl,
        out_lcl=out_lcl,
        out_ucl=out_ucl,
        out_lcl_95=out_lcl_95,
        out_ucl_95=out_ucl_95,
        n_obs=n_obs,
        sigma_count=sigma_count,
        cl_mean=cl_mean,
        lcl_mean=lcl_mean,
        ucl_mean=ucl_mean,
    )


def _part(a: Float2 | None, whole: bool, start: int, end: int) -> Float2 | None:
    return a if a is None or whole else a[:, start:end]


def _cols(a: Float2, start: int, end: int) -> Float2:
    return a if a.shape[1] == 1 else a[:, start:end]


def nan_to_none(a: Float2) -> list[list[float | None]]:
    """Rows of ``a`` as lists, with None for NaN (JSON null)."""
    nan = a != a
    if not nan.any():
        out: list[list[float | None]] = a.tolist()
        return out
    out = a.tolist()
    length = a.shape[1]
    full = nan.all(axis=1)
    for r in np.nonzero(full)[0].tolist():
        out[r] = [None] * length
    rows, cols = np.nonzero(nan & ~full[:, None])
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        out[r][c] = None
    return out


def scalar(v: float) -> float | None:
    """A float, or None for NaN."""
    return None if v != v else v


__all__ = ["NAN", "BlockResult", "compute_block", "nan_to_none", "scalar"]
