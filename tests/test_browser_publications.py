"""Browser journey (Chromium): the director generates the final report, edits a section (autosave),
exports the PDF and the Word file through the background build with its progress; a team lead
edits and exports the team's storyboard."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from breakthrough.pdsa.tests.helpers import decide, plan
from breakthrough.publications.models import Build, ReportSection, TeamStoryboard
from conftest import log_in

pytestmark = pytest.mark.browser


def test_final_report_and_storyboard_exports(world, page, live_server):
    cycle = plan(world)
    decide(cycle, "adopt")

    log_in(page, "dina")
    page.goto("/c/testbsc/")
    page.get_by_role("link", name="Dissemination", exact=True).click()
    page.get_by_role("link", name="Final report", exact=True).click()
    page.get_by_role("button", name="Generate the final report").click()
    expect(page.get_by_text("The final report is generated")).to_be_visible()
    expect(page.locator("[data-figure=cycles]")).to_have_text("1")

    # Edit a section: the draft autosaves while typing.
    page.get_by_role("link", name="Edit text of Recommendations").click()
    page.get_by_label("Text").fill("Make the daily match a condition of joining.")
    expect(page.locator(".autosave-status")).to_contain_text("Draft saved", timeout=10_000)
    assert ReportSection.objects.get(key="recommendations").body.startswith("Make the daily")
    page.get_by_role("button", name="Save section").click()
    expect(page.get_by_text("Make the daily match a condition of joining.")).to_be_visible()

    # Export the PDF: the page shows the build's progress, then the download.
    page.get_by_role("button", name="Export PDF").click()
    link = page.get_by_role("link", name="Download testbsc-final-report.pdf")
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as pdf:
        link.click()
    assert pdf.value.path().read_bytes().startswith(b"%PDF")

    page.get_by_role("button", name="Export Word (DOCX)").click()
    link = page.get_by_role("link", name="Download testbsc-final-report.docx")
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as docx:
        link.click()
    from docx import Document

    doc = Document(io.BytesIO(docx.value.path().read_bytes()))
    assert any("Make the daily match" in p.text for p in doc.paragraphs)
    assert Build.objects.filter(state="done").count() == 2

    # The team lead writes the storyboard and exports it.
    page.context.clear_cookies()
    log_in(page, "alice")
    page.goto("/c/testbsc/storyboards/")
    page.get_by_role("link", name="edit Alder County storyboard").click()
    page.get_by_label("Title").fill("Alder County at the closing congress")
    page.get_by_label("Next steps").fill("Spread the match to the weekend shift.")
    page.get_by_role("button", name="Save storyboard").click()
    expect(page.get_by_role("heading", name="Alder County at the closing congress")).to_be_visible()
    assert TeamStoryboard.objects.get().next_steps == "Spread the match to the weekend shift."
    response = page.request.get("/c/testbsc/storyboards/alder/export.pdf")
    assert response.ok and response.body().startswith(b"%PDF")
    with page.expect_download() as word:
        page.get_by_role("link", name="Export Word").click()
    assert word.value.path().read_bytes().startswith(b"PK")
