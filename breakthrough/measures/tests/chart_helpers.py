"""Shared steps for the chart tests: more months and a team's monthly values."""

from __future__ import annotations

from datetime import date

from breakthrough.collaboratives.access import standing_for
from breakthrough.collaboratives.models import ReportingPeriod
from breakthrough.measures.models import MeasureValue

# A clear upward shift: 10 months around 40%, then 14 months around 70% (denominator 20).
SHIFT = [8, 9, 7, 8, 9, 8, 7, 9, 8, 8, 14, 15, 14, 13, 15, 14, 14, 15, 13, 14, 15, 14, 13, 14]
FLAT = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 10, 11, 10]


def months(world, n: int) -> list[ReportingPeriod]:
    """The world's periods extended to `n` months from January 2024."""
    periods = list(
        ReportingPeriod.objects.filter(collaborative=world.collaborative).order_by("start")
    )
    while len(periods) < n:
        k = len(periods)
        y, m = 2024 + k // 12, k % 12 + 1
        periods.append(
            ReportingPeriod.objects.create(
                collaborative=world.collaborative,
                label=f"{date(y, m, 1):%b %Y}",
                start=date(y, m, 1),
                end=date(y, m, 28),
                due_on=date(y, m, 28),
            )
        )
    return periods[:n]


def enter(world, team, numerators, denominator=20, measure=None, denominators=None):
    measure = measure or world.measure
    periods = months(world, len(numerators))
    rows = []
    for i, (period, num) in enumerate(zip(periods, numerators, strict=True)):
        den = denominators[i] if denominators else denominator
        rows.append(
            MeasureValue(team=team, measure=measure, period=period, numerator=num, denominator=den)
        )
    MeasureValue.objects.bulk_create(rows)
    return periods


def standing(world, name):
    return standing_for(getattr(world, name), world.collaborative)
