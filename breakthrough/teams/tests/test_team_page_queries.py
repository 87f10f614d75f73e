"""The team page runs a fixed number of queries, whatever the team's size and history."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from breakthrough.pdsa.actions import do_plan_cycle
from breakthrough.reports.tests.helpers import add_roles, score_and_reconcile, submitted_report
from breakthrough.teams.models import Membership
from breakthrough.test import make_person

pytestmark = pytest.mark.django_db


def page_queries(client, url) -> int:
    client.get(url)  # sessions, caches
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    return len(q.captured_queries)


def test_team_page_queries_do_not_grow_with_members_cycles_and_reports(world):
    add_roles(world)
    client = world.client("alice")
    url = reverse("teams:detail", args=["testbsc", "alder"])
    report = submitted_report(world)
    score_and_reconcile(world, report)
    do_plan_cycle(
        author=world.alice, team=world.team_a, title="t", objective="o", nodes=[world.idea]
    )
    before = page_queries(client, url)
    for i in range(5):
        person = make_person(f"extra{i}", f"Extra {i}")
        Membership.objects.create(
            team=world.team_a, person=person, ended_on="2024-01-01" if i % 2 else None
        )
        do_plan_cycle(
            author=world.alice, team=world.team_a, title=f"t{i}", objective="o", nodes=[world.idea]
        )
    for period in world.periods[1:4]:
        score_and_reconcile(world, submitted_report(world, period=period))
    assert page_queries(client, url) == before
