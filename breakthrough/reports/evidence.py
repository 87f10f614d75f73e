"""What the monthly report borrows from the other parts: PDSA statuses and measure evidence.

Each function reads through the public contract of the part that owns the data
(`breakthrough.pdsa.status`, `breakthrough.measures.charts`) and returns plain values, so the
report, its PDF and the faculty console show the same evidence.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

STATUS_VALUES = {"not_started", "testing", "implementing", "spreading", "abandoned"}


def _contract(module: str):
    """The other part's contract module, or None while that part is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _status_value(value) -> str:
    value = getattr(value, "status", value)
    value = getattr(value, "value", value)
    return value if value in STATUS_VALUES else ""


def pdsa_statuses(team) -> dict[int, str]:
    """Change node id -> status derived from the team's PDSA cycles today (components and ideas).

    Ids are those of the collaborative's current published change package; nodes the team has
    no cycle on are absent (not started).
    """
    from breakthrough.pdsa import status

    out: dict[int, str] = {}
    for (team_id, node_id), value in (status.idea_statuses([team.pk]) or {}).items():
        if team_id == team.pk and (v := _status_value(value)):
            out[node_id] = v
    for node_id, value in (status.component_statuses(team.pk) or {}).items():
        if (v := _status_value(value)) and v != "not_started":
            out[node_id] = v
    return out


def pdsa_activity(team_ids: list[int], periods) -> dict[tuple[int, int], int]:
    """(team id, period id) -> PDSA cycles under way during that month.

    A cycle is under way from its start (or planned start) to its end (or decision); a cycle not
    finished yet is under way until today.
    """
    from django.utils import timezone

    from breakthrough.pdsa.models import PDSACycle

    periods = list(periods)
    if not periods or not team_ids:
        return {}
    today = timezone.localdate()
    first, last = min(p.start for p in periods), max(p.end for p in periods)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    rows = PDSACycle.objects.filter(team_id__in=team_ids).values_list(
        "team_id", "start", "planned_start", "end", "decided_on"
    )
    for team_id, start, planned, end, decided in rows:
        begin = start or planned
        if begin is None or begin > last:
            continue
        finish = end or decided or today
        if finish < first:
            continue
        for p in periods:
            if begin <= p.end and finish >= p.start:
                counts[(team_id, p.pk)] += 1
    return counts


@dataclass
class PeriodValue:
    code: str
    name: str
    numerator: int | None
    denominator: int | None
    value: float | None
    unit: str
    multiplier: float
    suppressed: bool = False
    threshold: int = 5

    @property
    def shown(self) -> str:
        if self.numerator is not None and self.denominator:
            rate = self.numerator / self.denominator * self.multiplier
            unit = "%" if self.unit == "%" else ""
            return f"{rate:.0f}{unit} ({self.numerator}/{self.denominator})"
        if self.suppressed:
            return f"<{self.threshold} (small count, hidden)"
        if self.denominator == 0:
            return "no eligible youth"
        if self.value is not None:
            return f"{self.value:g}"
        return "—"


def period_values(team, period) -> list[PeriodValue]:
    """The team's totals for the period's active measures (the true values: team and faculty)."""
    from django.db.models import Q

    from breakthrough.measures.models import MeasureValue, TeamMeasure

    measures = [
        tm.measure
        for tm in TeamMeasure.objects.filter(team=team, active=True)
        .filter(Q(measure__owner_team__isnull=True) | Q(measure__owner_team=team))
        .select_related("measure")
    ]
    values = {
        v.measure_id: v for v in MeasureValue.objects.filter(team=team, period=period, stratum="")
    }
    out = []
    for m in measures:
        if not m.is_numeric:
            continue
        v = values.get(m.pk)
        out.append(
            PeriodValue(
                m.code,
                m.name,
                v.numerator if v else None,
                v.denominator if v else None,
                v.value if v else None,
                m.unit,
                m.multiplier,
            )
        )
    return out


def measure_charts(team, period, standing, fmt: str = "svg") -> list[tuple[str, str]]:
    """(measure title, rendered SVG) for the team's measures up to the period, as the viewer may
    see them (small counts suppressed for viewers outside the team and faculty)."""
    charts = _contract("breakthrough.measures.charts")
    if charts is None or not hasattr(charts, "team_measure_charts"):
        return []
    out = []
    for spec in charts.team_measure_charts(
        team, viewer_standing=standing, until_period=period, size="small"
    ):
        drawn = charts.render_chart(spec, fmt=fmt)
        if isinstance(drawn, bytes) and fmt == "svg":
            drawn = drawn.decode()
        out.append((getattr(spec, "title", "") or str(getattr(spec, "measure", "")), drawn))
    return out


def values_entered(team_ids: list[int], period_ids: list[int]) -> dict[tuple[int, int], int]:
    """(team id, period id) -> number of measure totals entered."""
    from breakthrough.measures.models import MeasureValue

    counts: dict[tuple[int, int], int] = defaultdict(int)
    rows = (
        MeasureValue.objects.filter(team_id__in=team_ids, period_id__in=period_ids, stratum="")
        .values("team_id", "period_id")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[(row["team_id"], row["period_id"])] = row["n"]
    return counts


def signals_available() -> bool:
    charts = _contract("breakthrough.measures.charts")
    return bool(charts and hasattr(charts, "latest_signal_status"))


SIGNAL_WORDS = {
    "improvement": "improving",
    "deterioration": "worse",
    "special_cause": "special cause",
}


def latest_signals(standing, team_ids: list[int]) -> dict[int, list[tuple[str, str, str]]]:
    """Team id -> [(measure code, status, label)] of measures whose latest point signals.

    Common-cause and not-enough-data measures are left out: the console shows what needs a look.
    """
    charts = _contract("breakthrough.measures.charts")
    fn = getattr(charts, "latest_signal_status", None) if charts else None
    if fn is None or not team_ids:
        return {}
    from breakthrough.measures.models import Measure

    codes = dict(
        Measure.objects.filter(collaborative=standing.collaborative).values_list("pk", "code")
    )
    out: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    found = fn(standing.collaborative, viewer_standing=standing, team_ids=set(team_ids))
    for (team_id, measure_id), value in sorted(
        found.items(), key=lambda item: codes.get(item[0][1], "")
    ):
        status = value.get("status", "")
        if status in SIGNAL_WORDS:
            out[team_id].append((codes.get(measure_id, "?"), status, value.get("label", status)))
    return out


def measure_submissions(team_ids: list[int], period_ids: list[int]) -> dict[tuple[int, int], str]:
    """(team id, period id) -> state of the team's measure submission for the month."""
    from breakthrough.measures import models

    submission = getattr(models, "Submission", None)
    if submission is None or not team_ids:
        return {}
    return {
        (team_id, period_id): state
        for team_id, period_id, state in submission.objects.filter(
            team_id__in=team_ids, period_id__in=period_ids
        ).values_list("team_id", "period_id", "state")
    }
