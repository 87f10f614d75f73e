"""Engagement per team over time (BRIEF §6, pain points 2 and 15): participation fades over a
collaborative, and faculty need to see it early.

Each part of the platform registers the metrics it knows in its AppConfig.ready():

    from breakthrough.collaboratives.engagement import register_metric
    register_metric(Metric("posts", "Posts", "Discussion posts by the team's members", count_fn))

A metric function takes the collaborative and returns {(team_id, month): Cell}, where a month is
the first day of the month; it must answer in one or two aggregate queries. `team_grid` lays the
cells out as a team x month table and flags teams whose recent months fall well below their
earlier ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone


@dataclass(frozen=True)
class Cell:
    value: float  # what the trend compares: a count, or a share from 0 to 1
    text: str  # what the grid shows, e.g. "3" or "4/5"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    help: str
    fn: Callable[..., dict[tuple[int, date], Cell]]
    is_share: bool = False  # value is a share (0-1) rather than a count
    order: int = 50


METRICS: dict[str, Metric] = {}


def register_metric(metric: Metric) -> None:
    METRICS[metric.key] = metric


def metrics() -> list[Metric]:
    return sorted(METRICS.values(), key=lambda m: (m.order, m.label))


def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def months_between(first: date, last: date) -> list[date]:
    out, d = [], month_start(first)
    while d <= last:
        out.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def collaborative_months(collaborative) -> list[date]:
    today = timezone.localdate()
    start = collaborative.start or today
    end = min(collaborative.end or today, today)
    if end < start:
        end = start
    return months_between(start, end)


@dataclass
class TeamRow:
    team: object
    cells: list[Cell | None]
    early: float | None = None
    recent: float | None = None
    declining: bool = False
    judged: bool = False  # enough data to say whether the team holds or falls off
    total: float = 0.0
    shown: list[tuple[Cell | None, str]] = field(default_factory=list)  # cell, CSS class


@dataclass
class MetricGrid:
    metric: Metric
    months: list[date]
    rows: list[TeamRow] = field(default_factory=list)
    peak: float = 0.0

    def heat(self, cell: Cell | None) -> str:
        """A CSS class: for counts heat-0 to heat-4 by the value against the grid's peak; for
        shares, heat-low below one half so gaps stand out."""
        if cell is None:
            return ""
        if self.metric.is_share:
            return "heat-low" if cell.value < 0.5 else "heat-1" if cell.value < 0.8 else "heat-2"
        if self.peak <= 0 or cell.value <= 0:
            return "heat-0"
        return f"heat-{min(4, 1 + int(3 * cell.value / self.peak))}"


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


# A team is flagged when its last three months fall below this share of its first three.
DECLINE_SHARE = 0.7  # for shares such as attendance
DECLINE_COUNT = 0.5  # for counts such as posts...
MIN_EARLY_COUNT = 3  # ...once it had at least this many in its first three months


def team_grid(metric: Metric, collaborative, teams, months: list[date]) -> MetricGrid:
    """The metric per team and month, with each team's early and recent level: the means of its
    first and last three months (for counts, from its first month with any)."""
    cells = metric.fn(collaborative)
    grid = MetricGrid(metric, months)
    for team in teams:
        row = TeamRow(team, [cells.get((team.pk, m)) for m in months])
        if metric.is_share:
            values = [c.value for c in row.cells if c is not None]
        else:  # a month without posts counts as zero once the team has started
            started = next((i for i, c in enumerate(row.cells) if c is not None), None)
            values = [] if started is None else [c.value if c else 0.0 for c in row.cells[started:]]
        row.total = sum(c.value for c in row.cells if c is not None)
        if len(values) >= 6:
            row.early, row.recent = _mean(values[:3]), _mean(values[-3:])
            if metric.is_share:
                row.judged = bool(row.early)
                row.declining = row.judged and row.recent < DECLINE_SHARE * row.early
            else:
                row.judged = sum(values[:3]) >= MIN_EARLY_COUNT
                row.declining = row.judged and row.recent < DECLINE_COUNT * row.early
        grid.rows.append(row)
        grid.peak = max([grid.peak, *(c.value for c in row.cells if c is not None)])
    for row in grid.rows:
        row.shown = [(c, grid.heat(c)) for c in row.cells]
    return grid


# The metrics the collaborative itself knows: attendance at its events -----------------------


def attendance_cells(collaborative) -> dict[tuple[int, date], Cell]:
    from .models import Attendance

    rows = (
        Attendance.objects.filter(event__collaborative=collaborative, team__isnull=False)
        .annotate(month=TruncMonth("event__start"))
        .values("team", "month")
        .annotate(present=Count("id", filter=Q(attended=True)), recorded=Count("id"))
    )
    return {
        (r["team"], r["month"]): Cell(
            r["present"] / r["recorded"], f"{r['present']}/{r['recorded']}"
        )
        for r in rows
        if r["recorded"]
    }


register_metric(
    Metric(
        "attendance",
        "Attendance",
        "People present of those expected at calls, sessions and visits (present/expected).",
        attendance_cells,
        is_share=True,
        order=90,
    )
)
