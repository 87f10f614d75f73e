"""Benchmark: the final report as PDF (and DOCX) for the demo collaborative and for a synthetic
collaborative of 100 teams, and a page request served while a final-report PDF is being built.

    BREAKTHROUGH_DATA_DIR=/tmp/bench-data python bench/publications_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python bench/publications_bench.py

It builds a fresh database (a new SQLite file in a temporary folder, or a test database
`test_<name>` on PostgreSQL), loads the demo, builds the synthetic collaborative with
`breakthrough.pdsa.synthetic.build` plus 18 months of measure values, monthly reports, scores,
lessons and convenings, then times each export (median of N runs, with the page count).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "breakthrough.settings")
os.environ.setdefault("BREAKTHROUGH_TESTING", "1")
if "DATABASE_URL" not in os.environ:
    os.environ["BREAKTHROUGH_DATA_DIR"] = tempfile.mkdtemp(prefix="pub-bench-")


def enrich(s, months: int = 18, seed: int = 3) -> None:
    """Give the synthetic collaborative what a final report shows beyond its cycles."""
    from breakthrough.changes.models import ChangeNode, Lesson
    from breakthrough.collaboratives.models import Event, ReportingPeriod, StaffRole
    from breakthrough.measures.models import Measure, MeasureValue
    from breakthrough.pdsa.models import PDSACycle
    from breakthrough.reports.models import Assessment, MonthlyReport

    rng = random.Random(seed)
    c = s.collaborative
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            collaborative=c,
            label=f"{date(2020 + m // 12, m % 12 + 1, 1):%b %Y}",
            start=date(2020 + m // 12, m % 12 + 1, 1),
            end=date(2020 + m // 12, m % 12 + 1, 28),
            due_on=date(2020 + (m + 1) // 12, (m + 1) % 12 + 1, 15),
        )
        for m in range(months)
    )
    measure = Measure.objects.get(collaborative=c, code="M1")
    MeasureValue.objects.bulk_create(
        MeasureValue(
            team=t,
            measure=measure,
            period=p,
            numerator=(n := rng.randint(0, 12)),
            denominator=n + rng.randint(0, 8),
        )
        for t in s.teams
        for p in periods
    )
    reports = MonthlyReport.objects.bulk_create(
        MonthlyReport(team=t, period=p, state="submitted") for t in s.teams for p in periods
    )
    Assessment.objects.bulk_create(
        Assessment(report=r, kind=kind, score=Decimal(rng.choice(range(1, 10))) / 2)
        for r in reports
        for kind in ("self", "reconciled")
    )
    for i, kind in enumerate(["learning_session"] * 3 + ["certificate_program"]):
        Event.objects.create(
            collaborative=c,
            kind=kind,
            number=i + 1,
            title=f"{kind} {i + 1}",
            start=periods[i * 5].start,
        )
    StaffRole.objects.create(collaborative=c, person=s.faculty, role="director")
    ideas = list(ChangeNode.objects.filter(package__collaborative=c, kind="idea")[:12])
    adopted = list(PDSACycle.objects.filter(team__collaborative=c, decision="adopt")[:40])
    for i in range(12):
        lesson = Lesson.objects.create(
            collaborative=c, statement=f"Lesson {i + 1}: what the teams learned.", strength="tested"
        )
        lesson.nodes.set(ideas[i : i + 1])
        lesson.cycles.set(adopted[i * 3 : i * 3 + 3])
        lesson.teams.set({cy.team_id for cy in adopted[i * 3 : i * 3 + 3]})


def timed(fn, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def pages_of(pdf: bytes) -> int:
    """Pages of a PDF, read with poppler's pdfinfo (0 where it is not installed)."""
    import re
    import shutil
    import subprocess

    if not shutil.which("pdfinfo"):
        return 0
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    found = re.search(rb"Pages:\s+(\d+)", info)
    return int(found.group(1)) if found else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=100)
    parser.add_argument("--cycles", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="Write the exported files to DIR.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from breakthrough.collaboratives.access import standing_for
    from breakthrough.demodata import load_demo
    from breakthrough.pdsa.synthetic import build
    from breakthrough.publications import actions, documents
    from breakthrough.publications.models import Build

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        t0 = time.perf_counter()
        load_demo(log=lambda *_: None)
        demo_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        s = build(slug="bench", teams=args.teams, cycles=args.cycles)
        enrich(s)
        actions.do_create_final_report(s.collaborative)
        synth_s = time.perf_counter() - t0
        print(
            f"{connection.vendor}: demo loaded in {demo_s:.1f} s; {args.teams} teams, "
            f"{s.cycles} cycles, 18 months built in {synth_s:.1f} s; {args.repeat} runs each"
        )
        from breakthrough.collaboratives.models import Collaborative

        demo = Collaborative.objects.get(slug="jjcw")
        director = demo.staff_roles.get(role="director").person
        cases = [
            ("demo final report PDF", demo, director, "pdf"),
            ("demo final report DOCX", demo, director, "docx"),
            (f"{args.teams}-team final report PDF", s.collaborative, s.faculty, "pdf"),
            (f"{args.teams}-team final report DOCX", s.collaborative, s.faculty, "docx"),
        ]
        print(f"{'export':34} {'median s':>9} {'min':>7} {'max':>7} {'pages':>6} {'KB':>7}")
        for label, c, person, fmt in cases:
            standing = standing_for(person, c)
            times, data = timed(
                lambda c=c, st=standing, f=fmt: documents.final_report_file(c, st, f), args.repeat
            )
            pages = pages_of(data) if fmt == "pdf" else "—"
            if args.keep:
                Path(args.keep, f"{c.slug}-final-report.{fmt}").write_bytes(data)
            print(
                f"{label:34} {statistics.median(times):9.1f} {min(times):7.1f} {max(times):7.1f} "
                f"{pages!s:>6} {len(data) / 1024:7.0f}"
            )

        # A page served while the 100-team PDF is built in the background thread.
        client = Client()
        client.force_login(s.member)
        url = "/c/bench/storyboards/"
        client.get(url)
        quiet = [timed(lambda: client.get(url), 1)[0][0] for _ in range(5)]
        b = actions.do_request_build(s.collaborative, kind="final", fmt="pdf", by=s.faculty)

        def work(pk: int = b.pk) -> None:
            try:
                actions.run_build(pk)
            finally:
                connection.close()  # the worker thread's own connection (a per-thread proxy)

        worker = threading.Thread(target=work)
        worker.start()
        busy, progress = [], set()
        while worker.is_alive():
            busy.append(timed(lambda: client.get(url), 1)[0][0])
            progress.add(Build.objects.values_list("progress", flat=True).get(pk=b.pk))
            time.sleep(0.2)
        worker.join()
        b.refresh_from_db()
        print(
            f"storyboards page while building: median {statistics.median(busy) * 1000:.0f} ms "
            f"(max {max(busy) * 1000:.0f} ms, {len(busy)} requests) vs "
            f"{statistics.median(quiet) * 1000:.0f} ms idle; build {b.state}, "
            f"{len(progress)} progress steps seen"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
