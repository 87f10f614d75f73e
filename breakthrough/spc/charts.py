"""Centre lines and limits of every chart type, for one part of many series at once (SPEC §3).

:func:`compute_part` takes the subgroup statistics of one part as 2-D arrays (one series per row,
NaN for null) and the part's base mask (baseline and not excluded, SPEC §2.5), and returns the
plotted values, the centre line and the 1-, 2- and 3-sigma lines of every point, truncated as in
SPEC §3.16. Non-finite lines come back as NaN (SPEC P8).

Constants and formulas follow Montgomery, *Introduction to Statistical Quality Control* (c4, A3,
B3, B4; d2 = 1.128, D4 = 3.267), Laney (2002) for P′ and U′, Benneyan for the G chart, and
qicharts2 0.8.1 for the I′ chart.

>>> import numpy as np
>>> y = np.array([[10.0, 12.0, 11.0, 13.0]])
>>> part = compute_part("i", PartData(y=y, base=None))
>>> round(float(part.cl[0]), 3), round(float(part.hi[3][0, 0]), 3)
(11.5, 15.933)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from breakthrough.spc.arrays import (
    NAN,
    Float1,
    Float2,
    abs_diff,
    rowmean,
    rowmedian,
    rowsd,
    rowsum,
    rowsum_ok,
    screened_mean,
)

D2 = 1.128
D4 = 3.267
IP_SCREEN = 3.2665
T_POWER = 3.6
G_MEDIAN = 0.693
KS = (1, 2, 3)
# Charts whose lines cannot be infinite for finite input (P8 has nothing to do).
# Charts whose lines are finite or NaN by construction (P8 was applied to sigma).
_ALWAYS_FINITE = frozenset(("run", "i", "c", "p", "pp", "u", "up", "ip", "xbar"))


@dataclass
class PartData:
    """The subgroup statistics of one part of S series (arrays of shape (S, L))."""

    y: Float2
    base: np.ndarray | None  # None: every point is a base point
    n: Float2 | None = None
    y_sum: Float2 | None = None
    y_len: Float2 | None = None
    y_sd: Float2 | None = None
    cl_user: Float1 | None = None
    sigma_user: Float1 | None = None
    screened: bool = True
    categorical: bool = False
    ks: tuple[int, ...] = (1, 2, 3)


@dataclass
class PartLines:
    """Plotted values, centre line (S,) and k-sigma lines lo[k], hi[k] of one part.

    Lines are (S, L), or (S, 1) for charts whose lines are constant along a part (run, i, mr,
    t, c, g); numpy broadcasting takes care of the difference.
    """

    y: Float2
    cl: Float1
    lo: dict[int, Float2] = field(default_factory=dict)
    hi: dict[int, Float2] = field(default_factory=dict)


def compute_part(chart: str, d: PartData) -> PartLines:
    """Centre line and k-sigma lines (k = 1, 2, 3) of one part for every row."""
    out = _CHARTS[chart](d)
    # An infinite centre line (for example a pooled s-bar over subgroup sizes that sum to
    # nothing) is no centre line.
    out.cl = np.where(np.isfinite(out.cl), out.cl, NAN)
    if chart not in _ALWAYS_FINITE:
        for k in d.ks:
            lo, hi = out.lo[k], out.hi[k]
            out.lo[k] = np.where(np.isfinite(lo), lo, NAN)
            out.hi[k] = np.where(np.isfinite(hi), hi, NAN)
    return out


def _base(a: Float2, base: np.ndarray | None) -> Float2:
    return a if base is None else a[:, base]


def _user(cl: Float1, user: Float1 | None) -> Float1:
    if user is None:
        return cl
    return np.where(user == user, user, cl)


def _const(cl: Float1, shape: tuple[int, int]) -> Float2:
    """A line that is constant along the part: kept as one column (S, 1), broadcast later."""
    return cl[:, None]


def _symmetric(
    cl: Float1, sigma: Float2, ks: tuple[int, ...], per_point: bool = False
) -> tuple[dict[int, Float2], dict[int, Float2]]:
    if per_point:
        # P8 on sigma: an infinite sigma (n = 0) makes every line null; finite lines stay finite.
        sigma = np.where(np.isfinite(sigma), sigma, NAN)
    c = cl[:, None]
    lo, hi = {}, {}
    for k in ks:
        ks_sigma = k * sigma
        lo[k] = c - ks_sigma
        hi[k] = c + ks_sigma
    return lo, hi


def _run(d: PartData) -> PartLines:
    cl = _user(rowmedian(_base(d.y, d.base)), d.cl_user)
    empty = np.full((d.y.shape[0], 1), NAN)
    return PartLines(d.y, cl, {k: empty for k in d.ks}, {k: empty for k in d.ks})


def _i_sigma(y: Float2, base: np.ndarray | None, screened: bool) -> Float1:
    mr = abs_diff(_base(y, base))
    out: Float1 = screened_mean(mr, screened, D4) / D2
    return out


def _i(d: PartData) -> PartLines:
    cl = _user(rowmean(_base(d.y, d.base)), d.cl_user)
    sigma = _i_sigma(d.y, d.base, d.screened)
    if d.sigma_user is not None:
        sigma = np.where(d.sigma_user == d.sigma_user, d.sigma_user, sigma)
    lo, hi = _symmetric(cl, _const(sigma, d.y.shape), d.ks)
    return PartLines(d.y, cl, lo, hi)


def _mr(d: PartData) -> PartLines:
    s, length = d.y.shape
    mr = np.full((s, length), NAN)
    if length > 1:
        mr[:, 1:] = abs_diff(d.y)
    cl = _user(rowmean(_base(mr, d.base)), d.cl_user)
    c = _const(cl, mr.shape)
    zero = np.where(c == c, 0.0, NAN)
    hi = {3: D4 * c, 2: (D4 / 3) * 2 * c, 1: (D4 / 3) * c}
    return PartLines(mr, cl, {k: zero for k in d.ks}, hi)


def _t(d: PartData) -> PartLines:
    yt = d.y ** (1 / T_POWER)
    clt = rowmean(_base(yt, d.base))
    cl = clt**T_POWER
    if d.cl_user is not None:
        user = d.cl_user == d.cl_user
        clt = np.where(user, d.cl_user ** (1 / T_POWER), clt)
        cl = np.where(user, d.cl_user, cl)
    sigma = _const(_i_sigma(yt, d.base, d.screened), d.y.shape)
    c = clt[:, None]
    hi = {k: (c + k * sigma) ** T_POWER for k in d.ks}
    lo = {}
    for k in d.ks:
        b = c - k * sigma
        lo[k] = np.where(b >= 0, np.abs(b) ** T_POWER, 0.0 if k == 3 else NAN)
        lo[k] = np.where(b == b, lo[k], NAN)
    return PartLines(d.y, cl, lo, hi)


def _pooled_cl(d: PartData) -> Float1:
    assert d.y_sum is not None and d.n is not None
    out: Float1 = rowsum_ok(_base(d.y_sum, d.base))[0] / rowsum_ok(_base(d.n, d.base))[0]
    return out


def _p_sigma(d: PartData, cl: Float1) -> Float2:
    assert d.n is not None
    c = cl[:, None]
    out: Float2 = np.sqrt(c * (1 - c) / d.n)
    return out


def _u_sigma(d: PartData, cl: Float1) -> Float2:
    assert d.n is not None
    out: Float2 = np.sqrt(cl[:, None] / d.n)
    return out


def _laney(d: PartData, cl: Float1, sigma: Float2) -> Float2:
    z = _base((d.y - cl[:, None]) / sigma, d.base)
    sz = rowsd(z) if d.categorical else screened_mean(abs_diff(z), d.screened, D4) / D2
    out: Float2 = sigma * sz[:, None]
    return out


def _floor0(lo: dict[int, Float2]) -> dict[int, Float2]:
    # Lines from _symmetric are finite or NaN; maximum keeps NaN (only finite values truncate).
    return {k: np.maximum(v, 0.0) for k, v in lo.items()}


def _cap1(hi: dict[int, Float2]) -> dict[int, Float2]:
    return {k: np.minimum(v, 1.0) for k, v in hi.items()}


def _p(d: PartData) -> PartLines:
    cl = _user(_pooled_cl(d), d.cl_user)
    lo, hi = _symmetric(cl, _p_sigma(d, cl), d.ks, True)
    return PartLines(d.y, cl, _floor0(lo), _cap1(hi))


def _pp(d: PartData) -> PartLines:
    cl = _user(_pooled_cl(d), d.cl_user)
    lo, hi = _symmetric(cl, _laney(d, cl, _p_sigma(d, cl)), d.ks, True)
    return PartLines(d.y, cl, _floor0(lo), _cap1(hi))


def _c(d: PartData) -> PartLines:
    cl = _user(rowmean(_base(d.y, d.base)), d.cl_user)
    lo, hi = _symmetric(cl, _const(np.sqrt(cl), d.y.shape), d.ks)
    return PartLines(d.y, cl, _floor0(lo), hi)


def _u(d: PartData) -> PartLines:
    cl = _user(_pooled_cl(d), d.cl_user)
    lo, hi = _symmetric(cl, _u_sigma(d, cl), d.ks, True)
    return PartLines(d.y, cl, _floor0(lo), hi)


def _up(d: PartData) -> PartLines:
    cl = _user(_pooled_cl(d), d.cl_user)
    lo, hi = _symmetric(cl, _laney(d, cl, _u_sigma(d, cl)), d.ks, True)
    return PartLines(d.y, cl, _floor0(lo), hi)


def _g(d: PartData) -> PartLines:
    yb = _base(d.y, d.base)
    m = rowmean(yb)
    cl = rowmedian(yb)
    if d.cl_user is not None:
        user = d.cl_user == d.cl_user
        cl = np.where(user, d.cl_user, cl)
        m = np.where(user, d.cl_user / G_MEDIAN, m)
    mm = _const(m, d.y.shape)
    sigma = np.sqrt(mm * (mm + 1))
    hi = {k: mm + k * sigma for k in d.ks}
    lo = {k: np.maximum(0.0, mm - k * sigma) for k in d.ks}
    return PartLines(d.y, cl, lo, hi)


def _ip(d: PartData) -> PartLines:
    n = d.n if d.n is not None else d.y_len
    assert n is not None
    ok = (d.y == d.y) & (n == n)
    yb = _base(np.where(ok, d.y * n, 0.0), d.base)
    nb = _base(np.where(ok, n, 0.0), d.base)
    cl = _user(rowsum(yb) / rowsum(nb), d.cl_user)
    s = math.sqrt(math.pi / 2) * abs_diff(d.y) / np.sqrt(1 / n[:, :-1] + 1 / n[:, 1:])
    sbar = screened_mean(s, d.screened, IP_SCREEN)
    lo, hi = _symmetric(cl, sbar[:, None] * np.sqrt(1 / n), d.ks, True)
    return PartLines(d.y, cl, lo, hi)


_C4: list[float] = [NAN, NAN]


def c4_table(nmax: int) -> Float1:
    """c4(n) for n = 0..nmax (NaN for n <= 1), exact through log-gamma."""
    while len(_C4) <= nmax:
        k = len(_C4)
        _C4.append(math.sqrt(2 / (k - 1)) * math.exp(math.lgamma(k / 2) - math.lgamma((k - 1) / 2)))
    return np.array(_C4[: nmax + 1])


def _sizes(d: PartData) -> tuple[Float2, Float2]:
    assert d.y_len is not None
    n = d.y_len
    nmax = int(np.max(n)) if n.size else 0
    c4 = c4_table(max(nmax, 1))[n.astype(np.intp)]
    return n, c4


def _sbar(d: PartData) -> Float1:
    assert d.y_len is not None and d.y_sd is not None
    n = d.y_len
    vary = n.max(axis=1) != n.min(axis=1)
    nb = _base(n, d.base)
    sd = _base(d.y_sd, d.base)
    pooled = np.sqrt(rowsum(np.where(sd == sd, (nb - 1) * sd * sd, 0.0)) / rowsum(nb - 1))
    out: Float1 = np.where(vary, pooled, rowmean(sd))
    return out


def _xbar(d: PartData) -> PartLines:
    n, c4 = _sizes(d)
    sbar = _sbar(d)
    nb = _base(n, d.base)
    yb = _base(d.y, d.base)
    cl = _user(rowsum(np.where(yb == yb, nb * yb, 0.0)) / rowsum(nb), d.cl_user)
    a3 = np.where(n > 1, 1 / (c4 * np.sqrt(n)), NAN) * sbar[:, None]
    lo, hi = _symmetric(cl, a3, d.ks, True)
    return PartLines(d.y, cl, lo, hi)


def _s(d: PartData) -> PartLines:
    n, c4 = _sizes(d)
    cl = _user(_sbar(d), d.cl_user)
    c5 = np.sqrt(1 - c4 * c4)
    ratio = np.where(n > 1, c5 / c4, NAN)
    c = cl[:, None]
    lo = {k: np.maximum(0.0, 1 - k * ratio) * c for k in d.ks}
    lo = {k: np.where(ratio == ratio, v, NAN) for k, v in lo.items()}
    hi = {k: (1 + k * ratio) * c for k in d.ks}
    return PartLines(d.y, cl, lo, hi)


_CHARTS = {
    "run": _run,
    "i": _i,
    "mr": _mr,
    "xbar": _xbar,
    "s": _s,
    "t": _t,
    "p": _p,
    "pp": _pp,
    "c": _c,
    "u": _u,
    "up": _up,
    "g": _g,
    "ip": _ip,
}
