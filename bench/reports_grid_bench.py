"""Benchmark of the faculty console: the team grid for 100 teams x 18 months.

Builds a synthetic collaborative in a fresh database (SQLite file in a temporary folder, or the
PostgreSQL database named by DATABASE_URL): 100 teams, 18 monthly periods, a report per team and
month (on time, late, skipped or missing), the self-score, two faculty scores and the agreed score
of each submitted report, and 10 measure values per team and month. Then it times the console
page through Django's test client (server time: URL routing, access, queries, template) and the
grid computation alone, counts the queries, and writes the figures to the "Action periods"
section of ``docs/performance.md`` (other sections are left as they are).

Run it from the project root::

    python bench/reports_grid_bench.py                 # 100 teams x 18 months, best of 7
    python bench/reports_grid_bench.py --teams 20 --rounds 3 --no-write
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reports_bench python bench/reports_grid_bench.py

Target: the console page in under 300 ms of server time.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SECTION = "## Action periods"
TARGET_MS = 300.0


def setup_django() -> None:
    os.environ.setdefault("BREAKTHROUGH_DATA_DIR", tempfile.mkdtemp(prefix="reports-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "breakthrough.settings")
    os.environ.setdefault("BREAKTHROUGH_TESTING", "1")  # fast password hasher, locmem e-mail
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(teams: int, months: int) -> tuple[object, object]:
    from django.contrib.auth import get_user_model

    from breakthrough.collaboratives.models import Collaborative, ReportingPeriod, StaffRole
    from breakthrough.measures.models import Measure, MeasureValue
    from breakthrough.reports.actions import ensure_scale
    from breakthrough.reports.models import Assessment, MonthlyReport
    from breakthrough.teams.models import Jurisdiction, Team

    rnd = random.Random(2009)
    User = get_user_model()
    Collaborative.objects.filter(slug="bench").delete()
    c = Collaborative.objects.create(name="Benchmark", slug="bench", phase="active")
    director = User.objects.create_user(username=f"bench-director-{c.pk}", password="x")
    advisor = User.objects.create_user(username=f"bench-advisor-{c.pk}", password="x")
    StaffRole.objects.create(collaborative=c, person=director, role="director")
    StaffRole.objects.create(collaborative=c, person=advisor, role="advisor")
    scale = ensure_scale(c, by=director)
    periods = []
    for i in range(months):
        start = date(2008 + (6 + i) // 12, (6 + i) % 12 + 1, 1)
        nxt = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        periods.append(
            ReportingPeriod.objects.create(
                collaborative=c,
                label=f"{start:%b %Y}",
                start=start,
                end=nxt - timedelta(days=1),
                due_on=nxt.replace(day=15),
            )
        )
    team_rows = Team.objects.bulk_create(
        [
            Team(
                collaborative=c,
                jurisdiction=Jurisdiction.objects.create(name=f"Bench {c.pk}-{k}", kind="rural"),
                name=f"Team {k:03d}",
                slug=f"team-{k:03d}",
                code=f"T{k:03d}",
            )
            for k in range(teams)
        ]
    )
    measures = [
        Measure.objects.create(
            collaborative=c,
            code=f"M{j}",
            name=f"Measure {j}",
            kind="process",
            data_type="proportion",
        )
        for j in range(10)
    ]
    reports = []
    for team in team_rows:
        for p in periods:
            roll = rnd.random()
            if roll < 0.05:
                continue  # missing
            if roll < 0.1:
                reports.append(MonthlyReport(team=team, period=p, state="skipped", skip_reason="x"))
                continue
            late = rnd.random() < 0.15
            when = datetime.combine(p.due_on, datetime.min.time(), tzinfo=UTC) + timedelta(
                days=rnd.randint(1, 5) if late else -rnd.randint(1, 9)
            )
            reports.append(
                MonthlyReport(
                    team=team,
                    period=p,
                    state="submitted",
                    first_submitted_at=when,
                    submitted_at=when,
                    achievements="Benchmark narrative.",
                    self_score=Decimal("2.5"),
                )
            )
    MonthlyReport.objects.bulk_create(reports, batch_size=1000)
    assessments = []
    for r in MonthlyReport.objects.filter(team__collaborative=c, state="submitted"):
        s = Decimal(rnd.randint(2, 8)) / 2
        assessments += [
            Assessment(report=r, kind="self", assessor=director, score=s, scale=scale),
            Assessment(report=r, kind="faculty", assessor=director, score=s, scale=scale),
            Assessment(report=r, kind="faculty", assessor=advisor, score=s, scale=scale),
        ]
        if rnd.random() < 0.9:
            assessments.append(
                Assessment(report=r, kind="reconciled", assessor=director, score=s, scale=scale)
            )
    Assessment.objects.bulk_create(assessments, batch_size=2000)
    values = [
        MeasureValue(team=t, measure=m, period=p, numerator=5, denominator=10)
        for t in team_rows
        for p in periods
        for m in measures
    ]
    MeasureValue.objects.bulk_create(values, batch_size=2000)
    # 10 PDSA cycles per team, a few weeks each, spread over the months.
    from breakthrough.changes.models import ChangeNode, ChangePackage
    from breakthrough.pdsa.models import PDSACycle, Ramp

    package = ChangePackage.objects.create(
        collaborative=c, version="1.0", title="Bench package", status="published"
    )
    node = ChangeNode.objects.create(package=package, kind="component", code="C1", title="C1")
    ramps = Ramp.objects.bulk_create(
        [Ramp(team=t, change_node=node, title=f"Ramp {k}") for t in team_rows for k in range(2)]
    )
    cycles = []
    for ramp in ramps:
        for k in range(5):
            begin = periods[0].start + timedelta(days=rnd.randint(0, 30 * months - 40))
            cycles.append(
                PDSACycle(
                    ramp=ramp,
                    team_id=ramp.team_id,
                    cycle_no=k + 1,
                    title="Cycle",
                    start=begin,
                    end=begin + timedelta(days=rnd.randint(7, 40)),
                )
            )
    PDSACycle.objects.bulk_create(cycles, batch_size=2000)
    return c, director


def timed(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def run(teams: int, months: int, rounds: int) -> dict:
    from django.db import connection
    from django.test import Client

    from breakthrough.collaboratives.access import standing_for
    from breakthrough.reports.grid import build_grid

    t0 = time.perf_counter()
    c, director = seed(teams, months)
    seeded = time.perf_counter() - t0
    client = Client()
    client.force_login(director)
    url = f"/c/{c.slug}/console/"
    response = client.get(url)  # warm up: templates, caches
    assert response.status_code == 200, response.status_code
    assert response.content.count(b'class="cell ') == teams * months
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    page = timed(lambda: client.get(url), rounds)
    standing = standing_for(director, c)
    grid = timed(lambda: build_grid(standing), rounds)
    export = timed(lambda: client.get(f"/c/{c.slug}/console/export/", {"format": "csv"}), rounds)
    return {
        "teams": teams,
        "months": months,
        "rounds": rounds,
        "seeded_s": seeded,
        "queries": len(queries),
        "page_best": min(page),
        "page_median": statistics.median(page),
        "grid_best": min(grid),
        "grid_median": statistics.median(grid),
        "csv_median": statistics.median(export),
        "bytes": len(response.content),
        "database": connection.vendor,
        "load": os.getloadavg()[0],
    }


def section_with(path: Path, database: str, block: str, r: dict) -> str:
    """The "Action periods" section with this database's block replaced (others kept)."""
    current = path.read_text() if path.exists() else ""
    section = re.search(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", current, re.S | re.M)
    blocks = dict(
        re.findall(r"^### (\w+)\n(.*?)(?=^### |\Z)", section.group(0), re.S | re.M)
        if section
        else []
    )
    blocks[database] = block.split("\n", 1)[1]
    intro = f"""{SECTION}

Benchmark: `python bench/reports_grid_bench.py` (add `DATABASE_URL=postgres://...` for
PostgreSQL). A synthetic collaborative of {r["teams"]} teams x {r["months"]} months: a report per
team and month (on time, late, skipped or missing) with the self-score, two faculty scores and
the agreed score, 10 measure values per team and month, and 10 PDSA cycles per team. The query
count is pinned in
`breakthrough/reports/tests/test_console.py`.

"""
    return intro + "\n".join(f"### {db}\n{blocks[db].strip()}\n" for db in sorted(blocks))


def write_section(path: Path, text: str) -> None:
    """Replace (or append) the "Action periods" section of docs/performance.md."""
    current = path.read_text() if path.exists() else "# Performance\n\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        current = pattern.sub(lambda _m: text, current)
    else:
        current = current.rstrip("\n") + "\n\n" + text
    path.write_text(current)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--teams", type=int, default=100)
    parser.add_argument("--months", type=int, default=18)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="Print, do not update the doc.")
    args = parser.parse_args()
    setup_django()
    r = run(args.teams, args.months, args.rounds)
    verdict = "met" if r["page_median"] <= TARGET_MS else "MISSED"
    cells = r["teams"] * r["months"]
    page = f"{r['page_median']:.0f} ms | {r['page_best']:.0f} ms"
    grid = f"{r['grid_median']:.0f} ms | {r['grid_best']:.0f} ms"
    block = f"""### {r["database"]}

Median of {r["rounds"]} rounds after a warm-up; {platform.processor() or platform.machine()},
{os.cpu_count()} cores, load average {r["load"]:.1f} while measuring (other work on the same
machine slows every figure); Python {platform.python_version()}.

| what | median | best |
|---|---|---|
| faculty console page, server time (`/c/<slug>/console/`, {cells} cells) | {page} |
| the grid computation alone (`reports.grid.build_grid`) | {grid} |
| CSV export of the grid | {r["csv_median"]:.0f} ms | |

{r["queries"]} queries per page whatever the number of teams and months; HTML
{r["bytes"] / 1024:.0f} KB; target under {TARGET_MS:.0f} ms of server time: {verdict}.
"""
    text = section_with(ROOT / "docs" / "performance.md", r["database"], block, r)
    print(text)
    if not args.no_write:
        write_section(ROOT / "docs" / "performance.md", text)
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    sys.exit(main())
