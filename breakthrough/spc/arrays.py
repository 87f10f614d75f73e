"""Row-wise helpers on 2-D float arrays (one series or part per row, NaN for null).

Every reduction here sums sequentially along a row (through ``cumsum``), so the result for a row
does not depend on how many rows are stacked with it: the batch path and the one-by-one path give
bit-identical numbers.

>>> import numpy as np
>>> with np.errstate(invalid="ignore"):  # callers run a whole block under one errstate
...     rowmean(np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan]])).tolist()
[2.0, nan]
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Float2 = npt.NDArray[np.float64]
Float1 = npt.NDArray[np.float64]
Bool2 = npt.NDArray[np.bool_]
NAN = float("nan")


def rowsum(a: Float2) -> Float1:
    """Sum of each row, left to right (NaN propagates)."""
    if a.shape[1] == 0:
        return np.zeros(a.shape[0])
    out: Float1 = np.cumsum(a, axis=1)[:, -1]
    return out


def rowsum_ok(a: Float2) -> tuple[Float1, npt.NDArray[np.int64]]:
    """Sum and count of the non-NaN values of each row."""
    if a.shape[0] == 1 and 0 < a.shape[1] <= 512:
        # One row: the same additions, left to right, as cumsum below (bit-identical).
        vals = a[0].tolist()
        count = 0
        total = None
        for v in vals:
            if v == v:
                count += 1
            else:
                v = 0.0
            total = v if total is None else total + v
        return np.array([total]), np.array([count])
    ok = a == a
    return rowsum(np.where(ok, a, 0.0)), ok.sum(axis=1)


def rowmean(a: Float2) -> Float1:
    """Mean of the non-NaN values of each row; NaN for a row without values.

    A row without values gives 0 / 0, which is NaN; callers suppress the warning.
    """
    tot, cnt = rowsum_ok(a)
    out: Float1 = tot / cnt
    return out


def rowmedian(a: Float2) -> Float1:
    """Median of the non-NaN values of each row; NaN for a row without values."""
    if a.shape[1] == 0:
        return np.full(a.shape[0], NAN)
    if a.shape[0] == 1:  # one series: the same picks, without the array machinery
        vals = sorted(v for v in a[0].tolist() if v == v)
        m = len(vals)
        return np.array([(vals[(m - 1) // 2] + vals[m // 2]) / 2.0 if m else NAN])
    srt = np.sort(a, axis=1)  # NaN sorts last
    cnt = (a == a).sum(axis=1)
    lo = np.maximum((cnt - 1) // 2, 0)
    hi = np.maximum(cnt // 2, 0)
    rows = np.arange(a.shape[0])
    out: Float1 = np.where(cnt > 0, (srt[rows, lo] + srt[rows, hi]) / 2.0, NAN)
    return out


def rowsd(a: Float2) -> Float1:
    """Sample standard deviation of each row; NaN if any value is NaN or fewer than 2 values."""
    m = a.shape[1]
    if m < 2:
        return np.full(a.shape[0], NAN)
    mean = rowsum(a) / m
    dev = a - mean[:, None]
    out: Float1 = np.sqrt(rowsum(dev * dev) / (m - 1))
    return out


def abs_diff(a: Float2) -> Float2:
    """|a[:, j] - a[:, j-1]| for j >= 1 (one column fewer); NaN next to a NaN."""
    out: Float2 = np.abs(a[:, 1:] - a[:, :-1])
    return out


def screened_mean(mr: Float2, screened: bool, factor: float) -> Float1:
    """Mean moving range, optionally screened once: keep MR < factor x mean (Nelson 1982)."""
    mean = rowmean(mr)
    if not screened:
        return mean
    keep = mr < factor * mean[:, None]
    return rowmean(np.where(keep, mr, NAN))
