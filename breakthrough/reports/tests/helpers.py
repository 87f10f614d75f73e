"""Small helpers for the report tests (on top of the shared `world`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from breakthrough.collaboratives.models import StaffRole
from breakthrough.reports.actions import (
    ScoreInput,
    do_reconcile_report,
    do_save_report_draft,
    do_score_report,
    do_start_report,
    do_submit_report,
)
from breakthrough.test import PASSWORD

NY = ZoneInfo("America/New_York")


def add_advisor(world):
    """Vic, the improvement advisor: with dina (director) the two default scorers."""
    vic = get_user_model().objects.create_user(
        username="vic", email="vic@example.com", password=PASSWORD, full_name="Vic Vance"
    )
    StaffRole.objects.create(collaborative=world.collaborative, person=vic, role="advisor")
    world.vic = vic
    return vic


def add_roles(world):
    """Add to the shared world what reports need, without changing anyone's access:

    - vic: improvement advisor (with dina, the director, a default scorer)
    - sara: senior leader of team A
    - cody: coach of teams A and B
    - bob becomes team A's data contact; carol team B's day-to-day lead and data contact
    """
    from breakthrough.teams.models import Membership

    add_advisor(world)
    User = get_user_model()
    sara = User.objects.create_user(
        username="sara", email="sara@example.com", password=PASSWORD, full_name="Sara Stone"
    )
    Membership.objects.create(team=world.team_a, person=sara, is_senior_leader=True)
    cody = User.objects.create_user(
        username="cody", email="cody@example.com", password=PASSWORD, full_name="Cody Cole"
    )
    role = StaffRole.objects.create(collaborative=world.collaborative, person=cody, role="coach")
    role.teams.set([world.team_a, world.team_b])
    Membership.objects.filter(team=world.team_a, person=world.bob).update(is_data_contact=True)
    Membership.objects.filter(team=world.team_b, person=world.carol).update(
        is_day_to_day_lead=True, is_data_contact=True
    )
    world.sara, world.cody = sara, cody
    return world


def submitted_report(world, team=None, period=None, *, score="2.5", by=None):
    team = team or world.team_a
    period = period or world.periods[0]
    report = do_start_report(team, period, by=by or world.alice)
    report = do_save_report_draft(
        report,
        data={
            "achievements": "Ran the daily match for two weeks.",
            "learning": "Spelling variants miss matches.",
            "barriers": "",
            "help_needed": "",
            "self_score": Decimal(score),
            "self_justification": "Tests under way.",
        },
        statuses={},
        expected_version=report.edit_version,
        by=by or world.alice,
    )
    return do_submit_report(report, by=by or world.alice)


def score_and_reconcile(world, report, a="2.0", b="2.5", agreed="2.0"):
    do_score_report(report, scorer=world.dina, data=ScoreInput(Decimal(a), "Tests, no gains yet."))
    do_score_report(report, scorer=world.vic, data=ScoreInput(Decimal(b), "Data reviewed monthly."))
    return do_reconcile_report(
        report,
        by=world.dina,
        data=ScoreInput(Decimal(agreed), "Tests under way.", "Good ramp.", "Add a prediction."),
    )


def at(y, m, d, hh=12, mm=0):
    """A moment in New York time (the test collaborative's zone)."""
    return datetime(y, m, d, hh, mm, tzinfo=NY)
