"""Benchmark of the measure charts (pytest-benchmark), through Django's test client.

- The team page with 15 measures x 36 months (small charts of every measure): target 150 ms.
- A team's measure chart page (one chart, its table, notes and phases).
- The collaborative measure page with 100 teams x 36 months (small multiples, pooled chart,
  funnel plot and the teams x measures grid of latest signals): target 300 ms; and the same
  page as the first request after a value changed (the latest signals computed again).

Server time only (routing, access, queries, the SPC engine, Vega-Lite specs, templates); the
browser draws the charts. Run it from the project root::

    python -m pytest bench/measures_charts_bench.py -p no:randomly \
        --benchmark-columns=min,median,max
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mcharts_db python -m pytest \
        bench/measures_charts_bench.py -p no:randomly

The figures are kept in the "Measure charts" section of docs/performance.md.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

TEAMS = 100
MEASURES = 15
MONTHS = 36


@pytest.fixture(scope="module")
def bench_world(django_db_setup, django_db_blocker):
    from django.contrib.auth import get_user_model

    from breakthrough.changes.models import ChangeNode, ChangePackage
    from breakthrough.collaboratives.models import Collaborative, Event, ReportingPeriod, StaffRole
    from breakthrough.measures.models import Measure, MeasureValue, TeamMeasure
    from breakthrough.pdsa.models import PDSACycle, Ramp
    from breakthrough.teams.models import Jurisdiction, Team

    rnd = random.Random(2009)
    with django_db_blocker.unblock():
        c = Collaborative.objects.create(name="Bench", slug="chartbench", phase="active")
        user = get_user_model().objects.create_user(username="chartbench-faculty", password="x")
        StaffRole.objects.create(collaborative=c, person=user, role="faculty")
        periods = []
        for i in range(MONTHS):
            start = date(2007 + (6 + i) // 12, (6 + i) % 12 + 1, 1)
            nxt = date(start.year + start.month // 12, start.month % 12 + 1, 1)
            periods.append(
                ReportingPeriod(
                    collaborative=c,
                    label=f"{start:%b %Y}",
                    start=start,
                    end=nxt - timedelta(days=1),
                    due_on=nxt.replace(day=15),
                )
            )
        periods = ReportingPeriod.objects.bulk_create(periods)
        for k in range(3):
            Event.objects.create(
                collaborative=c,
                kind="learning_session",
                number=k + 1,
                title=f"Learning session {k + 1}",
                start=periods[6 + 10 * k].start + timedelta(days=4),
            )
        teams = Team.objects.bulk_create(
            [
                Team(
                    collaborative=c,
                    jurisdiction=Jurisdiction.objects.create(name=f"County {k}", kind="rural"),
                    name=f"Team {k:03d}",
                    slug=f"t{k:03d}",
                )
                for k in range(TEAMS)
            ]
        )
        types = ["proportion"] * 9 + ["rate"] * 2 + ["count"] * 3 + ["continuous"]
        measures = [
            Measure.objects.create(
                collaborative=c,
                code=f"M{k + 1}",
                name=f"Measure {k + 1}",
                kind="process",
                data_type=types[k],
                multiplier=100 if types[k] == "proportion" else 1,
                unit="%" if types[k] == "proportion" else "",
                direction="up",
                goal=70 if types[k] == "proportion" else None,
                order=k,
            )
            for k in range(MEASURES)
        ]
        TeamMeasure.objects.bulk_create(
            [TeamMeasure(team=t, measure=m) for t in teams for m in measures]
        )
        values = []
        for t in teams:
            for m in measures:
                shift = rnd.random() < 0.3
                for i, p in enumerate(periods):
                    lift = 0.15 if shift and i > 20 else 0
                    if m.data_type in ("proportion", "rate"):
                        den = rnd.randint(10, 60)
                        num = min(den, max(0, round(den * (0.4 + lift + rnd.gauss(0, 0.08)))))
                        values.append(
                            MeasureValue(
                                team=t, measure=m, period=p, numerator=num, denominator=den
                            )
                        )
                    else:
                        values.append(
                            MeasureValue(
                                team=t, measure=m, period=p, value=rnd.randint(0, 20) + lift * 20
                            )
                        )
        MeasureValue.objects.bulk_create(values, batch_size=5000)
        package = ChangePackage.objects.create(
            collaborative=c, version="1.0", title="Bench", status="published"
        )
        node = ChangeNode.objects.create(package=package, kind="idea", code="1.1", title="Idea")
        ramp = Ramp.objects.create(team=teams[0], change_node=node, title="Ramp")
        for k in range(10):
            cycle = PDSACycle.objects.create(
                ramp=ramp,
                team=teams[0],
                cycle_no=k + 1,
                title=f"Cycle {k + 1}",
                start=periods[3 * k + 2].start + timedelta(days=3),
            )
            cycle.measures.set(measures[:3])
        client = Client()
        client.force_login(user)
    return c, teams[0], measures[0], client


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_team_page_15_measures_36_months(benchmark, bench_world):
    c, team, _m, client = bench_world
    url = reverse("teams:detail", args=[c.slug, team.slug])
    _get(client, url)
    response = benchmark.pedantic(_get, args=(client, url), rounds=15, warmup_rounds=1)
    assert response.content.count(b'-chart-spec" type="application/json"') == MEASURES


@pytest.mark.django_db
def test_team_measure_chart_page(benchmark, bench_world):
    c, team, m, client = bench_world
    url = reverse("measures:team_chart", args=[c.slug, team.slug, m.code])
    response = benchmark.pedantic(_get, args=(client, url), rounds=15, warmup_rounds=1)
    assert b"team-chart-spec" in response.content


@pytest.mark.django_db
def test_collaborative_measure_page_100_teams_36_months(benchmark, bench_world):
    c, _team, m, client = bench_world
    url = reverse("measures:dashboard", args=[c.slug, m.code])
    response = benchmark.pedantic(_get, args=(client, url), rounds=7, warmup_rounds=1)
    html = response.content.decode()
    assert "multiples-chart-spec" in html and "funnel-chart-spec" in html
    assert html.count("/teams/t0") >= TEAMS


@pytest.mark.django_db
def test_collaborative_measure_page_after_a_data_change(benchmark, bench_world):
    """The first request after a value changed: the grid's 1,500 latest signals are computed
    again (the cache is keyed by what they depend on)."""
    from django.utils import timezone

    from breakthrough.measures.models import MeasureValue

    c, _team, m, client = bench_world
    url = reverse("measures:dashboard", args=[c.slug, m.code])
    value = MeasureValue.objects.filter(team__collaborative=c).first()

    def change():
        value.entered_at = timezone.now()
        value.save(update_fields=["entered_at"])

    response = benchmark.pedantic(_get, args=(client, url), setup=change, rounds=7)
    assert "funnel-chart-spec" in response.content.decode()
