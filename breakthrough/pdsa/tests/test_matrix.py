"""The change package × team matrix: statuses per idea and team, totals, filters, exports."""

import csv
import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from breakthrough.changes.actions import do_draft_package, do_retire_node
from breakthrough.changes.models import ChangeNode
from breakthrough.pdsa.matrix import build_matrix

from .helpers import decide, plan


def setup_cycles(world):
    other = ChangeNode.objects.create(
        package=world.package, parent=world.component, kind="idea", code="1.2", title="Intake flag"
    )
    _, second = decide(plan(world), "adapt", on=date(2024, 2, 20))
    decide(second, "adopt", on=date(2024, 3, 20))
    decide(plan(world, world.team_b, author=world.carol, nodes=[other]), "abandon")
    plan(world, world.team_b, author=world.carol)
    return other


def test_matrix_cells_and_totals(world):
    other = setup_cycles(world)
    m = build_matrix(world.collaborative, world.package, [world.team_a, world.team_b])
    rows = {r.node.code: r for r in m.rows}
    assert [r.node.code for r in m.rows] == ["C1", "1.1", "1.2"]
    cells = {c.team.code: c for c in rows["1.1"].cells}
    assert (cells["AL"].status, cells["AL"].cycles) == ("implementing", 2)
    assert (cells["BI"].status, cells["BI"].cycles) == ("testing", 1)
    assert cells["AL"].url == f"/c/testbsc/teams/alder/pdsas/?idea={world.idea.pk}"
    assert rows["1.1"].active_teams == 2 and rows["1.1"].cycles == 3
    assert [c.status for c in rows["1.2"].cells] == ["not_started", "abandoned"]
    assert [c.status for c in rows["C1"].cells] == ["implementing", "testing"]
    totals = {t.team.code: t for t in m.totals}
    assert (totals["AL"].ideas_tested, totals["AL"].ideas_adopted, totals["AL"].cycles) == (1, 1, 2)
    assert (totals["BI"].ideas_tested, totals["BI"].cycles) == (2, 2)
    assert other.pk in {r.node.pk for r in m.rows}


def test_matrix_filters(world):
    setup_cycles(world)
    teams = [world.team_a, world.team_b]
    only_abandoned = build_matrix(world.collaborative, world.package, teams, status="abandoned")
    assert [r.node.code for r in only_abandoned.rows] == ["C1", "1.2"]
    assert build_matrix(world.collaborative, world.package, teams, component_id=-1).rows == []


def test_matrix_page_links_and_exports(world):
    setup_cycles(world)
    client = world.client("carol")
    html = client.get(reverse("pdsa:matrix", args=["testbsc"])).content.decode()
    assert 'aria-label="Alder County: Implementing, 2 cycles"' in html
    assert "Export CSV" in html
    response = client.get(reverse("pdsa:matrix-export", args=["testbsc", "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="testbsc-change-package-matrix-v1.0.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:7] == [
        "Component",
        "Code",
        "Change idea",
        "AL status",
        "AL cycles",
        "BI status",
        "BI cycles",
    ]
    assert rows[1][:7] == [
        "C1 Early identification",
        "1.1",
        "Daily automated match",
        "Implementing",
        "2",
        "Testing",
        "1",
    ]
    response = client.get(
        reverse("pdsa:matrix-export", args=["testbsc", "xlsx"]), {"status": "abandoned"}
    )
    book = load_workbook(io.BytesIO(response.content))
    grid = [[c.value for c in row] for row in book["Matrix"].iter_rows(min_row=2)]
    assert grid[0][:4] == ["Code", "Change idea", "AL", "BI"]
    assert grid[2][:4] == ["1.2", "Intake flag", "Not started", "Abandoned (1)"]
    tidy = [[c.value for c in row] for row in book["Cells"].iter_rows(min_row=2)]
    assert tidy[1][:6] == [
        "C1 Early identification",
        "1.2",
        "Intake flag",
        "Birch County",
        "Abandoned",
        1,
    ]
    assert client.get(reverse("pdsa:matrix-export", args=["testbsc", "pdf"])).status_code == 404


def test_demo_exports_carry_the_watermark(world):
    world.collaborative.is_demo = True
    world.collaborative.save(update_fields=["is_demo"])
    response = world.client("fran").get(reverse("pdsa:matrix-export", args=["testbsc", "csv"]))
    assert response.content.decode().startswith("# DEMO — FICTIONAL DATA")


def test_faculty_only_teams_are_not_columns_for_other_teams(world):
    setup_cycles(world)
    world.team_a.data_visibility = "faculty_only"
    world.team_a.save(update_fields=["data_visibility"])
    carol = world.client("carol").get(reverse("pdsa:matrix", args=["testbsc"]))
    assert [t.code for t in carol.context["matrix"].teams] == ["BI"]
    assert "1 team shares tests of change with faculty only" in carol.content.decode()
    fran = world.client("fran").get(reverse("pdsa:matrix", args=["testbsc"]))
    assert [t.code for t in fran.context["matrix"].teams] == ["AL", "BI"]


def test_matrix_of_a_draft_version_for_staff(world):
    setup_cycles(world)
    draft = do_draft_package(world.package, version="2.0")
    do_retire_node(draft.nodes.get(code="1.2"))
    fran = world.client("fran").get(reverse("pdsa:matrix", args=["testbsc"]), {"version": "2.0"})
    rows = {r.node.code: r for r in fran.context["matrix"].rows}
    assert rows["1.1"].node.package == draft and rows["1.1"].cells[0].status == "implementing"
    assert "retired" in fran.content.decode()
    assert (
        world.client("carol")
        .get(reverse("pdsa:matrix", args=["testbsc"]), {"version": "2.0"})
        .status_code
        == 404
    )
