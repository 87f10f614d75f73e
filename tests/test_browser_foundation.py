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

    page.get_by_role("link", name="Changes", exact=True).click()
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


def test_demo_team_lead_journey(page, live_server, settings, transactional_db):
    """The issue's journey on the demo itself: a demo team lead, then a member of another team."""
    import io

    from django.core.management import call_command

    call_command("demo", "--no-serve", stdout=io.StringIO())
    settings.ALLOW_DEMO_LOGINS = True

    log_in(page, "bw-lead", "breakthrough-demo")
    expect(page.locator(".demo-banner")).to_contain_text("DEMO DATA")
    page.get_by_role(
        "link", name="Juvenile Justice and Child Welfare Integration BSC (demo)"
    ).first.click()
    expect(page.get_by_role("heading", name="Jurisdiction teams (7)")).to_be_visible()
    page.get_by_role("link", name="Brightwater County").first.click()
    expect(page.get_by_role("main").get_by_text("Marcus Feld")).to_be_visible()
    page.get_by_role("link", name="Changes", exact=True).click()
    expect(page.get_by_text("CW liaison consulted before any detention decision")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, "ag-youth", "breakthrough-demo")
    page.goto("/c/jjcw/teams/brightwater/")
    expect(page.get_by_role("link", name="Edit aim and sharing")).to_have_count(0)
    assert page.goto("/c/jjcw/teams/brightwater/edit/").status == 403
    # Not even a forged form post gets through.
    token = page.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    response = page.request.post(
        "/c/jjcw/teams/brightwater/edit/",
        form={
            "aim": "Changed by another team",
            "data_visibility": "collaborative",
            "edit_version": "1",
        },
        headers={"X-CSRFToken": csrf, "Referer": live_server.url + "/"},
    )
    assert response.status == 403
    from breakthrough.teams.models import Team

    assert Team.objects.get(slug="brightwater").aim != "Changed by another team"
