"""The faculty console: submission states, scores, filters, exports, a pinned query count."""

import csv
import io
from datetime import UTC, date, datetime

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from breakthrough.collaboratives.access import standing_for
from breakthrough.reports.actions import do_skip_report, do_start_report
from breakthrough.reports.grid import build_grid
from breakthrough.reports.models import MonthlyReport
from breakthrough.teams.models import Jurisdiction, Team

from .helpers import score_and_reconcile, submitted_report

S = "testbsc"


def test_submission_states_of_the_grid(rworld):
    p = rworld.periods
    with time_machine.travel(datetime(2024, 2, 10, 15, tzinfo=UTC), tick=False):
        on_time = submitted_report(rworld, period=p[0])
    with time_machine.travel(datetime(2024, 2, 20, 15, tzinfo=UTC), tick=False):
        submitted_report(rworld, team=rworld.team_b, by=rworld.carol, period=p[0])
    do_skip_report(rworld.team_a, p[1], by=rworld.alice, reason="On leave")
    do_start_report(rworld.team_b, p[1], by=rworld.carol)  # a draft past its due date
    late_joiner = Team.objects.create(
        collaborative=rworld.collaborative,
        jurisdiction=Jurisdiction.objects.create(name="Cedar County", kind="rural"),
        name="Cedar County",
        slug="cedar",
        joined_on=date(2024, 3, 1),
    )
    score_and_reconcile(rworld, on_time, "2.0", "2.0", "2.0")
    with time_machine.travel(datetime(2024, 4, 1, 15, tzinfo=UTC), tick=False):
        grid = build_grid(standing_for(rworld.fran, rworld.collaborative))
    rows = {r.team.slug: r for r in grid.rows}
    a, b, cedar = rows["alder"].cells, rows["birch"].cells, rows[late_joiner.slug].cells
    assert [c.submission for c in a[:4]] == ["on_time", "skipped", "open", "open"]
    assert [c.submission for c in b[:3]] == ["late", "missing", "open"]
    assert [c.submission for c in cedar[:3]] == ["not_expected", "not_expected", "open"]
    assert (a[0].self_score, a[0].faculty_score, a[0].gap) == (2.5, 2.0, False)
    assert [c.team.slug for c in grid.awaiting] == ["birch"]
    assert rows["alder"].compliance == 100 and rows["birch"].compliance == 50
    assert grid.at_four_share[0][1] == 0
    # A scorer who has not scored a report does not see its self-assessment in the grid.
    grid = build_grid(standing_for(rworld.vic, rworld.collaborative))
    birch = next(r for r in grid.rows if r.team.slug == "birch").cells[0]
    assert birch.self_score is None and birch.self_hidden


def test_console_page_filters_and_links(rworld):
    submitted_report(rworld)
    client = rworld.client("dina")
    page = client.get(reverse("reports:console", args=[S])).content.decode()
    assert "Alder County" in page and "Birch County" in page
    assert reverse("reports:detail", args=[S, "alder", "2024-01"]) in page
    assert "Awaiting scoring (1)" in page and "your score needed" in page
    page = client.get(
        reverse("reports:console", args=[S]), {"team": rworld.team_b.pk, "from": "2024-03"}
    ).content.decode()
    assert "Alder County" not in page.split("Team grid")[1] and "Jan 24" not in page
    # The coach can narrow the grid to the teams they coach.
    rworld.collaborative.staff_roles.get(person=rworld.cody).teams.set([rworld.team_b])
    cody = rworld.client(None)
    cody.force_login(rworld.cody)
    page = cody.get(reverse("reports:console", args=[S]), {"coach": "me"}).content.decode()
    grid = page.split("Team grid")[1]
    assert "Birch County" in grid and "Alder County" not in grid


def test_exports_csv_and_xlsx(rworld):
    report = submitted_report(rworld, score="3.0")
    score_and_reconcile(rworld, report, "2.0", "2.0", "2.0")
    client = rworld.client("fran")
    r = client.get(reverse("reports:console-export", args=[S]), {"format": "csv"})
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert len(rows) == 2 * 6
    alder_jan = next(x for x in rows if x["team"] == "Alder County" and x["period"] == "Jan 2024")
    assert alder_jan["self_score"] == "3.0" and alder_jan["faculty_score"] == "2.0"
    assert alder_jan["gap_flag"] == "yes"
    r = client.get(reverse("reports:console-export", args=[S]), {"format": "xlsx"})
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.active
    assert ws.max_row == 1 + 12 and ws.cell(1, 1).value == "team"


def _add_teams(world, n):
    start = Team.objects.count()
    for i in range(start, start + n):
        j = Jurisdiction.objects.create(name=f"Extra {i}", kind="rural")
        team = Team.objects.create(
            collaborative=world.collaborative, jurisdiction=j, name=f"Extra {i}", slug=f"extra-{i}"
        )
        for period in world.periods[:3]:
            MonthlyReport.objects.create(
                team=team, period=period, state="submitted", first_submitted_at=datetime.now(UTC)
            )


def test_console_query_count_does_not_grow_with_teams(rworld, django_assert_max_num_queries):
    submitted_report(rworld)
    _add_teams(rworld, 3)
    client = rworld.client("dina")
    url = reverse("reports:console", args=[S])
    client.get(url)  # warm the session
    # 17 for the console (one reads the months' measure-data submission states), up to 4 for the latest chart signals (teams, fingerprint, codes; values
    # and phases when the cached statuses are stale).
    with django_assert_max_num_queries(21) as small:
        client.get(url)
    _add_teams(rworld, 20)
    with django_assert_max_num_queries(21) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
