"""Importing 100,000 measure values from CSV and from XLSX (issue 5: under 5 s and 15 s).

100 teams × 20 months × 10 measures × (total + 4 strata) = 100,000 values, written through the
same path as the web import and `breakthrough import-measures`: read, check every row, then one
`do_upsert_measure_values` per team and month in one transaction.

Run: python -m pytest bench/measures_import_bench.py --benchmark-only -q
(figures in docs/performance.md, section "Measure data import").
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.db import connection

from breakthrough.collaboratives.models import ReportingPeriod
from breakthrough.measures.imports import (
    check_import,
    do_import_values,
    read_table,
    write_csv,
    write_xlsx,
)
from breakthrough.measures.models import Measure, MeasureValue, Stratifier, TeamMeasure
from breakthrough.teams.models import Jurisdiction, Team

TEAMS, MONTHS, MEASURES = 100, 20, 10
CATEGORIES = ["black", "hispanic", "white", "other"]
COLUMNS = ["team", "period", "measure", "stratum", "numerator", "denominator"]


@pytest.fixture
def big(world):
    c = world.collaborative
    strat = Stratifier.objects.create(
        collaborative=c,
        code="race",
        name="Race/ethnicity",
        categories=[{"code": k, "label": k} for k in CATEGORIES],
    )
    measures = [
        Measure.objects.create(
            collaborative=c,
            code=f"B{i}",
            name=f"Bench {i}",
            kind="process",
            data_type="proportion",
            order=10 + i,
        )
        for i in range(MEASURES)
    ]
    for m in measures:
        m.stratifiers.add(strat)
    jurisdictions = Jurisdiction.objects.bulk_create(
        [Jurisdiction(name=f"Bench County {i}", kind="urban") for i in range(TEAMS)]
    )
    teams = Team.objects.bulk_create(
        [
            Team(collaborative=c, jurisdiction=j, name=f"Bench team {i}", slug=f"bench-{i}")
            for i, j in enumerate(jurisdictions)
        ]
    )
    TeamMeasure.objects.bulk_create(
        [TeamMeasure(team=t, measure=m) for t in teams for m in measures]
    )
    periods = ReportingPeriod.objects.bulk_create(
        [
            ReportingPeriod(
                collaborative=c,
                label=f"{date(2030 + m // 12, m % 12 + 1, 1):%b %Y}",
                start=date(2030 + m // 12, m % 12 + 1, 1),
                end=date(2030 + m // 12, m % 12 + 1, 28),
                due_on=date(2030 + m // 12, m % 12 + 1, 28),
            )
            for m in range(MONTHS)
        ]
    )
    rng = random.Random(5)
    rows = []
    for t in teams:
        for p in periods:
            for m in measures:
                parts = [rng.randint(5, 30) for _ in CATEGORIES]
                hits = [rng.randint(0, n) for n in parts]
                rows.append([t.slug, f"{p.start:%Y-%m}", m.code, "", sum(hits), sum(parts)])
                for k, y, n in zip(CATEGORIES, hits, parts, strict=True):
                    rows.append([t.slug, f"{p.start:%Y-%m}", m.code, f"race:{k}", y, n])
    assert len(rows) == 100_000
    return world, rows


def _import(world, name, data):
    table = read_table(name, data)
    checked = check_import(table, world.collaborative)
    assert checked.ok, checked.problems[:3]
    return do_import_values(checked, person=world.dina)


def _clear():
    MeasureValue.objects.filter(team__slug__startswith="bench-").delete()
    MeasureValue.history.all().delete()
    from breakthrough.measures.models import Submission

    Submission.objects.all().delete()
    Submission.history.all().delete()


# Committed for real (not rolled back at the end of the test): on PostgreSQL the deferred
# foreign-key checks run at COMMIT, and they are part of what an import costs.
@pytest.mark.django_db(transaction=True)
def test_import_100k_values_from_csv(benchmark, big):
    world, rows = big
    data = write_csv(COLUMNS, rows)
    counts = benchmark.pedantic(
        _import, args=(world, "bench.csv", data), setup=_clear, rounds=3, iterations=1
    )
    assert counts["created"] == 100_000
    assert MeasureValue.objects.filter(team__slug__startswith="bench-").count() == 100_000
    benchmark.extra_info["database"] = connection.vendor


@pytest.mark.django_db(transaction=True)
def test_import_100k_values_from_xlsx(benchmark, big):
    world, rows = big
    data = write_xlsx(COLUMNS, rows)
    counts = benchmark.pedantic(
        _import, args=(world, "bench.xlsx", data), setup=_clear, rounds=3, iterations=1
    )
    assert counts["created"] == 100_000
    benchmark.extra_info["database"] = connection.vendor
    benchmark.extra_info["xlsx_bytes"] = len(data)


@pytest.mark.django_db(transaction=True)
def test_reimport_100k_unchanged_values_from_csv(benchmark, big):
    """The same file again: every value is compared and nothing is written."""
    world, rows = big
    data = write_csv(COLUMNS, rows)
    _clear()
    _import(world, "bench.csv", data)
    counts = benchmark.pedantic(_import, args=(world, "bench.csv", data), rounds=3, iterations=1)
    assert counts["unchanged"] == 100_000
