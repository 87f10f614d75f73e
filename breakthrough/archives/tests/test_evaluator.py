from __future__ import annotations

import csv
import io
import zipfile

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from breakthrough.archives.models import ExportRecord
from breakthrough.collaboratives.models import StaffRole
from breakthrough.measures.actions import ValueRow, do_upsert_measure_values
from breakthrough.measures.models import Stratifier
from breakthrough.measures.small_cells import Cell, suppress_cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def valued(world):
    race = Stratifier.objects.create(
        collaborative=world.collaborative,
        code="race",
        name="Race",
        categories=[
            {"code": "a", "label": "A"},
            {"code": "b", "label": "B"},
            {"code": "c", "label": "C"},
        ],
    )
    world.measure.stratifiers.add(race)
    do_upsert_measure_values(
        team=world.team_a,
        period=world.periods[0],
        person=world.alice,
        rows=[
            ValueRow("M1", "", numerator=12, denominator=30, note="Jo Smith's case"),
            ValueRow("M1", "race:a", numerator=3, denominator=9),
            ValueRow("M1", "race:b", numerator=4, denominator=11),
            ValueRow("M1", "race:c", numerator=5, denominator=10),
        ],
    )
    return world


def read_zip(data: bytes):
    zf = zipfile.ZipFile(io.BytesIO(data))
    return zf, {n: zf.read(n) for n in zf.namelist()}


def test_evaluator_tables_are_aggregate_de_identified_and_suppressed(valued, tmp_path):
    out = tmp_path / "eval.zip"
    call_command("export", collaborative="testbsc", output=str(out), evaluator=True)
    _, members = read_zip(out.read_bytes())
    assert set(members) == {
        "manifest.json",
        *(
            f"{k}/{t}.{k}"
            for k in ("csv", "parquet")
            for t in ("teams", "measures", "periods", "values", "reports", "component_statuses")
        ),
    }
    rows = list(csv.DictReader(io.StringIO(members["csv/values.csv"].decode())))
    by = {r["stratum"]: r for r in rows}
    assert by[""]["numerator"] == "12" and by[""]["suppressed"] == "False"
    assert (
        by["race:a"]["numerator"] == ""
        and by["race:a"]["rate"] == ""
        and by["race:a"]["suppressed"] == "True"
    )
    assert by["race:b"]["suppressed"] == "True"  # 4 < 5
    assert by["race:c"]["numerator"] == "5"  # two hidden already: the total cannot give one away
    text = b"".join(members.values()).decode("latin-1")
    assert "alice" not in text and "Jo Smith" not in text and "Alder County" not in text
    assert rows[0]["team"] == "AL"
    table = pq.read_table(io.BytesIO(members["parquet/values.parquet"]))
    assert table.num_rows == 4 and table.column("suppressed").to_pylist().count(True) == 2
    assert str(table.schema.field("period").type) == "date32[day]"
    assert ExportRecord.objects.get().kind == "evaluator"


def test_complementary_suppression():
    cells = [
        Cell(("k",), "", None, 20, 40),
        Cell(("k",), "r:a", None, 2, 10),
        Cell(("k",), "r:b", None, 8, 15),
        Cell(("k",), "r:c", None, 10, 15),
        Cell(("k",), "s:x", None, 10, 20),
        Cell(("k",), "s:y", None, 10, 20),
    ]
    suppress_cells(cells, 5)
    assert [c.suppressed for c in cells] == [False, True, True, False, False, False]
    zero = [Cell(("z",), "", None, 0, 0)]
    assert not suppress_cells(zero, 5)[0].suppressed


@pytest.mark.parametrize(
    ("name", "status"),
    [("dina", 200), ("fran", 200), ("alice", 403), ("carol", 403), ("olga", 404), ("anon", 302)],
)
def test_who_sees_the_exports_page(valued, name, status):
    assert valued.client(name).get("/c/testbsc/exports/").status_code == status


def test_evaluators_download_tables_but_not_the_archive(valued):
    StaffRole.objects.create(
        collaborative=valued.collaborative, person=valued.olga, role="evaluator"
    )
    client = valued.client("olga")
    page = client.get("/c/testbsc/exports/")
    assert page.status_code == 200 and b"Download the archive" not in page.content
    response = client.post("/c/testbsc/exports/evaluator/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="testbsc-evaluator-')
    _, members = read_zip(b"".join(response.streaming_content))
    assert "csv/values.csv" in members
    record = ExportRecord.objects.get()
    assert (record.person, record.via, record.kind) == (valued.olga, "web", "evaluator")
    assert client.post("/c/testbsc/exports/archive/").status_code == 403
    assert ExportRecord.objects.count() == 1


def test_managers_download_the_whole_archive_and_the_log_shows_it(valued):
    client = valued.client("dina")
    response = client.post("/c/testbsc/exports/archive/")
    assert response.status_code == 200
    _, members = read_zip(b"".join(response.streaming_content))
    assert "entities/measures.measurevalue.json" in members
    page = client.get("/c/testbsc/exports/").content.decode()
    assert "Whole-collaborative archive" in page and "Dina Diaz" in page
    assert valued.client("alice").post("/c/testbsc/exports/evaluator/").status_code == 403


def test_evaluator_tables_hold_report_states_and_scores_not_narratives(valued, tmp_path):
    from breakthrough.reports.tests.helpers import add_roles, score_and_reconcile, submitted_report

    add_roles(valued)
    report = submitted_report(valued, score="2.5")
    score_and_reconcile(valued, report, agreed="2.0")
    out = tmp_path / "eval.zip"
    call_command("export", collaborative="testbsc", output=str(out), evaluator=True)
    _, members = read_zip(out.read_bytes())
    [row] = list(csv.DictReader(io.StringIO(members["csv/reports.csv"].decode())))
    assert row == {
        "team": "AL",
        "period": "2024-01-01",
        "state": "submitted",
        "revision": "1",
        "submitted_late": "True",  # submitted today, due in 2024
        "self_score": "2.5",
        "agreed_score": "2.0",
        "faculty_scores": "2",
    }
    statuses = list(csv.DictReader(io.StringIO(members["csv/component_statuses.csv"].decode())))
    assert statuses and {r["team"] for r in statuses} == {"AL"}
    assert {r["kind"] for r in statuses} <= {"component", "idea", "principle", "value"}
    text = b"".join(members.values()).decode("latin-1")
    assert "Ran the daily match" not in text and "Tests under way" not in text
    table = pq.read_table(io.BytesIO(members["parquet/reports.parquet"]))
    assert table.column("agreed_score").to_pylist() == [2.0]
