"""The generated figures equal the same counts queried straight from the data."""

from __future__ import annotations

from collections import Counter

from django.db.models import Sum
from django.urls import reverse

from breakthrough.collaboratives.access import standing_for
from breakthrough.measures.models import MeasureValue
from breakthrough.pdsa.models import PDSACycle
from breakthrough.pdsa.tests.helpers import decide, plan
from breakthrough.publications import content, practice_evidence
from breakthrough.publications.models import FinalReport
from breakthrough.reports.models import Assessment, MonthlyReport


def _evidence(p, who="dina"):
    w = p.world
    return content.final_evidence(w.collaborative, standing_for(getattr(w, who), w.collaborative))


def test_totals_match_the_cycles_table(pworld):
    w = pworld.world
    # One more adapted cycle for team A (adapting plans its next cycle too).
    extra = plan(w, title="Second try")
    decide(extra, "adapt")
    ev = _evidence(pworld)
    cycles = PDSACycle.objects.filter(team__collaborative=w.collaborative)
    assert ev.totals["cycles"] == cycles.count() == 4
    assert ev.totals["ramps"] == cycles.values("ramp").distinct().count()
    decisions = Counter(cycles.exclude(decision="").values_list("decision", flat=True))
    assert ev.totals["decisions"] == {d: decisions.get(d, 0) for d in ("adopt", "adapt", "abandon")}
    assert ev.totals["decisions"] == {"adopt": 1, "adapt": 1, "abandon": 1}
    assert ev.totals["teams_adopting"] == 1
    [comp] = ev.components
    assert comp.node == w.component
    [idea] = comp.ideas
    assert idea.node == w.idea
    assert idea.teams_tested == cycles.values("team").distinct().count() == 2
    assert idea.cycles == PDSACycle.objects.filter(nodes=w.idea).distinct().count()
    assert idea.by_status["implementing"] + idea.by_status["spreading"] == 1
    assert idea.by_status["abandoned"] == 1
    assert [cy.pk for cy in comp.examples] == [pworld.adopted.pk]
    profiles = {pr.team.slug: pr for pr in ev.profiles}
    assert profiles["alder"].cycles == cycles.filter(team=w.team_a).count() == 3
    assert profiles["alder"].ideas_adopted == 1
    assert profiles["birch"].ideas_adopted == 0
    assert profiles["alder"].people == 2 and profiles["birch"].people == 1


def test_measure_summary_pools_the_latest_month(pworld):
    w = pworld.world
    [summary] = _evidence(pworld).measures
    latest = MeasureValue.objects.filter(measure=w.measure, period=w.periods[-1], stratum="")
    sums = latest.aggregate(n=Sum("numerator"), d=Sum("denominator"))
    assert (summary.numerator, summary.denominator) == (sums["n"], sums["d"]) == (4, 12)
    assert summary.teams == latest.count() == 2
    assert summary.period == w.periods[-1]
    assert summary.shown == "33% (4/12)"


def test_public_view_hides_small_pooled_counts(pworld):
    w = pworld.world
    [summary] = content.final_evidence(
        w.collaborative, standing_for(None, w.collaborative)
    ).measures
    assert summary.suppressed and summary.numerator is None
    assert summary.shown == "small count, hidden"
    pworld.report.status = FinalReport.Status.PUBLISHED
    pworld.report.public_page = True
    pworld.report.save()
    page = w.client("anon").get(reverse("publications:public", args=["testbsc"])).content.decode()
    assert "small count, hidden" in page
    assert "4/12" not in page
    staff = w.client("dina").get(reverse("publications:final", args=["testbsc"])).content.decode()
    assert "33% (4/12)" in staff


def test_score_trajectory_is_the_mean_of_each_month(pworld):
    w = pworld.world
    for team, self_score, agreed in ((w.team_a, "3.0", "2.5"), (w.team_b, "4.0", "3.5")):
        r = MonthlyReport.objects.create(team=team, period=w.periods[1], state="submitted")
        Assessment.objects.create(report=r, kind="self", score=self_score)
        Assessment.objects.create(report=r, kind="reconciled", score=agreed)
    ev = _evidence(pworld)
    [(key, _label, self_mean, agreed_mean)] = ev.trajectory_points
    assert key == f"{w.periods[1].start:%Y-%m}"
    assert (str(self_mean), str(agreed_mean)) == ("3.50", "3.00")
    assert ev.trajectory is not None and "<svg" in ev.trajectory.svg
    assert {p.team.slug: p.latest_score for p in ev.profiles} == {
        "alder": Assessment.objects.get(report__team=w.team_a, kind="reconciled").score,
        "birch": Assessment.objects.get(report__team=w.team_b, kind="reconciled").score,
    }
    assert (ev.teams_scored, ev.teams_at_4) == (2, 0)


def test_the_page_shows_the_same_figures(pworld):
    w = pworld.world
    html = w.client("dina").get(reverse("publications:final", args=["testbsc"])).content.decode()
    cycles = PDSACycle.objects.filter(team__collaborative=w.collaborative).count()
    assert f'data-figure="cycles">{cycles}<' in html
    assert f'data-figure="idea-teams-{w.idea.pk}">2<' in html
    assert 'data-figure="adopt">1<' in html
    assert f'data-figure="team-cycles-alder">{cycles - 1}<' in html
    assert "Daily matching finds every crossover youth." in html


def test_practice_provenance_lists_adopted_cycles_and_teams(pworld):
    w = pworld.world
    ev = practice_evidence.practice_evidence(pworld.model, standing_for(w.dina, w.collaborative))
    e = ev[pworld.practice.pk]
    assert [cy.pk for cy in e.adopted] == list(
        PDSACycle.objects.filter(nodes=w.idea, decision="adopt").values_list("pk", flat=True)
    )
    assert e.teams == [w.team_a.name]
    assert e.lessons == [pworld.lesson]
    assert e.fidelity == w.measure
