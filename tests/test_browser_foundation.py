"""Browser journey (Chromium): a team lead finds their way; another team cannot change it."""

import re

import pytest
from playwright.sync_api import expect

from conftest import log_in

pytestmark = pytest.mark.browser


def test_team_lead_journey_and_other_team_refused(world, page, live_server):
    log_in(page, "alice")
    expect(page.get_by_role("heading", name="Your collaboratives")).to_be_visible()
    page.get_by_role("link", name="Test Collaborative").click()
    expect(page.get_by_role("heading", name="Test Collaborative", level=1)).to_be_visible()

    page.get_by_role("link", name="Alder County").first.click()
    expect(page.get_by_role("heading", name=re.compile("Alder County"))).to_be_visible()
    expect(page.get_by_role("main").get_by_text("Alice Adams — day-to-day lead")).to_be_visible()

    page.get_by_role("link", name="Change package").click()
    expect(page.get_by_role("heading", name="Test Change Package")).to_be_visible()
    expect(page.get_by_text("Daily automated match")).to_be_visible()

    # Alice edits her own team's aim through the form.
    page.goto("/c/testbsc/teams/alder/")
    page.get_by_role("link", name="Edit aim and sharing").click()
    page.get_by_label("Aim").fill("Identify 9 in 10 crossover youth at arrest")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Identify 9 in 10 crossover youth at arrest")).to_be_visible()

    # Carol, of another team, can read the team page but not change it.
    page.context.clear_cookies()
    log_in(page, "carol")
    page.goto("/c/testbsc/teams/alder/")
    expect(page.get_by_role("link", name="Edit aim and sharing")).to_have_count(0)
    response = page.goto("/c/testbsc/teams/alder/edit/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You may not do this")).to_be_visible()
    world.team_a.refresh_from_db()
    assert world.team_a.aim == "Identify 9 in 10 crossover youth at arrest"
