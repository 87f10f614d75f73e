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
from breakthrough.spc.charts import KS, PartData, compute_part
from breakthrough.spc.pipeline import Block
from breakthrough.spc.runs import RunsStats, runs_stats

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
    out_cl: Float2
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
    single = len(block.parts) == 1
    y = block.y if block.chart != "mr" else np.empty_like(block.y)
    cl = np.empty((s_count, len(block.parts)))
    lo: dict[int, Float2] = {}
    hi: dict[int, Float2] = {}
    runs: list[RunsStats] = []
    part_of = np.empty(n_sub, dtype=np.int64)
    for j, (a, b) in enumerate(block.parts):
        part_of[a:b] = j + 1
        data = PartData(
            y=block.y[:, a:b],
            base=base[a:b],
            n=None if block.n is None else block.n[:, a:b],
            y_sum=block.y_sum[:, a:b],
            y_len=block.y_len[:, a:b],
            y_sd=block.y_sd[:, a:b],
            cl_user=block.cl_user,
            sigma_user=block.sigma_user,
            screened=spec.screened_mr,
            categorical=categorical,
        )
        lines = compute_part(block.chart, data)
        cl[:, j] = lines.cl
        if single:
            y = lines.y
            lo, hi = lines.lo, lines.hi
        else:
            if block.chart == "mr":
                y[:, a:b] = lines.y
            for k in KS:
                lo.setdefault(k, np.empty((s_count, n_sub)))[:, a:b] = lines.lo[k]
                hi.setdefault(k, np.empty((s_count, n_sub)))[:, a:b] = lines.hi[k]
        runs.append(runs_stats(lines.y, lines.cl, block.include[a:b], spec.method))
    runs_signal = np.stack([r.signal for r in runs], axis=1)
    if categorical or block.chart == "mr":
        runs_signal = np.zeros_like(runs_signal)
    with np.errstate(invalid="ignore"):
        sigma_signal = (y > hi[3]) | (y < lo[3])
    cl_full = cl if single else cl[:, part_of - 1]
    if single:
        cl_full = np.broadcast_to(cl, (s_count, n_sub))
    mult = block.multiply
    if bool(np.all(mult == 1.0)):
        out_y, out_cl = y, cl_full
        out = {k: (lo[k], hi[k]) for k in (2, 3)}
    else:
        m = mult[:, None]
        out_y, out_cl = y * m, cl_full * m
        out = {k: (lo[k] * m, hi[k] * m) for k in (2, 3)}
    out_lcl, out_ucl = out[3]
    out_lcl_95, out_ucl_95 = out[2]
    if not spec.y_neg:
        with np.errstate(invalid="ignore"):
            ymin = np.where(out_y == out_y, out_y, np.inf).min(axis=1)
            floor = (ymin >= 0)[:, None]
            out_lcl = np.where(floor & (out_lcl < 0), 0.0, out_lcl)
            out_lcl_95 = np.where(floor & (out_lcl_95 < 0), 0.0, out_lcl_95)
    n_obs = [int(block.include[a:b].sum()) for a, b in block.parts]
    sigma_count = np.stack([sigma_signal[:, a:b].sum(axis=1) for a, b in block.parts], axis=1)
    if single:
        cl_mean = cl * (mult[:, None] if not bool(np.all(mult == 1.0)) else 1.0)
        lcl_mean = rowmean(out_lcl)[:, None]
        ucl_mean = rowmean(out_ucl)[:, None]
    else:
        cl_mean = np.stack([rowmean(out_cl[:, a:b]) for a, b in block.parts], axis=1)
        lcl_mean = np.stack([rowmean(out_lcl[:, a:b]) for a, b in block.parts], axis=1)
        ucl_mean = np.stack([rowmean(out_ucl[:, a:b]) for a, b in block.parts], axis=1)
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
