"""The faculty console's team grid: teams x months, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from breakthrough.collaboratives.access import Standing
from breakthrough.collaboratives.models import ReportingPeriod, StaffRole
from breakthrough.teams.models import Team

from . import evidence
from .actions import scorers_for, settings_for
from .models import Assessment, MonthlyReport

SUBMISSION_LABELS = {
    "on_time": "On time",
    "late": "Late",
    "missing": "Missing",
    "skipped": "Skipped",
    "open": "Not yet due",
    "not_expected": "Not expected",
}


@dataclass(frozen=True)
class ReportRow:
    pk: int
    team_id: int
    period_id: int
    state: str
    revision: int
    first_submitted_at: object
    skip_reason: str


@dataclass(slots=True)
class Cell:
    team: Team
    period: ReportingPeriod
    submission: str
    state: str = ""
    revision: int = 1
    report_id: int | None = None
    self_score: Decimal | None = None
    self_hidden: bool = False
    faculty_score: Decimal | None = None
    faculty_scores: int = 0
    scored_by_me: bool = False
    gap: bool = False
    values: int = 0
    data_state: str = ""  # the measure submission's state, when measures are submitted
    pdsa: int | None = None
    url: str = ""
    skip_reason: str = ""

    @property
    def submission_label(self) -> str:
        return SUBMISSION_LABELS[self.submission]

    @property
    def awaiting_score(self) -> bool:
        return self.state == "submitted" and self.faculty_score is None


@dataclass
class Row:
    team: Team
    cells: list[Cell]
    signals: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def reported(self) -> int:
        return sum(1 for c in self.cells if c.submission in {"on_time", "late"})

    @property
    def due(self) -> int:
        return sum(1 for c in self.cells if c.submission in {"on_time", "late", "missing"})

    @property
    def compliance(self) -> int | None:
        return round(100 * self.reported / self.due) if self.due else None

    @property
    def cells_html(self) -> str:
        """The row's cells as HTML, built in Python: the template engine is too slow for
        thousands of cells (100 teams x 18 months)."""
        return mark_safe("".join(cell_html(self.team.name, cell) for cell in self.cells))

    @property
    def latest_faculty(self) -> Decimal | None:
        scores = [c.faculty_score for c in self.cells if c.faculty_score is not None]
        return scores[-1] if scores else None


def cell_html(team_name: str, cell: Cell) -> str:
    reopened = cell.state == "reopened"
    label = escape(
        f"{team_name}, {cell.period.label}: {cell.submission_label}"
        + (", reopened" if reopened else "")
    )
    scores = []
    if cell.self_score is not None:
        scores.append(f"S {cell.self_score}")
    elif cell.self_hidden:
        scores.append("S ?")
    if cell.faculty_score is not None:
        scores.append(f"<strong>F {cell.faculty_score}</strong>")
    elif cell.state == "submitted":
        scores.append(f'<span class="muted">F {cell.faculty_scores}/…</span>')
    extra = f"M {cell.values}"
    if cell.data_state:
        extra += f" {escape(cell.data_state.replace('_', ' '))}"
    if cell.pdsa is not None:
        extra += f" · P {cell.pdsa}"
    if cell.gap:
        extra += ' <span class="badge warn">gap</span>'
    return (
        f'<td class="cell sub-{cell.submission}"><a href="{escape(cell.url)}" '
        f'aria-label="{label}"><span class="sub">{cell.submission_label}'
        f"{'*' if reopened else ''}</span><span>{' '.join(scores)}</span>"
        f'<span class="muted">{extra}</span></a></td>'
    )


@dataclass
class Grid:
    periods: list[ReportingPeriod]
    rows: list[Row]
    awaiting: list[Cell]
    is_scorer: bool
    has_signals: bool = False

    @property
    def at_four_share(self) -> list[tuple[ReportingPeriod, int | None]]:
        """Per month, the share of scored teams at 4.0 or above (a common collaborative aim)."""
        out = []
        for i, p in enumerate(self.periods):
            scores = [r.cells[i].faculty_score for r in self.rows]
            scored = [s for s in scores if s is not None]
            out.append(
                (p, round(100 * sum(s >= 4 for s in scored) / len(scored)) if scored else None)
            )
        return out


def prefixed(q: Q, prefix: str) -> Q:
    """The same conditions seen from a related model (`team_id` becomes `report__team_id`)."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(prefixed(child, prefix))
        else:
            out.children.append((prefix + child[0], child[1]))
    return out


def month_key(period: ReportingPeriod) -> str:
    return period.start.strftime("%Y-%m")


