"""Plain-language explanations of signals and charts, for the people on an improvement team.

:func:`explain` turns a :class:`~breakthrough.spc.rules.Finding` into one sentence that says what
happened, where (with the x labels, e.g. "Mar 2009 to Nov 2009") and why it is unlikely to be
chance, naming the rule set. :func:`chart_summary` gives the chart's status and a short summary.

>>> from breakthrough.spc.rules import Finding
>>> f = Finding("anhoej_shift", "anhoej", tuple(range(2, 11)), 1, "down",
...             {"run_length": 9, "longest_run_max": 8, "n_useful": 24})
>>> labels = [f"{m} 2009" for m in "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()]
>>> text = explain(f, Context(labels=labels, unit="months", centre="median"))
>>> text[:66]
'Shift: 9 months in a row below the median (Mar 2009 to Nov 2009). '
>>> text[66:]
'With 24 useful points, a run longer than 8 is unlikely to happen by chance (Anhøj rules).'

"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from breakthrough.spc.rules import Finding

RULE_SET_NAMES = {
    "anhoej": "Anhøj rules",
    "ihi": "IHI run-chart rules",
    "provost": "Provost & Murray rules",
    "western_electric": "Western Electric rules",
    "nelson": "Nelson rules",
    "mdc": "Making Data Count rules",
}
MIN_POINTS = 10
WHOLE_PART = frozenset(("anhoej_crossings", "anhoej_box", "ihi_too_few_runs", "ihi_too_many_runs"))


@dataclass(frozen=True)
class Context:
    """What the sentences need to know about the chart: labels, unit word and centre name."""

    labels: Sequence[str]
    unit: str = "points"
    centre: str = "centre line"
    values: Sequence[float | None] = ()
    upper: Sequence[float | None] = ()
    lower: Sequence[float | None] = ()


def number(v: float | int | str | None) -> str:
    """A number as people read it: 4 significant digits, no exponent, thousands separated."""
    if v is None or isinstance(v, str):
        return "n/a" if v is None else v
    if isinstance(v, int):
        return f"{v:,}"
    if v != v:
        return "n/a"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    text = f"{v:.4g}"
    return text if "e" not in text else f"{v:.6f}".rstrip("0").rstrip(".")


def span(points: Sequence[int], labels: Sequence[str]) -> str:
    """ "Mar 2009 to Nov 2009" for a range of points, or one label."""
    first, last = labels[points[0]], labels[points[-1]]
    return first if points[0] == points[-1] else f"{first} to {last}"


def _side(direction: str | None) -> str:
    return "above" if direction == "up" else "below"


def _count(k: object, unit: str) -> str:
    word = unit[:-1] if k == 1 and unit.endswith("s") else unit
    return f"{k} {word}"


def explain(f: Finding, ctx: Context) -> str:
    """One plain-language sentence for a finding."""
    v = f.values
    where = span(f.points, ctx.labels)
    rs = RULE_SET_NAMES.get(f.rule_set, f.rule_set)
    centre = ctx.centre
    run = _count(len(f.points), ctx.unit)
    rule = f.rule
    if rule.endswith("beyond_limits") or rule in ("we1", "nelson1"):
        i = f.points[0]
        up = f.direction == "up"
        value = ctx.values[i] if ctx.values else v.get("value")
        limit = (ctx.upper if up else ctx.lower)[i] if ctx.upper else v.get("limit")
        which = "upper" if up else "lower"
        return (
            f"Point {'above' if up else 'below'} the {which} limit: {ctx.labels[i]} "
            f"({number(value)} against a limit of {number(limit)}). A point outside the 3-sigma "
            f"limits is unlikely to happen by chance ({rs})."
        )
    if rule == "anhoej_shift":
        return (
            f"Shift: {run} in a row {_side(f.direction)} the {centre} ({where}). With "
            f"{v['n_useful']} useful points, a run longer than {v['longest_run_max']} is unlikely "
            f"to happen by chance ({rs})."
        )
    if rule == "anhoej_crossings":
        c = v["n_crossings"]
        times = "never" if c == 0 else "only once" if c == 1 else f"only {c} times"
        return (
            f"Too few crossings: the data cross the {centre} {times} in {v['n_useful']} useful "
            f"points ({where}). Fewer than {v['n_crossings_min']} crossings is unlikely to happen "
            f"by chance ({rs})."
        )
    if rule == "anhoej_box":
        return (
            f"Non-random variation: {v['n_useful']} useful points cross the {centre} "
            f"{v['n_crossings']} times with a longest run of {v['longest_run']} ({where}), outside "
            f"the {v['method']} bounds of Anhøj & Wentzel-Larsen (2020)."
        )
    if rule in ("ihi_shift", "provost_shift"):
        return (
            f"Shift: {run} in a row {_side(f.direction)} the {centre} ({where}); "
            f"{v['threshold']} or more in a row is a signal ({rs}; points on the {centre} are "
            "skipped)."
        )
    if rule in ("ihi_trend", "provost_trend"):
        going = "up" if f.direction == "up" else "down"
        repeat = "" if v["levels"] == len(f.points) else "; repeated values count once"
        return (
            f"Trend: {_count(v['levels'], ctx.unit)} in a row going {going} ({where}); "
            f"{v['threshold']} or more is a signal ({rs}{repeat})."
        )
    if rule in ("ihi_too_few_runs", "ihi_too_many_runs"):
        few = rule == "ihi_too_few_runs"
        bound = f"fewer than {v['lower']}" if few else f"more than {v['upper']}"
        return (
            f"Too {'few' if few else 'many'} runs: {v['n_runs']} runs in {v['n_useful']} points "
            f"not on the median ({where}); {bound} runs is unlikely to happen by chance ({rs}, "
            "provisional table)."
        )
    if rule == "provost_two_of_three":
        return (
            f"2 of 3 {ctx.unit} in a row beyond the 2-sigma line {_side(f.direction)} the {centre} "
            f"({where}) ({rs})."
        )
    if rule == "provost_fifteen_inner":
        return (
            f"{run} in a row within 1 sigma of the {centre} ({where}); 15 or more suggests the "
            f"limits are too wide, for example because the data mix different processes ({rs})."
        )
    if rule in ("we2", "we3", "nelson5", "nelson6"):
        return (
            f"{v['count']} of {v['window']} {ctx.unit} in a row beyond {v['sigma']} sigma "
            f"{_side(f.direction)} the {centre} ({where}) ({rs}, rule {rule[-1]})."
        )
    if rule in ("we4", "nelson2"):
        return (
            f"{run} in a row {_side(f.direction)} the {centre} ({where}); "
            f"{v['run_length']} or more in a row is a signal ({rs}, rule {rule[-1]})."
        )
    if rule == "nelson3":
        going = "up" if f.direction == "up" else "down"
        return (
            f"{run} in a row going {going} ({where}); {v['run_length']} or more is a signal "
            f"({rs}, rule 3)."
        )
    if rule == "nelson4":
        return (
            f"{run} in a row alternating up and down ({where}); 14 or more suggests two "
            f"alternating sources, for example two shifts or two machines ({rs}, rule 4)."
        )
    if rule == "nelson7":
        return (
            f"{run} in a row within 1 sigma of the {centre} ({where}); 15 or more suggests the "
            f"limits are too wide ({rs}, rule 7)."
        )
    if rule == "nelson8":
        return (
            f"{run} in a row more than 1 sigma from the {centre}, on both sides ({where}); 8 or "
            f"more suggests a mixture of processes ({rs}, rule 8)."
        )
    if rule.startswith("mdc_"):
        return _mdc(f, ctx, where, run)
    return f"{rule} ({where}) ({rs})."


def _mdc(f: Finding, ctx: Context, where: str, run: str) -> str:
    side = _side(f.direction)
    rs = RULE_SET_NAMES["mdc"]
    if f.rule == "mdc_outside_limits":
        return (
            f"{run.capitalize()} {side} the process limits ({where}): special-cause variation "
            f"({rs})."
        )
    if f.rule == "mdc_trend":
        going = "up" if f.direction == "up" else "down"
        return f"Trend: {run} in a row going {going} ({where}); 7 or more is a signal ({rs})."
    if f.rule == "mdc_two_in_three":
        return (
            f"2 of 3 {ctx.unit} close to the process limit {side} the mean ({where}), nearer the "
            f"limit than two thirds of the way ({rs})."
        )
    return f"Shift: {run} in a row {side} the mean ({where}); 7 or more is a signal ({rs})."


@dataclass(frozen=True)
class Status:
    """Machine-friendly status and a short sentence for a whole chart."""

    status: str
    text: str


def chart_summary(
    findings: Sequence[Finding],
    explanations: Sequence[str],
    last_part: int,
    useful_last: int,
    labels: Sequence[str],
    improvement_direction: str | None,
    rule_set: str,
) -> Status:
    """Status (improvement, deterioration, special_cause, common_cause, not_enough_data) and text.

    The status looks at the last part (the current process). The latest signal with a direction
    decides between improvement and deterioration when ``improvement_direction`` ("up" or "down")
    is given.
    """
    rs = RULE_SET_NAMES.get(rule_set, rule_set)
    current = [(f, e) for f, e in zip(findings, explanations, strict=True) if f.part == last_part]
    if not current:
        earlier = len(findings)
        note = (
            f" Earlier parts had {earlier} signal{'s' if earlier != 1 else ''}." if earlier else ""
        )
        if useful_last < MIN_POINTS:
            return Status(
                "not_enough_data",
                f"Not enough data yet: {useful_last} useful point{'s' if useful_last != 1 else ''}"
                f" and no signal; at least {MIN_POINTS} points are needed to judge the process "
                f"({rs}).{note}",
            )
        return Status(
            "common_cause",
            f"Common-cause variation only: no signal in {useful_last} useful points ({rs}).{note}",
        )
    # Signals about a place in time (a shift, a trend, a point) say more about where the process
    # is now than signals about a whole part (too few crossings, runs), which come last.
    local = [(f, e) for f, e in current if f.direction is not None and f.rule not in WHOLE_PART]
    directional = local or [(f, e) for f, e in current if f.direction is not None]
    pick = max(directional or current, key=lambda fe: (fe[0].points[-1], fe[0].points[0]))
    f, e = pick
    since = labels[f.points[0] if f.since is None else f.since]
    count = len(current)
    more = f" ({count} signals in all)" if count > 1 else ""
    if improvement_direction in ("up", "down") and f.direction is not None:
        good = f.direction == improvement_direction
        word = "Improvement" if good else "Deterioration"
        return Status(
            "improvement" if good else "deterioration", f"{word} signal since {since}{more}: {e}"
        )
    if f.direction is None:
        return Status("special_cause", f"Special-cause variation{more}: {e}")
    return Status("special_cause", f"Special-cause variation since {since}{more}: {e}")
