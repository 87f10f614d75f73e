"""Browser journey (Chromium): a team member reads a chart whose point carries a PDSA annotation
(in the hover tooltip and in the table), adds a note on a month; faculty open the collaborative
dashboard of the measure and its funnel plot for a chosen window."""

from datetime import date

import pytest
from playwright.sync_api import expect

from breakthrough.measures.tests.chart_helpers import FLAT, SHIFT, enter
from breakthrough.pdsa.tests import helpers as pdsa
from conftest import log_in

pytestmark = pytest.mark.browser

CHART = "/c/testbsc/teams/alder/measures/M1/"


def test_chart_annotation_notes_and_dashboard(world, page, live_server):
    enter(world, world.team_a, SHIFT)
    enter(world, world.team_b, FLAT)
    cycle = pdsa.to_study(pdsa.plan(world), start=date(2024, 9, 2))
    pdsa.decide(pdsa.to_decided(cycle), decision="adopt", on=date(2024, 10, 20))

    log_in(page, "bob")
    page.goto("/c/testbsc/teams/alder/")
    page.get_by_role("link", name="M1 Early identification").first.click()
    expect(page.get_by_role("heading", name="M1 · Early identification", level=1)).to_be_visible()
    chart = page.locator("#team-chart")
    expect(chart).to_have_attribute("data-ready", "1", timeout=20_000)
    expect(chart.locator("svg.marks")).to_be_visible()

    # The September 2024 point: hovering it shows the PDSA cycle that started that month.
    point = chart.locator('path[aria-label*="Month: Sep 2024"]').first
    point.hover()
    tooltip = page.locator("#vg-tooltip-element")
    expect(tooltip).to_contain_text("PDSA 1.1 cycle 1 started")
    expect(tooltip).to_contain_text("Sep 2024")
    # The table view says the same for screen readers.
    row = page.locator("#row-2024-09-01")
    expect(row).to_contain_text("PDSA 1.1 cycle 1 started")

    # The engine suggests a new phase; nothing changes until someone chooses it.
    expect(page.get_by_role("button", name="Start a new phase from Nov 2024")).to_be_visible()

    # A note on a month appears in the table after saving.
    notes = page.locator("#notes")
    notes.get_by_label("Month").select_option(label="May 2024")
    notes.get_by_label("Note").fill("Intake clerk on leave all month")
    notes.get_by_role("button", name="Add note").click()
    expect(page.locator("#row-2024-05-01")).to_contain_text("Intake clerk on leave all month")

    # Faculty open the collaborative dashboard and the funnel plot of the last 12 months.
    page.context.clear_cookies()
    log_in(page, "fran")
    page.goto("/c/testbsc/measures/")
    page.get_by_role("link", name="Charts across teams").first.click()
    expect(page.get_by_role("heading", name="Funnel plot")).to_be_visible()
    expect(page.locator("#multiples-chart")).to_have_attribute("data-ready", "1", timeout=20_000)
    page.get_by_label("Months", exact=True).select_option(label="Last 12 months")
    page.get_by_role("button", name="Show").click()
    funnel = page.locator("#funnel-chart")
    expect(funnel).to_have_attribute("data-ready", "1", timeout=20_000)
    expect(funnel.locator("svg.marks")).to_contain_text("Jan 2025 – Dec 2025")
    expect(page.get_by_role("link", name="Improving since Nov 2024")).to_be_visible()
