"""Idea statuses, component roll-ups, chart annotations and quality flags, derived from cycles."""

from datetime import date, timedelta

from django.utils import timezone

from breakthrough.changes.actions import do_draft_package, do_publish_package
from breakthrough.changes.models import ChangeNode
from breakthrough.pdsa import actions
from breakthrough.pdsa.annotations import chart_annotations
from breakthrough.pdsa.models import PDSACycle
from breakthrough.pdsa.quality import flag_map, with_flag_data
from breakthrough.pdsa.status import component_statuses, idea_statuses

from .helpers import decide, plan, to_decided


def status(world, team=None, node=None):
    team, node = team or world.team_a, node or world.idea
    s = idea_statuses([world.team_a.pk, world.team_b.pk]).get((team.pk, node.pk))
    return s.status if s else "not_started"


def test_statuses_follow_the_cycles(world):
    assert status(world) == "not_started"
    first = plan(world)
    assert status(world) == "testing"
    first, second = decide(first, "adapt")
    s = idea_statuses([world.team_a.pk])[(world.team_a.pk, world.idea.pk)]
    assert (s.status, s.cycles, s.ramps) == ("testing", 2, 1)
    assert (s.predictions, s.confirmed, s.partly, s.confirmed_share) == (1, 0, 1, 0.5)
    second, _ = decide(second, "adopt", on=date(2024, 3, 1))
    s = idea_statuses([world.team_a.pk])[(world.team_a.pk, world.idea.pk)]
    assert s.status == "implementing" and s.adopted_on == date(2024, 3, 1) and s.cycles == 2
    # A later cycle takes the adopted change further: spreading.
    third = plan(world, title="Spread to the night shift", purpose="implement")
    third.start = date(2024, 4, 2)
    third.save(update_fields=["start"])
    assert status(world) == "spreading"
    assert status(world, world.team_b) == "not_started"


def test_abandoned_only_when_every_ramp_is_abandoned(world):
    decide(plan(world), "abandon")
    assert status(world) == "abandoned"
    plan(world, title="Try it by phone")
    assert status(world) == "testing"


def test_component_roll_up(world):
    other_idea = ChangeNode.objects.create(
        package=world.package, parent=world.component, kind="idea", code="1.2", title="Flag"
    )
    decide(plan(world), "adopt")
    decide(plan(world, nodes=[other_idea]), "abandon")
    rolled = component_statuses(world.team_a.pk)[world.component.pk]
    assert rolled.status == "implementing" and rolled.ideas == 2 and rolled.cycles == 2
    assert rolled.by_status["implementing"] == 1 and rolled.by_status["abandoned"] == 1
    assert component_statuses(world.team_b.pk)[world.component.pk].status == "not_started"


def test_cycles_count_for_the_same_idea_in_a_new_version(world):
    decide(plan(world), "adopt")
    draft = do_draft_package(world.package, version="2.0")
    new_idea = draft.nodes.get(lineage=world.idea)
    assert idea_statuses([world.team_a.pk], draft)[(world.team_a.pk, new_idea.pk)].status == (
        "implementing"
    )
    do_publish_package(draft)
    # The default package is now v2.0: keys are its node ids.
    assert (world.team_a.pk, new_idea.pk) in idea_statuses([world.team_a.pk])


def test_chart_annotations_for_starts_and_adoptions(world, django_assert_max_num_queries):
    cycle, _ = decide(plan(world), "adopt", on=date(2024, 2, 20))
    planned_only = plan(world, title="Not started")
    with django_assert_max_num_queries(1):
        notes = chart_annotations([world.team_a.pk, world.team_b.pk], [world.measure.pk])
    assert [(n.kind, n.on) for n in notes] == [
        ("pdsa_start", date(2024, 2, 5)),
        ("pdsa_adopt", date(2024, 2, 20)),
    ]
    assert (
        notes[0].text == "PDSA 1.1 cycle 1 started: CW liaison before detention, 1 officer, 3 youth"
    )
    assert notes[0].url == f"/c/testbsc/pdsas/{cycle.pk}/" and notes[0].cycle_id == cycle.pk
    assert notes[0].team_id == world.team_a.pk and notes[0].measure_id == world.measure.pk
    assert all(n.cycle_id != planned_only.pk for n in notes)
    assert chart_annotations([world.team_b.pk], [world.measure.pk]) == []
    assert chart_annotations([], [world.measure.pk]) == []


def flags(world, cycle):
    qs = with_flag_data(PDSACycle.objects.filter(pk=cycle.pk))
    return {f.code for f in flag_map(qs, world.collaborative)[cycle.pk]}


def test_quality_flags(world, time_machine):
    time_machine.move_to("2024-05-01 12:00")
    no_prediction = plan(world, questions=[{"question": "What happens?"}])
    assert flags(world, no_prediction) == {"no_prediction"}
    lone, _ = decide(plan(world), "adopt", on=date(2024, 4, 20))
    assert flags(world, lone) == {"lone"}
    abandoned, _ = decide(plan(world), "abandon", on=date(2024, 4, 20))
    assert flags(world, abandoned) == set()
    # An adapt never followed up is a lone cycle once 60 days have passed.
    unfollowed, _ = decide(plan(world), "adapt", on=date(2024, 2, 20), start_next=False)
    assert flags(world, unfollowed) == {"lone"}
    recent, _ = decide(plan(world), "adapt", on=date(2024, 4, 20), start_next=False)
    assert flags(world, recent) == set()
    # No results at Study: no data.
    studying = to_decided(plan(world))
    PDSACycle.objects.filter(pk=studying.pk).update(results="", state="studying")
    assert "no_data" in flags(world, studying)
    # Stuck in one stage for more than 60 days.
    stuck = plan(world)
    PDSACycle.objects.filter(pk=stuck.pk).update(
        state_changed_at=timezone.now() - timedelta(days=61)
    )
    assert flags(world, stuck) == {"stuck"}


def test_a_ramp_is_not_lone(world):
    first, second = decide(plan(world), "adapt", on=date(2024, 2, 20))
    second, _ = decide(second, "adopt", on=date(2024, 3, 20))
    assert flags(world, first) == set() and flags(world, second) == set()


def test_flags_count_time_up_to_the_end_of_a_closed_collaborative(world, time_machine):
    time_machine.move_to("2030-01-01 12:00")
    world.collaborative.end = date(2024, 6, 30)
    world.collaborative.save(update_fields=["end"])
    recent, _ = decide(plan(world), "adapt", on=date(2024, 6, 1), start_next=False)
    assert flags(world, recent) == set()


def test_derived_tallies_refresh_on_every_save(world):
    cycle = plan(world)
    actions.do_update_cycle(
        cycle,
        expected_version=cycle.edit_version,
        questions=[
            {"question": "A", "prediction": "a", "outcome": "confirmed"},
            {"question": "B", "prediction": "b", "outcome": "not"},
            {"question": "C", "prediction": "c"},
        ],
    )
    cycle.refresh_from_db()
    assert (cycle.n_predictions, cycle.n_compared, cycle.n_confirmed) == (3, 2, 1)
