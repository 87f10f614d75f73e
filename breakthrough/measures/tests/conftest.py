"""The measures test base: the shared world plus a coach of team A, a data contact, a count
measure and a stratified proportion.

- cora: coach of team A (staff)
- dana: data contact of team A (enters and submits, cannot reopen)
"""

import pytest

from breakthrough.collaboratives.models import StaffRole
from breakthrough.measures.models import Measure, Stratifier, TeamMeasure
from breakthrough.teams.models import Membership
from breakthrough.test import make_person


@pytest.fixture
def mworld(world):
    cora = make_person("cora", "Cora Coach")
    role = StaffRole.objects.create(
        collaborative=world.collaborative, person=cora, role=StaffRole.Role.COACH
    )
    role.teams.add(world.team_a)
    dana = make_person("dana", "Dana Data")
    Membership.objects.create(team=world.team_a, person=dana, is_data_contact=True)
    sex = Stratifier.objects.create(
        collaborative=world.collaborative,
        code="sex",
        name="Gender",
        categories=[
            {"code": "f", "label": "Female"},
            {"code": "m", "label": "Male"},
            {"code": "unknown", "label": "Unknown"},
        ],
    )
    world.measure.stratifiers.add(sex)
    count = Measure.objects.create(
        collaborative=world.collaborative,
        code="M2",
        name="Youth in detention",
        kind="outcome",
        data_type="count",
        direction="down",
        order=2,
        definition="Crossover youth held in detention on the last day of the month.",
    )
    optional = Measure.objects.create(
        collaborative=world.collaborative,
        code="M9",
        name="Optional measure",
        kind="process",
        data_type="count",
        scope="optional",
        order=9,
        definition="An optional count.",
    )
    for team in (world.team_a, world.team_b):
        TeamMeasure.objects.create(team=team, measure=count)
    world.cora, world.dana, world.count, world.optional = cora, dana, count, optional
    world.PEOPLE = (*world.PEOPLE, "cora", "dana")
    return world
