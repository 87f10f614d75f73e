"""Chart data for the API: points with centre line, limits and signals from the SPC engine.

All of a team's measures go through the engine's batch path together.
"""

from __future__ import annotations

from typing import Any

from breakthrough.measures.models import Measure, MeasureValue
from breakthrough.measures.small_cells import is_small
from breakthrough.spc import ChartResult, SPCError, analyze_series_many, recommend_chart

CHOICE_TYPE = {
    "proportion": "proportion",
    "rate": "rate",
    "count": "count",
    "continuous": "continuous",
    "rare_event": "time_between",
}
CONTROL_ONLY_RULES = {"provost", "western_electric", "nelson"}


def _series(measure: Measure, values: list[MeasureValue]) -> tuple[list, list | None]:
    if measure.data_type in ("proportion", "rate"):
        return [v.numerator for v in values], [v.denominator or None for v in values]
    if measure.data_type == "count":
        return [v.value if v.value is not None else v.numerator for v in values], None
    return [v.value for v in values], None


def chart_spec(measure: Measure, values: list[MeasureValue], rule_set: str) -> dict[str, Any]:
    """The engine's arguments for one team's measure: chart type by the measure's data."""
    y, n = _series(measure, values)
    try:
        chart = recommend_chart(CHOICE_TYPE[measure.data_type], y, n).chart
    except (SPCError, KeyError):
        chart = "run"
    rules = rule_set
    if rules == "ihi":
        chart = "run"
    if rules == "mdc" or (rules in CONTROL_ONLY_RULES and chart == "run"):
        rules = "anhoej"
    return {
        "chart": chart,
        "y": y,
        "n": n,
        "x": [v.period.start.isoformat() for v in values],
        "labels": [v.period.label for v in values],
        "multiply": measure.multiplier,
        "rules": rules,
        "unit": "months",
        "improvement_direction": measure.direction if measure.direction in ("up", "down") else None,
    }


def team_charts(
    team, measures: list[Measure], *, rule_set: str, hide_small: bool, threshold: int
) -> list[dict[str, Any]]:
    """One chart per numeric measure of `team` (measures without values are left out)."""
    numeric = [m for m in measures if m.is_numeric]
    values = (
        MeasureValue.objects.filter(team=team, measure__in=numeric, stratum="")
        .select_related("period")
        .order_by("measure_id", "period__start")
    )
    by_measure: dict[int, list[MeasureValue]] = {}
    for v in values:
        by_measure.setdefault(v.measure_id, []).append(v)
    todo = [(m, by_measure[m.pk]) for m in numeric if by_measure.get(m.pk)]
    specs = [chart_spec(m, vs, rule_set) for m, vs in todo]
    results = analyze_series_many(specs)
    out = []
    for (measure, vs), spec, result in zip(todo, specs, results, strict=True):
        if isinstance(result, SPCError):  # e.g. every value missing: fall back to a run chart
            spec = {**spec, "chart": "run", "rules": "anhoej", "n": None, "y": spec["y"]}
            result = analyze_series_many([spec])[0]
            if isinstance(result, SPCError):
                continue
        out.append(_chart_dict(team, measure, vs, result, hide_small, threshold))
    return out


def _chart_dict(
    team, measure: Measure, values: list[MeasureValue], r: ChartResult, hide: bool, threshold: int
) -> dict[str, Any]:
    periods = [v.period.start for v in values]
    points = []
    for i, v in enumerate(values):
        small = hide and (
            is_small(v.numerator, threshold)
            or is_small(v.denominator, threshold)
            or (measure.data_type == "count" and is_small(v.value, threshold))
        )
        points.append(
            {
                "period": periods[i],
                "label": v.period.label,
                "y": None if small else r.y[i],
                "n": None if small else r.n[i],
                "cl": r.cl[i],
                "lcl": r.lcl[i],
                "ucl": r.ucl[i],
                "part": r.part[i],
                "suppressed": small,
                "signals": list(r.point_signals[i]),
            }
        )
    return {
        "team": team.slug,
        "measure": measure.code,
        "chart": r.chart,
        "rules": r.rules,
        "unit": measure.unit,
        "multiplier": measure.multiplier,
        "status": r.status,
        "summary": r.summary_text,
        "points": points,
        "signals": [
            {
                "rule": s.rule,
                "rule_set": s.rule_set,
                "direction": s.direction,
                "periods": [periods[p] for p in s.points if p < len(periods)],
                "explanation": s.explanation,
            }
            for s in r.signals
        ],
    }
