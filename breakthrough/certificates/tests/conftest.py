from __future__ import annotations

from datetime import date

import pytest

from breakthrough.certificates import actions


@pytest.fixture
def program(world):
    """A program of the test collaborative: two modules, three sessions, alice and bob (team A)
    and carol (team B) enrolled."""
    p = actions.do_create_program(
        collaborative=world.collaborative,
        title="Certificate Program in Systems Integration",
        cohort="March 2024 cohort",
        description="Leaders learn *systems integration*.",
        start=date(2024, 3, 1),
        end=date(2024, 3, 3),
        place="Alder Civic Centre",
        min_attendance=60,
        capstone_required=True,
        signatories="Dina Diaz, Collaborative Director\nFran Fisher, Faculty Chair",
    )
    m1 = actions.do_save_module(
        p,
        order=1,
        title="Early identification",
        objectives="Match lists daily.",
        components=[world.component],
    )
    m2 = actions.do_save_module(p, order=2, title="Data", objectives="Read run charts.")
    p.test_sessions = [
        actions.do_add_session(p, title="Day 1", start=date(2024, 3, 1), module=m1),
        actions.do_add_session(p, title="Day 2", start=date(2024, 3, 2), module=m2),
        actions.do_add_session(p, title="Day 3", start=date(2024, 3, 3)),
    ]
    p.test_enrolments = {
        name: actions.do_enrol_participant(
            program=p,
            enrolled_by=world.dina,
            team=team,
            full_name=getattr(world, name).full_name,
            email=getattr(world, name).email,
        )
        for name, team in (("alice", world.team_a), ("bob", world.team_a), ("carol", world.team_b))
    }
    return p