def build_grid(
    standing: Standing,
    *,
    team_ids: list[int] | None = None,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> Grid:
    c = standing.collaborative
    tz = c.tz
    today = today or timezone.localdate(timezone=tz)
    teams = list(
        Team.objects.filter(collaborative=c).select_related("collaborative").order_by("name")
    )
    if team_ids:
        teams = [t for t in teams if t.pk in set(team_ids)]
    periods = list(c.periods.filter(is_baseline=False).order_by("start"))
    if start:
        periods = [p for p in periods if p.start >= start]
    if end:
        periods = [p for p in periods if p.start <= end]
    cfg = settings_for(c)
    scorer_ids = {p.pk for p in scorers_for(c)}
    user_id = getattr(standing.user, "pk", None)
    is_scorer = standing.is_staff and user_id in scorer_ids

    # Filter on the collaborative and dates rather than long lists of objects.
    scope = Q(team__collaborative=c, period__is_baseline=False)
    if team_ids:
        scope &= Q(team_id__in=[t.pk for t in teams])
    if start:
        scope &= Q(period__start__gte=start)
    if end:
        scope &= Q(period__start__lte=end)
    # Plain tuples, not model instances: the grid reads a few fields of up to thousands of rows.
    reports = {
        (row[1], row[2]): ReportRow(*row)
        for row in MonthlyReport.objects.filter(scope).values_list(
            "id", "team_id", "period_id", "state", "revision", "first_submitted_at", "skip_reason"
        )
    }
    by_report: dict[int, list[tuple]] = defaultdict(list)
    # The same scope through a join: a list of thousands of report ids is slow to send.
    for row in Assessment.objects.filter(prefixed(scope, "report__")).values_list(
        "report_id", "kind", "assessor_id", "score"
    ):
        by_report[row[0]].append(row)
    team_list = [t.pk for t in teams]
    period_list = [p.pk for p in periods]
    values = evidence.values_entered(team_list, period_list)
    pdsa = evidence.pdsa_activity(team_list, periods)
    signals = evidence.latest_signals(standing, team_list)
    data_states = evidence.measure_submissions(team_list, period_list)

    # One reverse() for the whole grid; every cell's link differs only by team and month.
    url = (
        reverse("reports:detail", args=[c.slug, "__team__", "__month__"])
        .replace("__team__", "{team}")
        .replace("__month__", "{month}")
    )
    keys = {p.pk: month_key(p) for p in periods}
    # A report is late from the first moment after its due day, in the collaborative's zone.
    cutoffs = {
        p.pk: datetime.combine(p.due_on + timedelta(days=1), time.min, tzinfo=tz) for p in periods
    }
    rows: list[Row] = []
    awaiting: list[Cell] = []
    for team in teams:
        cells = []
        for period in periods:
            report = reports.get((team.pk, period.pk))
            cell = Cell(team=team, period=period, submission="open")
            cell.url = url.format(team=team.slug, month=keys[period.pk])
            cell.values = values.get((team.pk, period.pk), 0)
            cell.data_state = data_states.get((team.pk, period.pk), "")
            cell.pdsa = pdsa.get((team.pk, period.pk), 0)
            if report is not None:
                cell.report_id = report.pk
                cell.state = report.state
                cell.revision = report.revision
                cell.skip_reason = report.skip_reason
            if report is not None and report.state == "skipped":
                cell.submission = "skipped"
            elif report is not None and report.first_submitted_at:
                late = report.first_submitted_at >= cutoffs[period.pk]
                cell.submission = "late" if late else "on_time"
            elif team.joined_on and team.joined_on > period.end:
                cell.submission = "not_expected"
            elif today > period.due_on:
                cell.submission = "missing"
            if report is not None:
                faculty_by = set()
                for _rid, kind, assessor_id, score in by_report.get(report.pk, []):
                    if kind == "self":
                        cell.self_score = score
                    elif kind == "reconciled":
                        cell.faculty_score = score
                    else:
                        cell.faculty_scores += 1
                        faculty_by.add(assessor_id)
                cell.scored_by_me = user_id in faculty_by
                if is_scorer and not cell.scored_by_me and cell.faculty_score is None:
                    cell.self_hidden = cell.self_score is not None
                    cell.self_score = None
                if cell.self_score is not None and cell.faculty_score is not None:
                    cell.gap = abs(cell.self_score - cell.faculty_score) >= cfg.gap_threshold
                if cell.awaiting_score:
                    awaiting.append(cell)
            cells.append(cell)
        rows.append(Row(team=team, cells=cells, signals=signals.get(team.pk, [])))
    awaiting.sort(key=lambda cell: (cell.scored_by_me, cell.period.start, cell.team.name))
    return Grid(
        periods=periods,
        rows=rows,
        awaiting=awaiting,
        is_scorer=is_scorer,
        has_signals=evidence.signals_available(),
    )


def coach_team_ids(standing: Standing) -> list[int]:
    return list(
        StaffRole.objects.filter(
            collaborative=standing.collaborative, person=standing.user, role="coach"
        ).values_list("teams", flat=True)
    )


EXPORT_HEADER = [
    "team",
    "team_code",
    "period",
    "due_on",
    "submission",
    "state",
    "revision",
    "self_score",
    "faculty_score",
    "faculty_scores_entered",
    "gap_flag",
    "measure_values_entered",
    "measure_submission",
    "pdsa_cycles_active",
    "skip_reason",
]


def export_rows(grid: Grid) -> list[list]:
    out = []
    for row in grid.rows:
        for cell in row.cells:
            out.append(
                [
                    row.team.name,
                    row.team.code,
                    cell.period.label,
                    cell.period.due_on.isoformat(),
                    cell.submission,
                    cell.state,
                    cell.revision if cell.report_id else "",
                    float(cell.self_score) if cell.self_score is not None else "",
                    float(cell.faculty_score) if cell.faculty_score is not None else "",
                    cell.faculty_scores,
                    "yes" if cell.gap else "",
                    cell.values,
                    cell.data_state,
                    cell.pdsa if cell.pdsa is not None else "",
                    cell.skip_reason,
                ]
            )
    return out
