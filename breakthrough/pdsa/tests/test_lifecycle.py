"""The life cycle of a PDSA cycle: gates that say what is missing, decisions, ramps."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from breakthrough.pdsa import actions
from breakthrough.pdsa.models import PDSACycle, Ramp

from .helpers import decide, plan, to_decided, to_study


def test_plan_creates_cycle_one_of_a_new_ramp(world):
    cycle = plan(world)
    assert cycle.state == "planned" and cycle.cycle_no == 1
    assert cycle.ramp.team == world.team_a and cycle.ramp.change_node == world.idea
    assert list(cycle.nodes.all()) == [world.idea]
    assert list(cycle.measures.all()) == [world.measure]
    assert cycle.n_predictions == 1 and "liaison" in cycle.search_text


def test_plan_needs_a_title_and_a_change_idea(world):
    with pytest.raises(ValidationError, match="at least one change idea"):
        plan(world, nodes=[])
    with pytest.raises(ValidationError, match="title"):
        plan(world, title=" ")
    with pytest.raises(ValidationError, match="not a change"):
        plan(world, nodes=[world.package.nodes.get(kind="principle")])


def test_plan_refuses_nodes_and_measures_of_another_collaborative(world):
    from breakthrough.changes.models import ChangeNode, ChangePackage
    from breakthrough.measures.models import Measure

    other = ChangePackage.objects.create(
        collaborative=world.other_collaborative, version="1.0", title="Other", status="published"
    )
    foreign = ChangeNode.objects.create(package=other, kind="component", title="Foreign")
    with pytest.raises(ValidationError, match="not in this collaborative"):
        plan(world, nodes=[foreign])
    measure = Measure.objects.create(
        collaborative=world.other_collaborative,
        code="X",
        name="X",
        kind="process",
        data_type="count",
    )
    with pytest.raises(ValidationError, match="measure"):
        plan(world, measures=[measure])


def test_do_gate_lists_exactly_what_is_missing(world):
    cycle = actions.do_plan_cycle(
        author=world.alice, team=world.team_a, title="Bare", objective="", nodes=[world.idea]
    )
    with pytest.raises(actions.GateClosed) as gate:
        actions.do_advance_cycle(cycle, to_state="doing")
    problems = " ".join(gate.value.problems)
    assert "objective" in problems
    assert "at least one question" in problems and "prediction" in problems
    assert "task with what, who, when and where" in problems
    assert "data-collection plan" in problems
    assert "scale" in problems
    assert "change idea" not in problems  # the node is there
    cycle.refresh_from_db()
    assert cycle.state == "planned"


def test_do_gate_names_the_question_without_a_prediction_and_the_incomplete_task(world):
    cycle = plan(
        world,
        questions=[{"question": "Q1", "prediction": "P1"}, {"question": "Q2"}],
        tasks=[{"what": "Call", "who": "", "when": "Mon", "where": ""}],
    )
    with pytest.raises(actions.GateClosed) as gate:
        actions.do_advance_cycle(cycle, to_state="doing")
    assert gate.value.problems == [
        "Write a prediction for question 2.",
        "Task 1 needs who and where.",
    ]


def test_gates_move_one_stage_at_a_time_and_set_dates(world, time_machine):
    time_machine.move_to("2024-03-04 10:00")
    cycle = plan(world)
    with pytest.raises(actions.GateClosed, match="one stage at a time"):
        actions.do_advance_cycle(cycle, to_state="studying")
    actions.do_advance_cycle(cycle, to_state="doing")
    cycle.refresh_from_db()
    assert cycle.state == "doing" and cycle.start == date(2024, 3, 4)
    with pytest.raises(actions.GateClosed) as gate:
        actions.do_advance_cycle(cycle, to_state="studying")
    assert gate.value.problems == ["Write what actually happened when you ran the test."]


def test_act_gate_needs_results_compared_with_each_prediction(world):
    cycle = to_study(plan(world))
    with pytest.raises(actions.GateClosed) as gate:
        actions.do_advance_cycle(cycle, to_state="decided")
    assert gate.value.problems == [
        "Record the results: the numbers and what you observed.",
        "Compare the results with prediction 1: confirmed, partly or not?",
        "Write what you learned.",
    ]
    cycle = to_decided(cycle, outcome="confirmed")
    assert cycle.state == "decided" and cycle.n_confirmed == 1 and cycle.confirmed_share == 1


def test_adapt_starts_the_next_cycle_pre_filled(world):
    first = plan(world)
    first, second = decide(first, "adapt")
    assert first.decision == "adapt" and first.decided_on == date(2024, 2, 20)
    assert second.cycle_no == 2 and second.ramp == first.ramp and second.state == "planned"
    assert second.objective == first.objective and second.scale == first.scale
    assert second.questions == [{**first.questions[0], "outcome": "", "comparison": ""}]
    assert second.tasks == first.tasks and second.data_plan == first.data_plan
    assert set(second.nodes.all()) == {world.idea} and set(second.measures.all()) == {world.measure}
    assert first.ramp.status == Ramp.Status.OPEN


def test_expand_without_starting_next_then_start_it_later(world):
    first, none = decide(plan(world), "expand_scale", start_next=False)
    assert none is None
    second = actions.do_start_next_cycle(first, by=world.bob)
    assert second.cycle_no == 2
    with pytest.raises(actions.GateClosed, match="already started"):
        actions.do_start_next_cycle(first)


def test_adopt_and_abandon_close_the_ramp(world):
    cycle, following = decide(plan(world), "adopt")
    assert following is None and cycle.ramp.status == Ramp.Status.ADOPTED
    other, _ = decide(plan(world, title="Paper flag"), "abandon")
    assert other.ramp.status == Ramp.Status.ABANDONED


def test_decision_rules(world):
    cycle = to_decided(plan(world))
    with pytest.raises(actions.GateClosed) as gate:
        actions.do_decide_cycle(cycle, decision="adopt", next_steps="")
    assert gate.value.problems == [
        "Write the next steps.",
        "For adopt, say how the change will be implemented and sustained.",
    ]
    with pytest.raises(actions.GateClosed, match="before the test started"):
        actions.do_decide_cycle(
            cycle, decision="abandon", next_steps="Stop.", decided_on=date(2023, 1, 1)
        )
    planned = plan(world)
    with pytest.raises(actions.GateClosed):
        actions.do_decide_cycle(planned, decision="adapt", next_steps="x")


def test_step_back_reopens_a_decision_unless_a_later_cycle_builds_on_it(world):
    first, second = decide(plan(world), "adapt")
    with pytest.raises(actions.GateClosed, match="Cycle 2 already builds"):
        actions.do_step_back_cycle(first)
    actions.do_delete_cycle(second)
    first = actions.do_step_back_cycle(first)
    assert first.decision == "" and first.state == "decided"
    first = actions.do_step_back_cycle(first)
    assert first.state == "studying"


def test_delete_only_planned_cycles_and_empty_ramps_go(world):
    cycle = plan(world)
    ramp_id = cycle.ramp_id
    actions.do_delete_cycle(cycle)
    assert not Ramp.objects.filter(pk=ramp_id).exists()
    started = to_study(plan(world))
    with pytest.raises(actions.GateClosed, match="Plan stage"):
        actions.do_delete_cycle(started)


def test_update_detects_a_concurrent_edit_and_names_the_fields(world):
    from breakthrough.concurrency import EditConflict

    cycle = plan(world)
    loaded_version = cycle.edit_version
    theirs = PDSACycle.objects.get(pk=cycle.pk)
    actions.do_update_cycle(theirs, expected_version=loaded_version, scale="2 officers")
    mine = PDSACycle.objects.get(pk=cycle.pk)
    with pytest.raises(EditConflict) as conflict:
        actions.do_update_cycle(
            mine, expected_version=loaded_version, scale="5 youth", nodes=[world.component]
        )
    labels = {c.label for c in conflict.value.changes}
    assert labels == {"scale", "change ideas"}
    mine.refresh_from_db()
    assert mine.scale == "2 officers"


def test_clone_copies_the_plan_into_another_team_with_its_origin(world):
    source, _ = decide(plan(world), "adopt")
    clone = actions.do_clone_cycle(source, team=world.team_b, by=world.carol)
    assert clone.team == world.team_b and clone.cloned_from == source and clone.cycle_no == 1
    assert clone.ramp != source.ramp and clone.state == "planned"
    assert clone.objective == source.objective and clone.questions[0]["outcome"] == ""
    assert clone.tasks[0]["who"] == "" and clone.tasks[0]["what"] == "Call the liaison"
    assert clone.results == "" and clone.decision == ""
    assert list(source.clones.all()) == [clone]
