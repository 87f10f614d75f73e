"""The change package × team matrix: who is testing what, with what result (BRIEF §7.3 item 1).

Rows are the change ideas of one package version grouped by component, columns the teams the
person may read; each cell holds the team's status for the idea (status.py), its cycle count and
a link to those cycles. Built from a handful of queries whatever the number of teams and cycles.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse

from breakthrough.changes.models import ChangeNode, ChangePackage

from .status import RANK, STATUS_LABELS, STATUSES, IdeaStatus, idea_statuses, roll_up

DEMO_MARK = "DEMO — FICTIONAL DATA"


@dataclass
class Cell:
    team: object
    status: str
    cycles: int
    confirmed_share: float | None
    url: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def confirmed_pct(self) -> str:
        return "" if self.confirmed_share is None else f"{round(self.confirmed_share * 100)}%"


@dataclass
class Row:
    node: ChangeNode
    is_component: bool
    cells: list[Cell]
    counts: Counter = field(default_factory=Counter)  # status -> number of teams
    cycles: int = 0

    @property
    def active_teams(self) -> int:
        return sum(self.counts[s] for s in ("testing", "implementing", "spreading"))


@dataclass
class TeamTotal:
    team: object
    ideas_tested: int = 0
    ideas_adopted: int = 0
    cycles: int = 0


@dataclass
class Matrix:
    package: ChangePackage | None
    teams: list
    rows: list[Row]
    totals: list[TeamTotal]

    @property
    def idea_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.is_component]


def build_matrix(
    collaborative,
    package: ChangePackage | None,
    teams: list,
    *,
    component_id: int | None = None,
    status: str | None = None,
    tested_only: bool = False,
) -> Matrix:
    if package is None:
        return Matrix(package=None, teams=teams, rows=[], totals=[TeamTotal(t) for t in teams])
    nodes = list(package.nodes.all())
    statuses = idea_statuses([t.pk for t in teams], package) if teams else {}
    slug = collaborative.slug
    board = {t.pk: reverse("pdsa:board", args=[slug, t.slug]) for t in teams}

    def cell(team, node_id: int, s: IdeaStatus | None) -> Cell:
        return Cell(
            team=team,
            status=s.status if s else "not_started",
            cycles=s.cycles if s else 0,
            confirmed_share=s.confirmed_share if s else None,
            url=f"{board[team.pk]}?idea={node_id}",
        )

    children: dict[int | None, list[ChangeNode]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    components = [
        n
        for n in children.get(None, [])
        if n.kind in ("component", "primary_driver") and (not component_id or n.pk == component_id)
    ]
    rollups = {t.pk: roll_up(t.pk, nodes, statuses) for t in teams}
    rows: list[Row] = []
    totals = {t.pk: TeamTotal(t) for t in teams}
    for comp in components:
        ideas = []
        stack = list(reversed(children.get(comp.pk, [])))
        while stack:
            n = stack.pop()
            if n.kind == "idea":
                ideas.append(n)
            stack.extend(reversed(children.get(n.pk, [])))
        idea_rows = []
        for idea in ideas:
            cells = [cell(t, idea.pk, statuses.get((t.pk, idea.pk))) for t in teams]
            row = Row(node=idea, is_component=False, cells=cells)
            for c in cells:
                row.counts[c.status] += 1
                row.cycles += c.cycles
            if tested_only and not any(c.status != "not_started" for c in cells):
                continue
            if status and not row.counts[status]:
                continue
            idea_rows.append(row)
            for c in cells:
                total = totals[c.team.pk]
                total.cycles += c.cycles
                if c.status != "not_started":
                    total.ideas_tested += 1
                if c.status in ("implementing", "spreading"):
                    total.ideas_adopted += 1
        if (status or tested_only) and not idea_rows:
            continue
        comp_cells = []
        for t in teams:
            r = rollups[t.pk].get(comp.pk)
            comp_cells.append(
                Cell(
                    team=t,
                    status=r.status if r else "not_started",
                    cycles=r.cycles if r else 0,
                    confirmed_share=r.confirmed_share if r else None,
                    url=f"{board[t.pk]}?component={comp.pk}",
                )
            )
        comp_row = Row(node=comp, is_component=True, cells=comp_cells)
        for c in comp_cells:
            comp_row.counts[c.status] += 1
            comp_row.cycles += c.cycles
        rows.append(comp_row)
        rows.extend(idea_rows)
    return Matrix(package=package, teams=teams, rows=rows, totals=[totals[t.pk] for t in teams])


def _team_header(team) -> str:
    return team.code or team.name


def matrix_csv(matrix: Matrix, *, demo: bool) -> str:
    """The matrix as CSV: one row per change idea, a status and a cycle count per team."""
    out = io.StringIO()
    writer = csv.writer(out)
    if demo:
        out.write(f"# {DEMO_MARK}\n")
    header = ["Component", "Code", "Change idea"]
    for t in matrix.teams:
        header += [f"{_team_header(t)} status", f"{_team_header(t)} cycles"]
    header += [
        "Teams testing",
        "Teams implementing",
        "Teams spreading",
        "Teams abandoned",
        "Cycles",
    ]
    writer.writerow(header)
    component = ""
    for row in matrix.rows:
        if row.is_component:
            component = f"{row.node.code} {row.node.title}".strip()
            continue
        line = [component, row.node.code, row.node.title]
        for c in row.cells:
            line += [c.label, c.cycles]
        line += [
            row.counts["testing"],
            row.counts["implementing"],
            row.counts["spreading"],
            row.counts["abandoned"],
            row.cycles,
        ]
        writer.writerow(line)
    writer.writerow(
        ["", "", "Ideas tested per team"]
        + [x for total in matrix.totals for x in (total.ideas_tested, total.cycles)]
    )
    return out.getvalue()


FILLS = {
    "not_started": "FFFFFF",
    "testing": "FDF1D8",
    "implementing": "E3F3E7",
    "spreading": "CDEBD4",
    "abandoned": "ECEFF3",
}


def matrix_xlsx(matrix: Matrix, *, demo: bool, title: str) -> bytes:
    """The matrix as an Excel workbook: the grid as on the page, and a tidy sheet of the cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Matrix"
    sheet.append([title + (f" — {DEMO_MARK}" if demo else "")])
    sheet["A1"].font = Font(bold=True, size=13)
    header = ["Code", "Change idea"] + [_team_header(t) for t in matrix.teams] + ["Teams active"]
    sheet.append(header)
    for col in range(1, len(header) + 1):
        sheet.cell(row=2, column=col).font = Font(bold=True)
    for row in matrix.rows:
        values = [row.node.code, row.node.title]
        values += [f"{c.label} ({c.cycles})" if c.cycles else c.label for c in row.cells]
        values += [row.active_teams]
        sheet.append(values)
        r = sheet.max_row
        if row.is_component:
            for col in range(1, len(values) + 1):
                sheet.cell(row=r, column=col).font = Font(bold=True)
        for i, c in enumerate(row.cells, start=3):
            sheet.cell(row=r, column=i).fill = PatternFill("solid", fgColor=FILLS[c.status])
    sheet.append(["", "Ideas tested"] + [t.ideas_tested for t in matrix.totals])
    sheet.append(["", "Cycles"] + [t.cycles for t in matrix.totals])
    sheet.freeze_panes = "C3"
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 60
    for i in range(3, len(header) + 1):
        sheet.column_dimensions[get_column_letter(i)].width = 16
    for row in sheet.iter_rows(min_row=3, min_col=2, max_col=2):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")

    tidy = book.create_sheet("Cells")
    if demo:
        tidy.append([DEMO_MARK])
    tidy.append(
        ["Component", "Code", "Change idea", "Team", "Status", "Cycles", "Predictions confirmed"]
    )
    component = ""
    for row in matrix.rows:
        if row.is_component:
            component = f"{row.node.code} {row.node.title}".strip()
            continue
        for c in row.cells:
            tidy.append(
                [
                    component,
                    row.node.code,
                    row.node.title,
                    c.team.name,
                    c.label,
                    c.cycles,
                    c.confirmed_share,
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def status_order(status: str) -> int:
    return RANK[status]


__all__ = ["STATUSES", "Cell", "Matrix", "Row", "build_matrix", "matrix_csv", "matrix_xlsx"]
