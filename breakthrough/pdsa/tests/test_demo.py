"""The demo's tests of change (DEMO.md §8, §10): ramps per team, the worked example, the
lone-cycle flags, annotations, the seven lessons and the v2.0 draft."""

from datetime import date

import pytest

from breakthrough.changes.models import ChangePackage, Lesson
from breakthrough.demodata import DemoContext, foundation
from breakthrough.demodata import pdsa as demo_pdsa
from breakthrough.pdsa.annotations import chart_annotations
from breakthrough.pdsa.models import PDSACycle, Ramp
from breakthrough.pdsa.status import idea_statuses


@pytest.mark.django_db
def test_the_demo_tests_of_change():
    """One load of the demo (its own acceptance checks run too), then each part in turn."""
    ctx = DemoContext(seed=20080701, password="breakthrough-demo", log=lambda _: None)
    foundation.seed(ctx)
    demo_pdsa.seed(ctx)  # raises DemoError if counts, lone flags or dates are off
    for check in (
        ramps_per_team_as_the_table_says,
        worked_example,
        adoptions_annotate_the_linked_measures,
        statuses_of_the_demo,
        lessons_and_the_v2_draft,
    ):
        check(ctx)


def ramps_per_team_as_the_table_says(ctx):
    counts = {code: PDSACycle.objects.filter(team=t).count() for code, t in ctx.teams.items()}
    assert counts == {"BW": 13, "AG": 9, "SB": 8, "CV": 11, "FD": 10, "GP": 8, "CL": 9}
    assert not PDSACycle.objects.filter(team=ctx.teams["SB"], start__lt=date(2009, 2, 1)).exists()
    open_at_close = PDSACycle.objects.filter(team__collaborative=ctx.collaborative).exclude(
        state="decided"
    )
    assert {(c.team.code, c.ramp.change_node.code, c.cycle_no) for c in open_at_close} == {
        ("AG", "2.1", 4),
        ("GP", "2.1", 2),
    }
    assert (
        Ramp.objects.get(team=ctx.teams["BW"], change_node=ctx.nodes["1.2"]).status == "abandoned"
    )


def worked_example(ctx):
    cycle = PDSACycle.objects.get(
        team=ctx.teams["BW"], ramp__change_node=ctx.nodes["1.3"], cycle_no=1
    )
    assert cycle.objective == (
        "Does calling the CW liaison before a detention decision change decisions for youth "
        "with an open CW case?"
    )
    assert [q["prediction"] for q in cycle.questions] == [
        "3 of 3 calls answered within 15 minutes",
        "At least 1 of 3 youth returned to placement instead of detained",
    ]
    assert cycle.tasks[0]["who"] == "Tom Kessler, intake officer, day shift"
    assert cycle.tasks[0]["when"] == "3 Nov – 7 Nov 2008"
    assert cycle.do_notes == "2 calls answered in 10 minutes, 1 after 40 (liaison in court)."
    assert cycle.results.startswith("2 of 3 met the prediction")
    assert (
        cycle.decision == "adapt"
        and cycle.next_steps == "Add a backup number; run a full week of day shifts."
    )


def adoptions_annotate_the_linked_measures(ctx):
    bw = ctx.teams["BW"]
    notes = chart_annotations([bw.pk], [ctx.measures["M3"].pk])
    assert (
        notes[0].text == "PDSA 1.3 cycle 1 started: CW liaison before detention, 1 officer, 3 youth"
    )
    adoptions = [(n.on, n.text) for n in notes if n.kind == "pdsa_adopt"]
    assert adoptions == [
        (date(2009, 4, 28), "PDSA 1.3 cycle 4 adopted: CW liaison before detention, all shifts")
    ]
    m1 = chart_annotations([bw.pk], [ctx.measures["M1"].pk])
    assert [n.on.strftime("%Y-%m") for n in m1 if n.kind == "pdsa_adopt"] == ["2008-11"]


def statuses_of_the_demo(ctx):
    teams = [t.pk for t in ctx.teams.values()]
    statuses = idea_statuses(teams)

    def status(team, idea):
        s = statuses.get((ctx.teams[team].pk, ctx.nodes[idea].pk))
        return s.status if s else "not_started"

    assert status("BW", "1.1") == "implementing" and status("BW", "1.2") == "abandoned"
    assert status("AG", "1.1") == "abandoned" and status("AG", "2.1") == "testing"
    assert status("GP", "2.1") == "testing"  # the video ramp was abandoned, the phone one is open
    assert status("SB", "1.1") == "not_started"


def lessons_and_the_v2_draft(ctx):
    lessons = Lesson.objects.filter(collaborative=ctx.collaborative)
    assert lessons.count() == 7
    assert lessons.filter(status="endorsed").count() == 6
    draft = lessons.get(status="draft")
    assert draft.statement == "Tests stall without a senior leader at the monthly review."
    assert [t.code for t in draft.teams.all()] == ["AG"]
    first = lessons.get(statement__startswith="Identification holds")
    assert {t.code for t in first.teams.all()} == {"BW", "AG"} and first.cycles.count() == 7
    v2 = ChangePackage.objects.get(collaborative=ctx.collaborative, version="2.0")
    assert v2.status == "draft" and v2.based_on.version == "1.0"
    assert v2.nodes.get(code="1.2").retired
    assert v2.nodes.get(code="7.6").lineage is None
    match = v2.nodes.get(lineage=ctx.nodes["1.1"])
    assert match.title.startswith("Nightly automated match") and "Lesson 1" in match.evidence_notes
