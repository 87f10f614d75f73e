"""Browser journey (Chromium) through the learning system.

Staff set up a module and enrol a participant; the participant attends and submits a capstone;
the capstone's cycles appear on the team's PDSA board; the certificate PDF downloads and its code
verifies on the public page; a reply to a thread reaches a subscriber's outbox.
"""

import re
from datetime import date

import pytest
from django.core import mail
from playwright.sync_api import expect

from breakthrough.certificates import actions as certificate_actions
from breakthrough.certificates.models import Certificate
from breakthrough.discussions import actions as discussion_actions
from breakthrough.notifications.models import OutgoingEmail
from conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def program(world):
    program = certificate_actions.do_create_program(
        collaborative=world.collaborative,
        title="Certificate Program in Systems Integration",
        cohort="March 2024 cohort",
        start=date(2024, 3, 1),
        end=date(2024, 3, 2),
        place="Alder Civic Centre",
        min_attendance=100,
        capstone_required=True,
        signatories="Dina Diaz, Collaborative Director",
    )
    for day in (1, 2):
        certificate_actions.do_add_session(program, title=f"Day {day}", start=date(2024, 3, day))
    return program


def test_learning_journey(world, program, page, live_server):
    # Staff add a module tied to a change-package component.
    log_in(page, "dina")
    page.goto(f"/c/testbsc/certificate-program/{program.pk}/")
    page.get_by_role("link", name="Add a module").click()
    page.get_by_label("Title").fill("Early identification at the front door")
    page.get_by_label("Objectives").fill("Match intake lists against open CW cases every day.")
    page.get_by_label("C1 Early identification").check()
    page.get_by_role("button", name="Save the module").click()
    expect(
        page.get_by_role("heading", name="Module 1: Early identification at the front door")
    ).to_be_visible()

    # ...and enrol a new participant, who is invited to join team Alder.
    page.get_by_role("link", name="Participants").first.click()
    page.get_by_label("Jurisdiction team").select_option(label="Alder County")
    page.get_by_label("Agency").select_option(label="Alder Probation (Alder County)")
    page.get_by_label("Full name").fill("Erin Evans")
    page.get_by_label("Email").fill("erin@example.com")
    page.get_by_role("button", name="Enrol").click()
    expect(
        page.get_by_text("Erin Evans was invited to join the team and enrolled.")
    ).to_be_visible()
    expect(page.get_by_text("invitation pending")).to_be_visible()
    invitation = next(
        m for m in mail.outbox if m.to == ["erin@example.com"] and "/invitations/" in m.body
    )
    link = re.search(r"https?://\S+/invitations/\S+/", invitation.body).group(0)

    # The participant accepts the invitation and finds the program.
    page.context.clear_cookies()
    page.goto(link.replace("http://127.0.0.1:8000", ""))
    page.get_by_label("Your name").fill("Erin Evans")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").first.fill("a long enough pass phrase")
    page.get_by_label("Password again").fill("a long enough pass phrase")
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("link", name="Learning", exact=True).click()
    page.get_by_role("link", name="Certificate Program", exact=True).click()
    page.get_by_role("link", name=program.title).click()
    expect(page.get_by_text("0 of 2 attended")).to_be_visible()

    # Staff record her attendance at both sessions.
    page.context.clear_cookies()
    log_in(page, "fran")
    for session in program.sessions.all():
        page.goto(f"/c/testbsc/certificate-program/{program.pk}/sessions/{session.pk}/attendance/")
        page.get_by_label("Erin Evans").check()
        page.get_by_role("button", name="Save attendance").click()
        expect(page.get_by_text("Attendance saved: 1 present.")).to_be_visible()

    # The participant writes the team's capstone and submits it.
    page.context.clear_cookies()
    log_in(page, "erin", "a long enough pass phrase")
    page.goto(f"/c/testbsc/certificate-program/{program.pk}/")
    expect(page.get_by_text("2 of 2 attended")).to_be_visible()
    page.get_by_role("link", name="Alder County").click()
    page.get_by_label("The plan").fill("Identify every crossover youth at intake within a month.")
    cycle = page.get_by_role("group", name="Cycle 1")
    cycle.get_by_label("Cycle").fill("Hand-match one day's intake list")
    cycle.get_by_label("Change idea").select_option(label="\u20031.1 Daily automated match")
    cycle.get_by_label("Objective").fill("How many CW-involved youth does a hand match find?")
    page.get_by_role("button", name="Save and submit for review").click()
    expect(page.get_by_text("The capstone is submitted for review.")).to_be_visible()

    # Faculty accept it; its cycles appear on the team's PDSA board.
    page.context.clear_cookies()
    log_in(page, "fran")
    page.goto(f"/c/testbsc/certificate-program/{program.pk}/capstones/alder/")
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Record the review").click()
    expect(
        page.get_by_text("Accepted: the planned cycles are on the team's PDSA board.")
    ).to_be_visible()
    page.get_by_role("link", name="the team's PDSA board").click()
    page.get_by_role("link", name="1.1 · Hand-match one day's intake list").click()
    expect(
        page.get_by_role("heading", name=re.compile("Hand-match one day's intake list"))
    ).to_be_visible()
    expect(page.get_by_text("How many CW-involved youth does a hand match find?")).to_be_visible()

    # The participant downloads her certificate, and anyone can verify its code.
    page.context.clear_cookies()
    log_in(page, "erin", "a long enough pass phrase")
    page.goto(f"/c/testbsc/certificate-program/{program.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your certificate (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("Certificate Erin Evans")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    code = Certificate.objects.get().code
    page.context.clear_cookies()
    page.goto("/verify/")
    page.get_by_label("Verification code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("Valid certificate.")).to_be_visible()
    expect(page.get_by_text("Erin Evans")).to_be_visible()

    # Carol follows every post; Bob's reply reaches her outbox with a link to the thread.
    thread = discussion_actions.do_start_thread(
        author=world.alice,
        collaborative=world.collaborative,
        title="How do you run the daily match?",
        body="We start with one day's list.",
        notify=False,
    )
    log_in(page, "carol")
    page.goto("/c/testbsc/discussions/email/")
    page.get_by_label("Every post by e-mail").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: every post by e-mail.")).to_be_visible()
    page.context.clear_cookies()
    log_in(page, "bob")
    page.get_by_role("link", name="Test Collaborative").click()
    page.get_by_role("link", name="Learning", exact=True).click()
    page.get_by_role("link", name="Discussions").click()
    page.get_by_role("link", name="How do you run the daily match?").click()
    page.get_by_label("Your reply").fill("We added an alias field to the match.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Your reply is posted.")).to_be_visible()
    received = [m for m in mail.outbox if m.to == ["carol@example.com"]]
    assert received and received[-1].subject == f"Re: {thread.title}"
    assert "We added an alias field to the match." in received[-1].body
    assert f"/c/testbsc/discussions/{thread.pk}/#post-" in received[-1].body
    assert OutgoingEmail.objects.filter(person=world.carol, kind="discussion_post").exists()
