"""Capstones (draft, autosave, submit, review) and certificates (issue, PDF, verify, revoke)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from breakthrough.certificates import actions
from breakthrough.certificates.models import Capstone, Certificate, normalise_code

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"certificates:{name}", args=["testbsc", *args])


def capstone_data(world, submit=False, **extra):
    data = {
        "title": "Alder's first tests",
        "summary": "Identify crossover youth at intake within a month.",
        "edit_version": extra.pop("edit_version", 0),
        "cycles-TOTAL_FORMS": 2,
        "cycles-INITIAL_FORMS": 0,
        "cycles-MIN_NUM_FORMS": 0,
        "cycles-MAX_NUM_FORMS": 10,
        "cycles-0-title": "Hand-match one day's intake list",
        "cycles-0-node": world.idea.pk,
        "cycles-0-objective": "How many CW-involved youth does a hand match find?",
        "cycles-0-planned_start": "2024-03-11",
        **extra,
    }
    if submit:
        data["submit"] = "1"
    return data


def attend_all(program, names):
    enrolments = [program.test_enrolments[n] for n in names]
    for session in program.test_sessions:
        actions.do_record_attendance(
            session, enrolments=enrolments, present_ids={e.pk for e in enrolments}
        )


def test_team_drafts_and_submits_its_capstone(world, program):
    alice = world.client("alice")
    target = url("capstone", program.pk, "alder")
    response = alice.post(target, capstone_data(world))
    capstone = Capstone.objects.get()
    assert response.status_code == 302 and response["Location"] == capstone.get_absolute_url()
    assert capstone.status == "draft" and capstone.team == world.team_a
    cycle = capstone.cycles.get()
    assert cycle.node == world.idea and cycle.title == "Hand-match one day's intake list"
    mail.outbox.clear()
    response = alice.post(target, capstone_data(world, submit=True, edit_version=1))
    capstone.refresh_from_db()
    assert capstone.status == "submitted" and capstone.submitted_by == world.alice
    # No coach looks after team A, so the director and faculty are asked to review.
    assert sorted(m.to[0] for m in mail.outbox) == ["dina@example.com", "fran@example.com"]
    assert "Capstone to review: Alder County" in mail.outbox[0].subject
    # Submitted capstones are read-only.
    page = alice.get(target)
    assert page.context["form"] is None
    assert alice.post(target, capstone_data(world, edit_version=2)).status_code == 403


def test_submitting_needs_a_plan_and_a_cycle(world, program):
    alice = world.client("alice")
    target = url("capstone", program.pk, "alder")
    data = capstone_data(world, submit=True, summary="")
    for key in [k for k in data if k.startswith("cycles-0-")]:
        data[key] = ""
    response = alice.post(target, data, follow=True)
    assert b"Describe the plan before submitting it." in response.content
    assert Capstone.objects.get().status == "draft"


def test_incomplete_cycle_rows_say_what_is_missing(world, program):
    data = capstone_data(world, **{"cycles-0-node": "", "cycles-0-objective": ""})
    response = world.client("alice").post(url("capstone", program.pk, "alder"), data)
    assert response.status_code == 400
    assert response.content.decode().count("This field is required.") == 2
    assert not Capstone.objects.exists()


def test_capstone_access(world, program):
    target = url("capstone", program.pk, "alder")
    world.client("alice").post(target, capstone_data(world))
    carol = world.client("carol")
    page = carol.get(target)
    assert page.status_code == 200 and page.context["form"] is None
    assert b"Hand-match one day" in page.content
    assert carol.post(target, capstone_data(world, edit_version=1)).status_code == 403
    assert world.client("olga").get(target).status_code == 404
    world.team_a.data_visibility = "faculty_only"
    world.team_a.save()
    assert carol.get(target).status_code == 404
    assert world.client("fran").get(target).status_code == 200


def test_capstone_autosave(world, program):
    autosave = url("capstone-autosave", program.pk, "alder")
    alice = world.client("alice")
    response = alice.post(autosave, capstone_data(world))
    assert response.status_code == 200
    assert response.json()["message"].startswith("Draft saved")
    assert response.json()["edit_version"] == 1
    bad = alice.post(autosave, capstone_data(world, title="", edit_version=1))
    assert bad.status_code == 400 and "Draft not saved yet" in bad.json()["message"]
    stale = alice.post(autosave, capstone_data(world, summary="Other", edit_version=0))
    assert stale.status_code == 409
    assert world.client("carol").post(autosave, capstone_data(world)).status_code == 403


def test_review_return_and_accept(world, program):
    target = url("capstone", program.pk, "alder")
    review = url("capstone-review", program.pk, "alder")
    world.client("alice").post(target, capstone_data(world, submit=True))
    capstone = Capstone.objects.get()
    assert world.client("alice").post(review, {"decision": "accept"}).status_code == 403
    fran = world.client("fran")
    response = fran.post(review, {"decision": "return", "note": ""})
    assert response.status_code == 400 and b"Say what the team should change." in response.content
    mail.outbox.clear()
    fran.post(review, {"decision": "return", "note": "Add a prediction to each cycle."})
    capstone.refresh_from_db()
    assert (
        capstone.status == "returned" and capstone.review_note == "Add a prediction to each cycle."
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]
    world.client("alice").post(
        target, capstone_data(world, submit=True, edit_version=capstone.edit_version)
    )
    fran.post(review, {"decision": "accept", "note": "Good plan."})
    capstone.refresh_from_db()
    assert capstone.status == "accepted" and capstone.reviewed_by == world.fran
    # Each planned cycle is now a real planned cycle on team A's PDSA board.
    planned = capstone.cycles.get()
    cycle = planned.pdsa_cycle
    assert cycle.team == world.team_a and cycle.state == "planned" and cycle.cycle_no == 1
    assert cycle.title == "Hand-match one day's intake list"
    assert cycle.objective == "How many CW-involved youth does a hand match find?"
    assert list(cycle.nodes.all()) == [world.idea]
    assert cycle.planned_start.isoformat() == "2024-03-11"
    assert cycle.created_by == world.alice  # the team wrote it
    board = world.client("bob").get(reverse("pdsa:board", args=["testbsc", "alder"]))
    assert b"Hand-match one day&#x27;s intake list" in board.content
    page = world.client("alice").get(target)
    assert cycle.get_absolute_url().encode() in page.content


def test_accepting_a_capstone_whose_idea_is_gone_is_refused(world, program):
    capstone = actions.do_save_capstone(
        program=program,
        team=world.team_a,
        capstone=None,
        title="Plan",
        summary="Plan",
        cycles=[{"title": "c1", "objective": "o", "node": world.idea}],
    )
    actions.do_submit_capstone(capstone, by=world.alice)
    world.idea.delete()
    response = world.client("fran").post(
        url("capstone-review", program.pk, "alder"), {"decision": "accept"}, follow=True
    )
    assert "Cycle 1 “c1” has no change idea any more" in response.content.decode()
    capstone.refresh_from_db()
    assert capstone.status == "submitted"


def test_certificates_follow_attendance_and_the_accepted_capstone(world, program):
    attend_all(program, ["alice", "carol"])
    assert not Certificate.objects.exists()  # capstone not accepted yet
    capstone = actions.do_save_capstone(
        program=program,
        team=world.team_a,
        capstone=None,
        title="Plan",
        summary="Plan text",
        cycles=[{"title": "c1", "objective": "o", "node": world.idea}],
    )
    actions.do_submit_capstone(capstone, by=world.alice)
    mail.outbox.clear()
    actions.do_review_capstone(capstone, by=world.fran, accept=True)
    certificate = Certificate.objects.get()  # bob did not attend; carol's team has no capstone
    assert certificate.enrolment == program.test_enrolments["alice"]
    assert certificate.holder_name == "Alice Adams"
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", certificate.code)
    notice = next(m for m in mail.outbox if m.to == ["alice@example.com"])
    assert notice.subject == f"Your certificate: {program.title}"
    assert certificate.code in notice.body
    # Issuing again gives nothing new.
    assert actions.do_issue_certificates(program) == []


@pytest.fixture
def certificate(world, program):
    attend_all(program, ["alice"])
    capstone = actions.do_save_capstone(
        program=program,
        team=world.team_a,
        capstone=None,
        title="Plan",
        summary="Plan",
        cycles=[{"title": "c1", "objective": "o", "node": world.idea}],
    )
    actions.do_submit_capstone(capstone, by=world.alice)
    actions.do_review_capstone(capstone, by=world.fran, accept=True)
    return Certificate.objects.get()


def test_certificate_pdf_for_holder_and_staff_only(world, certificate):
    target = reverse("certificates:download", args=[certificate.code])
    response = world.client("alice").get(target)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert (
        f'filename="Certificate Alice Adams {certificate.code}.pdf"'
        in response["Content-Disposition"]
    )
    assert world.client("dina").get(target).status_code == 200
    assert world.client("bob").get(target).status_code == 404
    assert world.client("carol").get(target).status_code == 404
    assert world.client("olga").get(target).status_code == 404
    assert world.client("anon").get(target).status_code == 302


def test_certificate_text(world, certificate):
    from breakthrough.certificates.documents import certificate_html

    html = certificate_html(certificate)
    for text in (
        "Certificate of Completion",
        "Alice Adams",
        "Alder Probation, Alder County",
        "Certificate Program in Systems Integration",
        "3 sessions held at Alder Civic Centre, 1–3 March 2024",
        "Dina Diaz",
        "Faculty Chair",
        certificate.code,
        "http://127.0.0.1:8000/verify/",
    ):
        assert text in html, text
    assert "DEMO" not in html


def test_verification_page_is_public_and_says_little(world, certificate):
    anon = world.client("anon")
    page = anon.get(reverse("certificates:verify-code", args=[certificate.code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Valid certificate." in text
    assert "Alice Adams" in text and "Certificate Program in Systems Integration" in text
    for secret in ("Alder", "alice@example.com", "March 2024", "Test Collaborative", "Dina"):
        assert secret not in text, secret
    typed = anon.get(
        reverse("certificates:verify"), {"code": certificate.code.lower().replace("-", " ")}
    )
    assert typed.status_code == 302
    assert typed["Location"] == reverse("certificates:verify-code", args=[certificate.code])
    missing = anon.get(reverse("certificates:verify-code", args=["AAAA-BBBB-CCCC"]))
    assert missing.status_code == 404 and b"No certificate has the code" in missing.content


def test_revoked_certificates_do_not_verify(world, program, certificate):
    revoke = reverse("certificates:revoke", args=[certificate.code])
    assert world.client("alice").post(revoke, {"reason": "x"}).status_code == 403
    world.client("dina").post(revoke, {"reason": "Issued in error"})
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revoked_reason == "Issued in error"
    page = world.client("anon").get(reverse("certificates:verify-code", args=[certificate.code]))
    assert b"Not valid: this certificate was revoked." in page.content
    download = reverse("certificates:download", args=[certificate.code])
    assert world.client("alice").get(download).status_code == 404


def test_my_progress_and_certificate_on_the_program_page(world, program, certificate):
    page = world.client("alice").get(url("program", program.pk))
    assert page.context["my_certificate"] == certificate
    assert b"Download your certificate (PDF)" in page.content
    bob = world.client("bob").get(url("program", program.pk))
    assert bob.context["progress"].missing == ["Attend 2 more sessions (0 of 3 so far; 2 needed)."]


def test_codes_are_normalised():
    assert normalise_code(" abcd efgh jk0o ") == "ABCD-EFGH-JK00"
    assert normalise_code("abcd-efgh-ijkl") == "ABCD-EFGH-1JK1"
    assert normalise_code("short") == "SH0RT"
