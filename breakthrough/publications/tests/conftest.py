"""The publications' test world: the shared test base plus cycles, scores, measure values, a
generated final report and a practice model with one practice."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from breakthrough.changes import actions as change_actions
from breakthrough.measures.models import MeasureValue
from breakthrough.pdsa.tests.helpers import decide, plan
from breakthrough.publications import actions


@dataclass
class PubWorld:
    world: object
    adopted: object
    abandoned: object
    report: object
    model: object
    phase: object
    practice: object
    lesson: object


@pytest.fixture
def pworld(world, settings):
    settings.PUBLICATIONS_BUILD_INLINE = True
    adopted = plan(world)
    decide(adopted, "adopt")
    adopted.refresh_from_db()
    abandoned = plan(world, world.team_b, author=world.carol, title="Flag")
    decide(abandoned, "abandon")
    abandoned.refresh_from_db()
    for team, n, d in ((world.team_a, 3, 10), (world.team_b, 1, 2)):
        MeasureValue.objects.create(
            team=team, measure=world.measure, period=world.periods[-1], numerator=n, denominator=d
        )
        MeasureValue.objects.create(
            team=team, measure=world.measure, period=world.periods[0], numerator=1, denominator=9
        )
    lesson = change_actions.do_create_lesson(
        collaborative=world.collaborative,
        author=world.fran,
        statement="Daily matching finds every crossover youth.",
        detail="",
        nodes=[world.idea],
        cycles=[adopted],
        teams=[world.team_a],
        measures=[world.measure],
        strength="implemented",
    )
    report = actions.do_create_final_report(world.collaborative, by=world.dina)
    model = actions.do_create_practice_model(world.collaborative, title="Test practice model")
    phase = actions.do_save_phase(model, code="Phase I", title="Identification")
    practice = actions.do_save_practice(
        phase,
        area="Identification",
        title="Match every day",
        nodes=[world.idea],
        lessons=[lesson],
        fidelity_measure=world.measure,
    )
    return PubWorld(world, adopted, abandoned, report, model, phase, practice, lesson)
