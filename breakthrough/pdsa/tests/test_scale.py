"""The matrix and the library with 100 teams and 5,000 cycles: the number of queries is pinned
and the same as with 3 teams and 12 cycles (no N+1). Timings: bench/pdsa_bench.py."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from breakthrough.pdsa.synthetic import build

MAX_QUERIES = 13
PAGES = [
    ("matrix", "faculty", {}),
    ("matrix", "member", {"tested_only": "on"}),
    ("library", "member", {}),
    ("library", "member", {"q": "liaison detention"}),
    ("library", "faculty", {"decision": "adopt", "state": "decided", "date_from": "2020-06-01"}),
]


def query_counts(s) -> dict:
    counts = {}
    for name, who, params in PAGES:
        client = Client()
        client.force_login(getattr(s, who))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"pdsa:{name}", args=[s.collaborative.slug]), params)
        assert response.status_code == 200
        counts[(name, who, str(params))] = len(queries)
    return counts


def test_matrix_and_library_query_counts_do_not_grow_with_the_data(db):
    small = query_counts(build(slug="small", teams=3, cycles=12))
    big_world = build(slug="big", teams=100, cycles=5000)
    big = query_counts(big_world)
    assert big == small
    assert max(big.values()) <= MAX_QUERIES, big

    client = Client()
    client.force_login(big_world.faculty)
    html = client.get(reverse("pdsa:matrix", args=["big"])).content.decode()
    assert html.count('<th scope="col" class="team">') == 100
    client.force_login(big_world.member)
    page = client.get(reverse("pdsa:library", args=["big"]))
    assert page.context["page"].paginator.count == 5000
    assert page.content.decode().count('<li class="card">') == 20

    client.force_login(big_world.faculty)
    with CaptureQueriesContext(connection) as queries:
        csv = client.get(reverse("pdsa:matrix-export", args=["big", "csv"])).content.decode()
    assert len(queries) <= MAX_QUERIES
    rows = csv.splitlines()
    assert len(rows) == 1 + 42 + 1  # header, 7 components × 6 ideas, totals
    assert sum(int(x) for x in rows[-1].split(",")[4::2]) == 5000  # every cycle counted once
