"""Browser journey (Chromium): a team lead writes and submits a monthly report (autosave survives
a reload), two faculty score it blind and agree a score, the team reads its feedback; the
reminder command run for the day before a due date sends exactly the expected messages."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from breakthrough.notifications.models import OutgoingEmail
from breakthrough.reports.models import MonthlyReport
from breakthrough.reports.tests.helpers import add_roles
from conftest import log_in

pytestmark = pytest.mark.browser

REPORT = "/c/testbsc/teams/alder/reports/2024-05/"


def switch_to(page, who):
    page.context.clear_cookies()
    log_in(page, who)


def test_monthly_report_from_draft_to_feedback(world, page, live_server):
    add_roles(world)

    # The team lead starts the May report from the reports page.
    log_in(page, "alice")
    page.get_by_role("link", name="Test Collaborative").click()
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", name="Monthly reports", level=1)).to_be_visible()
    page.goto(REPORT + "edit/")
    expect(page.get_by_role("heading", name="Alder County: May 2024 report")).to_be_visible()
    page.get_by_label("Achievements this month").fill("Ran the nightly match for the whole month.")
    expect(page.locator(".autosave-status")).to_contain_text("Draft saved", timeout=10_000)

    # Autosave survives a reload.
    page.reload()
    expect(page.get_by_label("Achievements this month")).to_have_value(
        "Ran the nightly match for the whole month."
    )
    page.get_by_label("C1 Early identification").select_option("testing")
    page.get_by_label("Self-assessment score").select_option("3.0")
    page.get_by_label("Why this score").fill("Successful tests in C1.")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_text("Report submitted.")).to_be_visible()
    assert MonthlyReport.objects.get().state == "submitted"
    assert {m.to[0] for m in mail.outbox} == {"sara@example.com", "cody@example.com"}

    # The director scores first: the team's own score and other scores stay hidden.
    switch_to(page, "dina")
    page.goto(REPORT)
    expect(page.get_by_text("Hidden until you have entered your own score")).to_be_visible()
    form = page.locator("form[action$='/score/']")
    form.get_by_label("Score").select_option("2.5")
    form.get_by_label("Justification").fill("Tests under way; no gain on the chart yet.")
    form.get_by_role("button", name="Save my score").click()
    expect(page.get_by_text("Waiting for: Vic Vance.")).to_be_visible()
    expect(page.get_by_text("Successful tests in C1.")).to_be_visible()  # the self-score now

    # The advisor cannot see the director's score before scoring.
    switch_to(page, "vic")
    page.goto(REPORT)
    expect(page.get_by_text("1 score by other faculty is hidden")).to_be_visible()
    expect(page.get_by_text("Tests under way; no gain on the chart yet.")).to_have_count(0)
    form = page.locator("form[action$='/score/']")
    form.get_by_label("Score").select_option("3.0")
    form.get_by_label("Justification").fill("Successful tests in one component.")
    form.get_by_role("button", name="Save my score").click()
    # Both have scored: both scores show, and the agreed score can be recorded.
    expect(page.get_by_text("Tests under way; no gain on the chart yet.")).to_be_visible()
    agree = page.locator("form[action$='/reconcile/']")
    agree.get_by_label("Score").select_option("3.0")
    agree.get_by_label("Justification").fill("Successful tests in C1; early process gains.")
    agree.get_by_label("Suggestions").fill("Write down the nightly match so it survives leave.")
    agree.get_by_role("button", name="Record the agreed score").click()
    expect(page.get_by_text("Agreed score recorded; the team has been told.")).to_be_visible()

    # The team reads its feedback, and never the individual scores.
    switch_to(page, "bob")
    page.goto(REPORT)
    feedback = page.get_by_role("region", name="Faculty feedback")
    expect(feedback).to_contain_text("3.0")
    expect(feedback).to_contain_text("Write down the nightly match so it survives leave.")
    expect(page.get_by_text("Tests under way; no gain on the chart yet.")).to_have_count(0)

    # The day before the May reports are due, only team B (not yet reported) is reminded.
    mail.outbox.clear()
    out = io.StringIO()
    call_command("send-reminders", "--date", "2024-06-14", stdout=out)
    assert sorted(m.to[0] for m in mail.outbox) == ["carol@example.com"]
    assert mail.outbox[0].subject == (
        "Birch County: the May 2024 monthly report is due tomorrow (15 June)"
    )
    call_command("send-reminders", "--date", "2024-06-14", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.filter(kind="reminder_due_soon").count() == 1

    # Staff see the message in the log.
    switch_to(page, "fran")
    page.goto("/c/testbsc/reminders/")
    expect(page.get_by_role("link", name=mail.outbox[0].subject)).to_be_visible()
