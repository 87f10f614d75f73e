"""Browser journey (Chromium): a data contact enters a month, autosave keeps the draft, the form
explains what is wrong, she corrects it and submits; the team's coach gets the e-mail."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from breakthrough.collaboratives.models import StaffRole
from breakthrough.measures.models import Measure, MeasureValue, Submission, TeamMeasure
from breakthrough.teams.models import Membership
from breakthrough.test import make_person
from conftest import log_in

pytestmark = pytest.mark.browser


def test_data_contact_enters_and_submits_a_month(world, page, live_server):
    coach = make_person("cora", "Cora Coach")
    role = StaffRole.objects.create(
        collaborative=world.collaborative, person=coach, role=StaffRole.Role.COACH
    )
    role.teams.add(world.team_a)
    dana = make_person("dana", "Dana Data")
    Membership.objects.create(team=world.team_a, person=dana, is_data_contact=True)
    count = Measure.objects.create(
        collaborative=world.collaborative,
        code="M2",
        name="Youth in detention",
        kind="outcome",
        data_type="count",
        order=2,
        definition="Crossover youth held in detention on the last day of the month.",
    )
    TeamMeasure.objects.create(team=world.team_a, measure=count)

    log_in(page, "dana")
    page.goto("/c/testbsc/measures/")
    page.get_by_role("link", name="Alder County: monthly data").click()
    expect(page.get_by_role("heading", name="Alder County: monthly data")).to_be_visible()
    page.get_by_role("link", name="Jan 2024").click()
    expect(page.get_by_role("heading", name="Alder County: Jan 2024 data")).to_be_visible()
    expect(page.get_by_text("Share of CW-involved youth identified at arrest.")).to_be_visible()

    # A numerator larger than the denominator: autosave refuses, saving explains.
    page.get_by_label("M1 Total numerator").fill("25")
    page.get_by_label("M1 Total denominator").fill("20")
    expect(page.locator(".autosave-status")).to_contain_text("Not saved", timeout=10_000)
    page.get_by_role("button", name="Save draft").click()
    expect(
        page.get_by_text("The numerator (25) cannot exceed the denominator (20).")
    ).to_be_visible()
    assert not MeasureValue.objects.exists()

    # Corrected: the draft saves itself and survives a reload.
    page.get_by_label("M1 Total numerator").fill("15")
    expect(page.locator(".autosave-status")).to_contain_text("Draft saved", timeout=10_000)
    page.goto("/c/testbsc/teams/alder/data/2024-01/")
    expect(page.get_by_label("M1 Total numerator")).to_have_value("15")
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()

    # Submitting without the count is explained; with it, the month is submitted.
    page.get_by_role("button", name="Submit Jan 2024").click()
    expect(page.get_by_text("Before submitting, enter the total for M2")).to_be_visible()
    page.get_by_label("M1 Total numerator").fill("15")
    page.get_by_label("M1 Total denominator").fill("20")
    page.get_by_label("M2 Total count").fill("3")
    page.get_by_role("button", name="Submit Jan 2024").click()
    expect(page.get_by_text("Jan 2024 submitted. The team's coach has been told.")).to_be_visible()
    expect(page.get_by_text("Submitted", exact=True).first).to_be_visible()

    submission = Submission.objects.get(team=world.team_a, period=world.periods[0])
    assert submission.state == "submitted" and submission.submitted_by == dana
    assert [m.to for m in mail.outbox] == [["cora@example.com"]]
    assert "Alder County submitted its Jan 2024 measure data" in mail.outbox[0].subject
