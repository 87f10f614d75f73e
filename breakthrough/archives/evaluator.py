"""Evaluator exports: de-identified aggregate tables, in CSV and Parquet, small cells hidden.

No people, no free text (notes may name someone), no entry times: teams by code, measures by
code, periods by date, and the numbers with small counts suppressed as in every view outside a
team (BRIEF §8). A zip holds csv/<table>.csv, parquet/<table>.parquet and manifest.json.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from django.utils import timezone

from breakthrough.measures.models import Measure, MeasureValue
from breakthrough.measures.small_cells import suppress_values
from breakthrough.teams.models import Team

from .archive import ZIP_TIME, dumps, encode_scalar, sha256

EVALUATOR_FORMAT_VERSION = 1

COLUMNS: dict[str, list[tuple[str, str]]] = {
    "teams": [
        ("team", "string"),
        ("jurisdiction_kind", "string"),
        ("status", "string"),
        ("joined_on", "date"),
    ],
    "measures": [
        ("measure", "string"),
        ("name", "string"),
        ("kind", "string"),
        ("data_type", "string"),
        ("definition", "string"),
        ("numerator_definition", "string"),
        ("denominator_definition", "string"),
        ("multiplier", "float"),
        ("unit", "string"),
        ("direction", "string"),
        ("goal", "float"),
        ("version", "int"),
    ],
    "periods": [
        ("period", "date"),
        ("label", "string"),
        ("end", "date"),
        ("is_baseline", "bool"),
    ],
    "values": [
        ("team", "string"),
        ("measure", "string"),
        ("period", "date"),
        ("stratum", "string"),
        ("numerator", "int"),
        ("denominator", "int"),
        ("value", "float"),
        ("rate", "float"),
        ("suppressed", "bool"),
    ],
    # Monthly reports: states and scores only, never the narrative (free text may name someone).
    "reports": [
        ("team", "string"),
        ("period", "date"),
        ("state", "string"),
        ("revision", "int"),
        ("submitted_late", "bool"),
        ("self_score", "float"),
        ("agreed_score", "float"),
        ("faculty_scores", "int"),
    ],
    "component_statuses": [
        ("team", "string"),
        ("period", "date"),
        ("component", "string"),
        ("kind", "string"),
        ("status", "string"),
    ],
}


def evaluator_tables(collaborative) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """The four tables, and how many value rows were suppressed."""
    teams = list(
        Team.objects.filter(collaborative=collaborative)
        .select_related("jurisdiction")
        .order_by("code", "slug")
    )
    code = {t.pk: t.code or t.slug for t in teams}
    measures = list(
        Measure.objects.filter(collaborative=collaborative, owner_team__isnull=True).order_by(
            "order", "code"
        )
    )
    values = list(
        MeasureValue.objects.filter(team__collaborative=collaborative, measure__in=measures)
        .select_related("measure", "period")
        .order_by(
            "team__code",
            "team__slug",
            "measure__order",
            "measure__code",
            "period__start",
            "stratum",
        )
    )
    hidden = suppress_values(values, collaborative.suppression_threshold)
    tables: dict[str, list[dict[str, Any]]] = {
        "teams": [
            {
                "team": code[t.pk],
                "jurisdiction_kind": t.jurisdiction.kind,
                "status": t.status,
                "joined_on": t.joined_on,
            }
            for t in teams
        ],
        "measures": [
            {
                name: getattr(m, "code" if name == "measure" else name)
                for name, _ in COLUMNS["measures"]
            }
            for m in measures
        ],
        "periods": [
            {"period": p.start, "label": p.label, "end": p.end, "is_baseline": p.is_baseline}
            for p in collaborative.periods.order_by("start")
        ],
        "values": [],
    }
    for v in values:
        s = hidden[v.pk]
        tables["values"].append(
            {
                "team": code[v.team_id],
                "measure": v.measure.code,
                "period": v.period.start,
                "stratum": v.stratum,
                "numerator": None if s else v.numerator,
                "denominator": None if s else v.denominator,
                "value": None if s else v.value,
                "rate": None if s else v.rate,
                "suppressed": s,
            }
        )
    tables.update(_report_tables(collaborative, code))
    return tables, sum(hidden.values())


def _report_tables(collaborative, code: dict[int, str]) -> dict[str, list[dict[str, Any]]]:
    from breakthrough.reports.models import ComponentStatus, MonthlyReport

    reports = list(
        MonthlyReport.objects.filter(team__collaborative=collaborative)
        .select_related("period")
        .prefetch_related("assessments")
        .order_by("team__code", "team__slug", "period__start")
    )
    tz = collaborative.tz
    rows = []
    for r in reports:
        scores = {a.kind: a.score for a in r.assessments.all() if a.kind != "faculty"}
        rows.append(
            {
                "team": code[r.team_id],
                "period": r.period.start,
                "state": r.state,
                "revision": r.revision,
                "submitted_late": r.submitted_late(tz) if r.first_submitted_at else None,
                "self_score": float(scores["self"]) if "self" in scores else None,
                "agreed_score": float(scores["reconciled"]) if "reconciled" in scores else None,
                "faculty_scores": sum(1 for a in r.assessments.all() if a.kind == "faculty"),
            }
        )
    statuses = (
        ComponentStatus.objects.filter(report__team__collaborative=collaborative)
        .select_related("report__period", "node")
        .order_by("report__team__code", "report__team__slug", "report__period__start", "order")
    )
    return {
        "reports": rows,
        "component_statuses": [
            {
                "team": code[cs.report.team_id],
                "period": cs.report.period.start,
                "component": cs.node.code,
                "kind": cs.node.kind,
                "status": cs.status,
            }
            for cs in statuses
        ],
    }


def _csv(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c for c, _ in columns])
    for row in rows:
        writer.writerow(["" if row[c] is None else encode_scalar(row[c]) for c, _ in columns])
    return buf.getvalue().encode()


def _parquet(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        "string": pa.string(),
        "date": pa.date32(),
        "float": pa.float64(),
        "int": pa.int64(),
        "bool": pa.bool_(),
    }
    schema = pa.schema([(c, types[t]) for c, t in columns])
    table = pa.Table.from_pylist(rows, schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def write_evaluator_export(collaborative, path: str | Path) -> dict[str, Any]:
    """Write the evaluator zip; returns its manifest."""
    tables, n_suppressed = evaluator_tables(collaborative)
    manifest: dict[str, Any] = {
        "format": "breakthrough-evaluator-export",
        "format_version": EVALUATOR_FORMAT_VERSION,
        "created_at": encode_scalar(timezone.now()),
        "collaborative": collaborative.name,
        "demo_data": collaborative.is_demo,
        "suppression_threshold": collaborative.suppression_threshold,
        "suppressed_values": n_suppressed,
        "note": (
            "Aggregate data only. Counts from 1 to threshold-1 and the rates built on them are "
            "empty with suppressed=true; a second stratum is hidden where it would reveal one."
            + (
                " DEMO DATA: fictional, for trying the platform only."
                if collaborative.is_demo
                else ""
            )
        ),
        "tables": {},
    }
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, columns in COLUMNS.items():
            for kind, data in (
                ("csv", _csv(tables[name], columns)),
                ("parquet", _parquet(tables[name], columns)),
            ):
                member = f"{kind}/{name}.{kind}"
                info = zipfile.ZipInfo(member, date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
                manifest["tables"][member] = {"rows": len(tables[name]), "sha256": sha256(data)}
        info = zipfile.ZipInfo("manifest.json", date_time=ZIP_TIME)
        zf.writestr(info, dumps(manifest))
    tmp.replace(path)
    manifest["rows"] = len(tables["values"])
    return manifest
