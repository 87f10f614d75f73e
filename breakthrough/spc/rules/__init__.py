"""Rule sets that flag special-cause variation on one series (SPEC §4, §7-§11).

Each rule set turns a :class:`SeriesView` (the plotted values and lines of one series, before
scaling) into a :class:`RuleOutcome`: the rule identifiers that flag each point, in the order of
CLI.md §4, and a list of :class:`Finding` records (rule, points, direction and the numbers behind
it) from which :mod:`breakthrough.spc.explain` writes the plain-language explanations.

>>> import numpy as np
>>> y = np.array([1.0, 2, 3, 4, 5, 6, 7, 3, 2])
>>> view = SeriesView("run", y, np.full(9, 3.0), {}, {}, np.ones(9, bool), [(0, 9)])
>>> evaluate("ihi", view).findings[0].rule
'ihi_trend'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from breakthrough.spc.arrays import Float1

Bool1 = npt.NDArray[np.bool_]
Number = float | int | str | None


@dataclass
class SeriesView:
    """One series: plotted values, per-point centre line and k-sigma lines, before scaling."""

    chart: str
    y: Float1
    cl: Float1
    lo: dict[int, Float1]
    hi: dict[int, Float1]
    include: Bool1
    parts: list[tuple[int, int]]
    categorical: bool = False

    def sequence(self, a: int, b: int) -> npt.NDArray[np.intp]:
        """Indices of the included points with a value in part [a, b), in order."""
        y = self.y[a:b]
        ok = self.include[a:b] & (y == y)
        return np.nonzero(ok)[0] + a


@dataclass
class Finding:
    """One signal before it is put into words: which rule, which points (0-based), why."""

    rule: str
    rule_set: str
    points: tuple[int, ...]
    part: int
    direction: str | None = None  # "up", "down" or None
    values: dict[str, Number] = field(default_factory=dict)
    flagged: tuple[int, ...] | None = None  # points the contract marks, when not all of points
    since: int | None = None  # where the change began, when not the first point


@dataclass
class RuleOutcome:
    """Per-point rule identifiers (None when the rule set reports none) and the findings."""

    point_rules: list[list[str]] | None
    findings: list[Finding]
    part_extra: list[dict[str, Number | bool]] | None = None


RULE_ORDER = {
    "anhoej": ("anhoej_beyond_limits", "anhoej_shift", "anhoej_crossings", "anhoej_box"),
    "ihi": ("ihi_shift", "ihi_trend"),
    "provost": (
        "provost_beyond_limits",
        "provost_shift",
        "provost_trend",
        "provost_two_of_three",
        "provost_fifteen_inner",
    ),
    "western_electric": ("we1", "we2", "we3", "we4"),
    "nelson": tuple(f"nelson{k}" for k in range(1, 9)),
}


def point_rules(n: int, findings: list[Finding], rule_set: str) -> list[list[str]]:
    """Per-point lists of the rules that flag each point, in the contract's order."""
    order = RULE_ORDER[rule_set]
    marks: dict[str, set[int]] = {r: set() for r in order}
    for f in findings:
        if f.rule in marks:
            marks[f.rule].update(f.points if f.flagged is None else f.flagged)
    return [[r for r in order if i in marks[r]] for i in range(n)]


def evaluate(rule_set: str, view: SeriesView) -> RuleOutcome:
    """Apply a rule set to one series."""
    if rule_set == "ihi":
        from breakthrough.spc.rules.ihi import evaluate_ihi

        return evaluate_ihi(view)
    from breakthrough.spc.rules.control import evaluate_control

    return evaluate_control(rule_set, view)


def blocks(positions: list[int], gap: int = 1) -> list[list[int]]:
    """Split sorted positions into groups whose neighbours are at most ``gap`` apart."""
    out: list[list[int]] = []
    for p in positions:
        if out and p - out[-1][-1] <= gap:
            out[-1].append(p)
        else:
            out.append([p])
    return out


def side(y: float, cl: float) -> str:
    """ "up" when y is above the centre line, "down" otherwise."""
    return "up" if y > cl else "down"
