"""The chart pages: who may see and change each page and action, and that the page shows the
same spec and numbers as the rendered chart and the exports."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from breakthrough.measures import charts
from breakthrough.measures.models import ChartNote, ChartPhase, TeamMeasure

from .chart_helpers import FLAT, SHIFT, enter, months, standing

S = "testbsc"


@pytest.fixture
def w(world):
    enter(world, world.team_a, SHIFT)
    enter(world, world.team_b, FLAT)
    return world


def chart_url(name="team_chart", team="alder", code="M1", *extra):
    return reverse(f"measures:{name}", args=[S, team, code, *extra])


# who -> expected status; sharing on (the default)
READ = {
    "alice": 200,
    "bob": 200,
    "carol": 200,
    "fran": 200,
    "dina": 200,
    "olga": 404,
    "anon": 302,
}
READ_SHARING_OFF = {**READ, "carol": 403}
WRITE = {"alice": 302, "bob": 302, "carol": 403, "fran": 302, "dina": 302, "olga": 404}
GOAL = {"alice": 302, "bob": 403, "carol": 403, "fran": 302, "dina": 302, "olga": 404}


@pytest.mark.parametrize("who", list(READ))
def test_team_chart_page_access(w, who):
    assert w.client(who).get(chart_url()).status_code == READ[who]


@pytest.mark.parametrize("who", list(READ_SHARING_OFF))
def test_team_chart_page_access_sharing_off(w, who):
    w.collaborative.teams_share_work = False
    w.collaborative.save()
    assert w.client(who).get(chart_url()).status_code == READ_SHARING_OFF[who]
    assert (
        w.client(who).get(reverse("measures:team_export", args=[S, "alder", "csv"])).status_code
        == READ_SHARING_OFF[who]
    )


@pytest.mark.parametrize("who", list(WRITE))
def test_note_and_phase_access(w, who):
    period = months(w, 24)[3]
    r = w.client(who).post(
        chart_url("note_add"), {"note-period": period.pk, "note-text": f"note by {who}"}
    )
    assert r.status_code == WRITE[who]
    assert ChartNote.objects.filter(text=f"note by {who}").exists() == (WRITE[who] == 302)
    r = w.client(who).post(
        chart_url("phase_add"),
        {"phase-kind": "phase", "phase-period": period.pk, "phase-reason": who},
    )
    assert r.status_code == WRITE[who]
    assert ChartPhase.objects.filter(reason=who).exists() == (WRITE[who] == 302)


def test_anonymous_may_change_nothing(w):
    period = months(w, 24)[3]
    c = w.client("anon")
    assert (
        c.post(chart_url("note_add"), {"note-period": period.pk, "note-text": "x"}).status_code
        == 302
    )
    assert (
        c.post(chart_url("goal_set"), {"goal_override": 1, "goal_reason": "x"}).status_code == 302
    )
    assert not ChartNote.objects.exists()
    assert w.client("alice").get(chart_url("note_add")).status_code == 405


@pytest.mark.parametrize("who", list(GOAL))
def test_team_goal_access(w, who):
    r = w.client(who).post(chart_url("goal_set"), {"goal_override": "60", "goal_reason": who})
    assert r.status_code == GOAL[who]
    tm = TeamMeasure.objects.get(team=w.team_a, measure=w.measure)
    assert (tm.goal_override == 60) == (GOAL[who] == 302)


def test_edit_delete_note_and_withdraw_phase(w):
    period = months(w, 24)[3]
    c = w.client("bob")
    c.post(chart_url("note_add"), {"note-period": period.pk, "note-text": "Clerk away"})
    note = ChartNote.objects.get()
    r = c.post(
        chart_url("note_edit", "alder", "M1", note.pk),
        {"text": "Clerk on leave", "edit_version": 1},
    )
    assert r.status_code == 302
    note.refresh_from_db()
    assert note.text == "Clerk on leave" and note.history.count() == 2
    # a stale edit is refused and says what the note now reads
    r = c.post(
        chart_url("note_edit", "alder", "M1", note.pk),
        {"text": "Mine", "edit_version": 1},
        follow=True,
    )
    assert "Someone else changed this note" in r.content.decode()
    assert "Clerk on leave" in r.content.decode()
    assert (
        w.client("carol")
        .post(chart_url("note_edit", "alder", "M1", note.pk), {"delete": "1"})
        .status_code
        == 403
    )
    c.post(chart_url("note_edit", "alder", "M1", note.pk), {"delete": "1"})
    assert not ChartNote.objects.exists()
    c.post(
        chart_url("phase_add"),
        {"phase-kind": "baseline", "phase-period": period.pk, "phase-reason": "Pre"},
    )
    phase = ChartPhase.objects.get()
    assert phase.recorded_by == w.bob
    assert (
        w.client("carol").post(chart_url("phase_withdraw", "alder", "M1", phase.pk)).status_code
        == 403
    )
    c.post(chart_url("phase_withdraw", "alder", "M1", phase.pk))
    phase.refresh_from_db()
    assert phase.withdrawn
    page = c.get(chart_url()).content.decode()
    assert "withdrawn" in page


def test_form_errors_say_what_is_wrong(w):
    r = w.client("bob").post(
        chart_url("phase_add"), {"phase-kind": "phase", "phase-reason": ""}, follow=True
    )
    html = r.content.decode()
    assert "Month: This field is required." in html
    assert "Why: This field is required." in html
    r = w.client("alice").post(chart_url("goal_set"), {"goal_override": "60"}, follow=True)
    assert "Say why the team" in r.content.decode()


def test_page_shows_the_same_spec_as_the_pdf(w):
    html = w.client("alice").get(chart_url()).content.decode()
    found = re.search(r'<script id="team-chart-spec" type="application/json">(.*?)</script>', html)
    vega = json.loads(found.group(1))
    [spec] = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "alice"))
    assert vega == json.loads(json.dumps(spec.vega))
    svg = charts.render_chart(vega)
    assert svg == charts.render_chart(spec)
    # the table view shows the spec's numbers
    last = spec.rows[-1]
    assert f"{last['value']:.1f}" in html and f"{last['centre']:.1f}" in html
    assert "Operational definition" in html and w.measure.definition in html
    assert reverse("measures:chart_js") in html


def test_page_offers_the_suggested_phase_without_applying_it(w):
    from datetime import date

    from breakthrough.pdsa.tests import helpers as pdsa

    cycle = pdsa.to_study(pdsa.plan(w), start=date(2024, 9, 2))
    pdsa.decide(pdsa.to_decided(cycle), decision="adopt", on=date(2024, 10, 20))
    html = w.client("alice").get(chart_url()).content.decode()
    assert "Start a new phase from Nov 2024" in html
    assert not ChartPhase.objects.exists()
    html = w.client("carol").get(chart_url()).content.decode()  # reads, may not change
    assert "Consider a new phase" in html and "Start a new phase" not in html
    # choosing it records the phase, with who and why
    found = re.search(
        r'name="phase-period" value="(\d+)"', w.client("alice").get(chart_url()).content.decode()
    )
    w.client("alice").post(
        chart_url("phase_add"),
        {
            "phase-kind": "phase",
            "phase-period": found.group(1),
            "phase-reason": "Sustained improvement after PDSA 1.1 cycle 1 was adopted.",
        },
    )
    phase = ChartPhase.objects.get()
    assert phase.period.label == "Nov 2024" and phase.recorded_by == w.alice
    html = w.client("alice").get(chart_url()).content.decode()
    assert "Start a new phase" not in html


def test_small_counts_hidden_on_the_page_for_other_teams(world):
    enter(world, world.team_a, [3, 8, 9, 7, 10, 9], denominators=[12, 20, 20, 20, 20, 20])
    html = world.client("carol").get(chart_url()).content.decode()
    assert "&lt;5" in html and "Counts below 5 are hidden" in html
    html = world.client("alice").get(chart_url()).content.decode()
    assert "Counts below 5" not in html


def test_chart_js_bundle_is_served_from_the_package(w):
    r = w.client("anon").get(reverse("measures:chart_js"))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/javascript")
    assert b"window.vegaEmbed" in r.content


DASH = {"alice": 200, "carol": 200, "fran": 200, "dina": 200, "olga": 404, "anon": 302}


@pytest.mark.parametrize("who", list(DASH))
def test_dashboard_access(w, who):
    r = w.client(who).get(reverse("measures:dashboard", args=[S, "M1"]))
    assert r.status_code == DASH[who]
    r = w.client(who).get(reverse("measures:dashboard_export", args=[S, "M1", "csv"]))
    assert r.status_code == DASH[who]


def test_dashboard_shows_teams_by_sharing(w):
    url = reverse("measures:dashboard", args=[S, "M1"])
    html = w.client("carol").get(url).content.decode()
    assert chart_url(team="alder") in html and chart_url(team="birch") in html
    assert "Improving since Nov 2024" in html
    w.collaborative.teams_share_work = False
    w.collaborative.save()
    html = w.client("carol").get(url).content.decode()
    assert chart_url(team="alder") not in html and chart_url(team="birch") in html
    assert "you see your own team and the pooled figures" in html
    html = w.client("fran").get(url + "?window=12").content.decode()
    assert chart_url(team="alder") in html
    assert 'value="12" selected' in html
    assert w.client("fran").get(url + "?window=x").status_code == 200


def test_team_page_shows_small_charts(w):
    html = w.client("carol").get(reverse("teams:detail", args=[S, "alder"])).content.decode()
    assert 'id="m1-chart-spec"' in html and chart_url() in html
    w.collaborative.teams_share_work = False
    w.collaborative.save()
    html = w.client("carol").get(reverse("teams:detail", args=[S, "alder"])).content.decode()
    assert 'id="m1-chart-spec"' not in html


def test_exports_carry_limits_and_signals(w):
    r = w.client("alice").get(reverse("measures:team_export", args=[S, "alder", "csv"]))
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    [spec] = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "alice"))
    assert len(rows) == 24
    assert rows[-1]["Measure"] == "M1" and rows[-1]["Team"] == "Alder County"
    assert float(rows[-1]["Centre line"]) == spec.rows[-1]["centre"]
    assert float(rows[-1]["Upper limit"]) == spec.rows[-1]["upper"]
    assert rows[-1]["Signal"] == "Improvement"
    r = w.client("fran").get(reverse("measures:dashboard_export", args=[S, "M1", "xlsx"]))
    ws = load_workbook(io.BytesIO(r.content)).active
    values = list(ws.values)
    assert values[0][0] == "Team"
    teams = {row[0] for row in values[1:]}
    assert teams == {"Alder County", "Birch County", "All teams (pooled)"}
    assert (
        w.client("fran")
        .get(reverse("measures:dashboard_export", args=[S, "M1", "doc"]))
        .status_code
        == 404
    )


def test_export_hides_small_counts_for_other_teams(world):
    enter(world, world.team_a, [3, 8, 9, 7, 10, 9], denominators=[12, 20, 20, 20, 20, 20])
    r = world.client("carol").get(reverse("measures:team_export", args=[S, "alder", "csv"]))
    first = next(csv.DictReader(io.StringIO(r.content.decode())))
    assert first["Value"] == "suppressed (small count)" and first["Numerator"] == ""
