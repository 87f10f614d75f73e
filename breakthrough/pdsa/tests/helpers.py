"""Shared steps for the PDSA tests: a complete plan, and a cycle walked through its gates."""

from __future__ import annotations

from datetime import date

from breakthrough.pdsa import actions
from breakthrough.pdsa.models import PDSACycle

QUESTIONS = [
    {
        "question": "Are calls to the liaison answered quickly?",
        "prediction": "3 of 3 calls answered within 15 minutes",
    }
]
TASKS = [
    {"what": "Call the liaison", "who": "Intake officer", "when": "3-7 Nov", "where": "Intake"}
]


def plan(world, team=None, *, author=None, title="CW liaison before detention", **extra):
    team = team or world.team_a
    kwargs = dict(
        author=author or world.alice,
        team=team,
        title=title,
        objective="Does calling the CW liaison change detention decisions?",
        nodes=[world.idea],
        scale="1 officer, 3 youth",
        questions=QUESTIONS,
        tasks=TASKS,
        data_plan="Tally of call, answer and decision times.",
        measures=[world.measure],
    )
    kwargs.update(extra)
    return actions.do_plan_cycle(**kwargs)


def to_study(cycle: PDSACycle, start=date(2024, 2, 5)) -> PDSACycle:
    cycle.start = start
    cycle.save(update_fields=["start"])
    actions.do_advance_cycle(cycle, to_state="doing")
    cycle.refresh_from_db()
    cycle.do_notes = "2 calls answered in 10 minutes, 1 after 40."
    cycle.save(update_fields=["do_notes"])
    actions.do_advance_cycle(cycle, to_state="studying")
    cycle.refresh_from_db()
    return cycle


def to_decided(cycle: PDSACycle, outcome="partly") -> PDSACycle:
    cycle = to_study(cycle) if cycle.state in ("planned", "doing") else cycle
    cycle.results = "2 of 3 answered in time; 1 youth returned to placement."
    cycle.learned = "A backup number is needed when the liaison is in court."
    cycle.questions = [{**q, "outcome": outcome} for q in cycle.questions]
    cycle.save(update_fields=["results", "learned", "questions"])
    actions.do_advance_cycle(cycle, to_state="decided")
    cycle.refresh_from_db()
    return cycle


def decide(cycle, decision="adapt", on=date(2024, 2, 20), **extra):
    cycle = to_decided(cycle) if cycle.state != "decided" else cycle
    note = "Run it on every shift." if decision == "adopt" else ""
    return actions.do_decide_cycle(
        cycle,
        decision=decision,
        next_steps="Add a backup number; run a full week.",
        implementation_note=note,
        decided_on=on,
        **extra,
    )
