"""Benchmark: the change package × team matrix and the PDSA library with 100 teams and 5,000
cycles, through the Django test client (templates included).

    BREAKTHROUGH_DATA_DIR=/tmp/bench-data python bench/pdsa_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python bench/pdsa_bench.py

It builds a fresh database (a new SQLite file in a temporary folder, or a test database
`test_<name>` on PostgreSQL), fills it with `breakthrough.pdsa.synthetic.build`, and prints the
median and the spread of N requests per page, with the number of SQL queries of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "breakthrough.settings")
os.environ.setdefault("BREAKTHROUGH_TESTING", "1")
if "DATABASE_URL" not in os.environ:
    os.environ["BREAKTHROUGH_DATA_DIR"] = tempfile.mkdtemp(prefix="pdsa-bench-")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=100)
    parser.add_argument("--cycles", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from breakthrough.pdsa.synthetic import build

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        started = time.perf_counter()
        s = build(slug="bench", teams=args.teams, cycles=args.cycles)
        built = time.perf_counter() - started
        print(
            f"{connection.vendor}: {args.teams} teams, {s.cycles} cycles built in {built:.1f} s; "
            f"{args.repeat} requests per page"
        )
        pages = [
            ("matrix (faculty, all teams)", s.faculty, "pdsa:matrix", {}),
            ("matrix export CSV", s.faculty, "pdsa:matrix-export", {}),
            ("matrix export XLSX", s.faculty, "pdsa:matrix-export", {}),
            ("library, first page", s.member, "pdsa:library", {}),
            (
                "library, search 'liaison detention'",
                s.member,
                "pdsa:library",
                {"q": "liaison detention"},
            ),
            (
                "library, filters",
                s.faculty,
                "pdsa:library",
                {"decision": "adopt", "state": "decided"},
            ),
        ]
        print(f"{'page':40} {'median ms':>10} {'min':>8} {'max':>8} {'queries':>8} {'KB':>7}")
        for label, person, name, params in pages:
            client = Client()
            client.force_login(person)
            url_args = (
                ["bench", label.rsplit(" ", 1)[-1].lower()] if "export" in label else ["bench"]
            )
            url = reverse(name, args=url_args)
            client.get(url, params)  # warm up caches and templates
            times = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    response = client.get(url, params)
                    times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, (label, response.status_code)
            print(
                f"{label:40} {statistics.median(times):10.0f} {min(times):8.0f} {max(times):8.0f} "
                f"{len(queries):8d} {len(response.content) / 1024:7.0f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
