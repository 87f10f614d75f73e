"""Chart data for the API: points with centre line, limits and signals from the SPC engine.

All of a team's measures go through the engine's batch path together, with the same engine
arguments as the measure pages (`breakthrough.measures.charts`).
"""

from __future__ import annotations

from typing import Any

from breakthrough.measures.charts import analyse, engine_args
from breakthrough.measures.models import ChartPhase, Measure, MeasureValue
from breakthrough.measures.small_cells import is_small
from breakthrough.spc import ChartResult


def chart_spec(measure: Measure, values: list[MeasureValue], rule_set: str, phases=()) -> dict:
    """The engine's arguments for one team's measure (the measure charts' own choice)."""
    return engine_args(measure, values, rule_set, phases)


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
    phases: dict[int, list[ChartPhase]] = {}
    for p in ChartPhase.objects.filter(team=team, measure__in=numeric, withdrawn=False):
        phases.setdefault(p.measure_id, []).append(p)
    specs = [chart_spec(m, vs, rule_set, phases.get(m.pk, ())) for m, vs in todo]
    out = []
    for (measure, vs), result in zip(todo, analyse(specs), strict=True):
        if result is None:
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
