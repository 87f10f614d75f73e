"""The shared test base: a small collaborative with named people.

- alice: day-to-day lead of team A (Alder County)
- bob: member of team A
- carol: member of team B (Birch County)
- fran: faculty
- dina: collaborative director
- olga: someone outside (she belongs to another collaborative)
- anon: not logged in

Use the `world` fixture (see conftest.py) or call `make_world()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.test import Client

from breakthrough.changes.models import ChangeNode, ChangePackage
from breakthrough.collaboratives.models import (
    Collaborative,
    Event,
    ReportingPeriod,
    StaffRole,
)
from breakthrough.measures.models import Measure, TeamMeasure
from breakthrough.teams.models import Agency, Jurisdiction, Membership, Team

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    collaborative: Collaborative
    other_collaborative: Collaborative
    team_a: Team
    team_b: Team
    package: ChangePackage
    component: ChangeNode
    idea: ChangeNode
    measure: Measure
    periods: list[ReportingPeriod]
    alice: object
    bob: object
    carol: object
    fran: object
    dina: object
    olga: object

    def client(self, name: str | None) -> Client:
        """A test client logged in as `name` ('anon' or None for nobody)."""
        client = Client()
        if name and name != "anon":
            client.force_login(getattr(self, name))
        return client

    PEOPLE = ("alice", "bob", "carol", "fran", "dina", "olga", "anon")


def make_person(username: str, full_name: str, **extra):
    return get_user_model().objects.create_user(
        username=username,
        email=f"{username}@example.com",
        password=PASSWORD,
        full_name=full_name,
        **extra,
    )


def make_world() -> World:
    c = Collaborative.objects.create(
        name="Test Collaborative",
        slug="testbsc",
        topic="Crossover youth",
        aim_statement="Identify every crossover youth at arrest.",
        start=date(2024, 1, 1),
        end=date(2025, 6, 30),
        phase=Collaborative.Phase.ACTIVE,
        vocabulary={"act": "Adjust"},
    )
    other = Collaborative.objects.create(name="Other Collaborative", slug="other")
    ja = Jurisdiction.objects.create(name="Alder County", kind=Jurisdiction.Kind.URBAN)
    jb = Jurisdiction.objects.create(name="Birch County", kind=Jurisdiction.Kind.RURAL)
    jo = Jurisdiction.objects.create(name="Oak County", kind=Jurisdiction.Kind.RURAL)
    agency_a = Agency.objects.create(
        jurisdiction=ja, name="Alder Probation", system="juvenile_justice"
    )
    agency_b = Agency.objects.create(
        jurisdiction=jb, name="Birch Children's Services", system="child_welfare"
    )
    team_a = Team.objects.create(
        collaborative=c, jurisdiction=ja, name="Alder County", slug="alder", code="AL"
    )
    team_b = Team.objects.create(
        collaborative=c, jurisdiction=jb, name="Birch County", slug="birch", code="BI"
    )
    team_o = Team.objects.create(
        collaborative=other, jurisdiction=jo, name="Oak County", slug="oak"
    )

    alice = make_person("alice", "Alice Adams")
    bob = make_person("bob", "Bob Brown")
    carol = make_person("carol", "Carol Clark")
    fran = make_person("fran", "Fran Fisher")
    dina = make_person("dina", "Dina Diaz")
    olga = make_person("olga", "Olga Olsen")
    Membership.objects.create(team=team_a, person=alice, agency=agency_a, is_day_to_day_lead=True)
    Membership.objects.create(team=team_a, person=bob, agency=agency_a)
    Membership.objects.create(team=team_b, person=carol, agency=agency_b)
    Membership.objects.create(team=team_o, person=olga)
    StaffRole.objects.create(collaborative=c, person=fran, role=StaffRole.Role.FACULTY)
    StaffRole.objects.create(collaborative=c, person=dina, role=StaffRole.Role.DIRECTOR)

    package = ChangePackage.objects.create(
        collaborative=c,
        version="1.0",
        title="Test Change Package",
        status=ChangePackage.Status.PUBLISHED,
        published_on=date(2024, 1, 1),
    )
    ChangeNode.objects.create(package=package, kind="principle", title="One coordinated response")
    component = ChangeNode.objects.create(
        package=package,
        kind="component",
        code="C1",
        title="Early identification",
        guiding_question="How do we know at first contact?",
    )
    idea = ChangeNode.objects.create(
        package=package, parent=component, kind="idea", code="1.1", title="Daily automated match"
    )
    measure = Measure.objects.create(
        collaborative=c,
        code="M1",
        name="Early identification",
        kind="process",
        data_type="proportion",
        multiplier=100,
        unit="%",
        direction="up",
        goal=75,
        definition="Share of CW-involved youth identified at arrest.",
    )
    for team in (team_a, team_b):
        TeamMeasure.objects.create(team=team, measure=measure)
    periods = [
        ReportingPeriod.objects.create(
            collaborative=c,
            label=f"{date(2024, m, 1):%b %Y}",
            start=date(2024, m, 1),
            end=date(2024, m, 28),
            due_on=date(2024, m + 1, 15),
        )
        for m in range(1, 7)
    ]
    Event.objects.create(
        collaborative=c,
        kind=Event.Kind.LEARNING_SESSION,
        number=1,
        title="Learning session 1",
        start=date(2024, 3, 5),
        end=date(2024, 3, 6),
        location="Alder Civic Centre",
    )
    return World(
        collaborative=c,
        other_collaborative=other,
        team_a=team_a,
        team_b=team_b,
        package=package,
        component=component,
        idea=idea,
        measure=measure,
        periods=periods,
        alice=alice,
        bob=bob,
        carol=carol,
        fran=fran,
        dina=dina,
        olga=olga,
    )
