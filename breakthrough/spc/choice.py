"""Chart choice: which chart suits a measure's data, and why.

:func:`recommend_chart` follows the usual decision tree of improvement science (Provost & Murray,
*The Health Care Data Guide*, ch. 5; Montgomery ch. 6-7) and checks the data for over-dispersion
(Laney 2002):

===================================  =========================================================
data type                            chart
===================================  =========================================================
``count`` (no area of opportunity)   C chart (events per period, same opportunity each time)
``count`` with n, or ``rate``        U chart; Laney U′ when the data are over-dispersed
``proportion`` (y of n)              P chart; Laney P′ when the data are over-dispersed
``continuous``                       I chart (XmR); X-bar and S when subgroups hold several values
``time_between``                     T chart (time between rare events)
``cases_between``                    G chart (cases or opportunities between rare events)
===================================  =========================================================

With fewer than 12 values a run chart is recommended first: limits from so few points are
unreliable.

>>> rec = recommend_chart("proportion", [48, 52, 61, 40, 71, 45, 57, 49, 66, 43, 58, 60],
...                       [2000, 2010, 1990, 2005, 2000, 1995, 2001, 2003, 1999, 2002, 2000, 1998])
>>> rec.chart
'pp'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from breakthrough.spc.errors import SPCError
from breakthrough.spc.explain import number

DATA_TYPES = ("count", "rate", "proportion", "continuous", "time_between", "cases_between")
MIN_CONTROL = 12
OVERDISPERSED = 1.5


@dataclass(frozen=True)
class Recommendation:
    """A chart type (the contract's chart id), the reason in plain words, and alternatives."""

    chart: str
    reason: str
    alternatives: tuple[str, ...] = ()
    sigma_z: float | None = None


def recommend_chart(
    data_type: str,
    y: Sequence[Any],
    n: Sequence[Any] | None = None,
    x: Sequence[Any] | None = None,
) -> Recommendation:
    """Recommend a chart for a measure from its data type and its data, and say why."""
    if data_type not in DATA_TYPES:
        raise SPCError(f"unknown data type {data_type!r}; expected one of {', '.join(DATA_TYPES)}")
    yv = _floats("y", y)
    nv = None if n is None else _floats("n", n)
    if nv is not None and len(nv) != len(yv):
        raise SPCError(
            f"n and y must have the same length; y has {len(yv)} values and n has {len(nv)}"
        )
    values = int((yv == yv).sum())
    if values == 0:
        raise SPCError("every y value is missing; a chart needs data")
    if data_type == "proportion" and nv is None:
        raise SPCError("a proportion needs its denominators n (the number of cases in each period)")
    if data_type == "rate" and nv is None:
        raise SPCError("a rate needs its area of opportunity n (for example patient-days)")
    if values < MIN_CONTROL:
        return Recommendation(
            "run",
            f"Run chart: with only {values} values, control limits would be unreliable; a run "
            "chart with the median detects shifts and trends now. Move to a control chart from "
            f"about {MIN_CONTROL} to 20 values.",
            _control_for(data_type, nv is not None),
        )
    if data_type == "continuous":
        if x is not None and len(x) == len(yv):
            groups: dict[object, int] = {}
            for v in x:
                groups[v] = groups.get(v, 0) + 1
            if groups and sum(groups.values()) / len(groups) >= 2:
                return Recommendation(
                    "xbar",
                    "X-bar chart (with an S chart for the spread): each period holds several "
                    f"measurements (on average {number(sum(groups.values()) / len(groups))}), so "
                    "subgroup means and standard deviations are charted.",
                    ("s", "i"),
                )
        return Recommendation(
            "i",
            "I chart (XmR): one measurement per period on a continuous scale; the limits come "
            "from the moving ranges between consecutive values.",
            ("run", "mr"),
        )
    if data_type == "time_between":
        return Recommendation(
            "t",
            "T chart: the time between rare events is skewed, so it is transformed (y^(1/3.6)) "
            "before an I chart is made; an increase means fewer events.",
            ("g", "i"),
        )
    if data_type == "cases_between":
        return Recommendation(
            "g",
            "G chart: the number of cases or opportunities between rare events follows a "
            "geometric distribution; an increase means fewer events.",
            ("t",),
        )
    if data_type == "count" and nv is None:
        return Recommendation(
            "c",
            "C chart: counts of events in periods with the same area of opportunity (Poisson "
            "limits √c̄ around the average count).",
            ("u", "i"),
        )
    assert nv is not None
    return _attribute(data_type, yv, nv)


def _attribute(data_type: str, y: np.ndarray, n: np.ndarray) -> Recommendation:
    ok = (y == y) & (n == n) & (n > 0)
    if ok.sum() < 2:
        raise SPCError("at least 2 subgroups with a value and a denominator n > 0 are needed")
    y, n = y[ok], n[ok]
    prop = data_type == "proportion"
    centre = y.sum() / n.sum()
    with np.errstate(all="ignore"):
        sigma = np.sqrt(centre * (1 - centre) / n) if prop else np.sqrt(centre / n)
        z = (y / n - centre) / sigma
    mr = np.abs(np.diff(z))
    mr = mr[mr == mr]
    sigma_z = float("nan")
    if len(mr):
        mean = mr.mean()
        kept = mr[mr < 3.267 * mean]
        sigma_z = float(kept.mean() / 1.128) if len(kept) else 0.0
    outside = int((np.abs(z) > 3).sum())
    name, laney = ("P chart", "pp") if prop else ("U chart", "up")
    plain = "p" if prop else "u"
    med_n = number(float(np.median(n)))
    if sigma_z == sigma_z and sigma_z > OVERDISPERSED:
        return Recommendation(
            laney,
            f"Laney {name[0]}′ chart: the denominators are large (median n = {med_n}) and the "
            f"points vary {number(sigma_z)} times more than the {name} assumes (σz = "
            f"{number(sigma_z)}), so the {name}'s limits would be too narrow: {outside} of "
            f"{len(z)} points fall outside them. The {name[0]}′ chart widens the limits by σz.",
            (plain, "i"),
            sigma_z,
        )
    what = "y of n cases (binomial)" if prop else "events per unit of opportunity (Poisson)"
    return Recommendation(
        plain,
        f"{name}: each value is {what}; the limits vary with each period's n (median n = "
        f"{med_n}). The data show no over-dispersion (σz = {number(sigma_z)}).",
        (laney, "run"),
        sigma_z if sigma_z == sigma_z else None,
    )


def _control_for(data_type: str, has_n: bool) -> tuple[str, ...]:
    return {
        "count": ("u",) if has_n else ("c",),
        "rate": ("u",),
        "proportion": ("p",),
        "continuous": ("i",),
        "time_between": ("t",),
        "cases_between": ("g",),
    }[data_type]


def _floats(name: str, v: Sequence[Any]) -> np.ndarray:
    try:
        return np.array([np.nan if e is None else e for e in v], dtype=float)
    except (TypeError, ValueError):
        raise SPCError(f"{name} must be a list of numbers (null for missing)") from None
