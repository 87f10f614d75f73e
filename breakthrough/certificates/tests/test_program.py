"""Certificate Program: set-up, enrolment through invitations, attendance, access."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from breakthrough.accounts.models import Invitation
from breakthrough.certificates import actions
from breakthrough.certificates.completion import progress_for
from breakthrough.certificates.models import Enrolment, Module, Program
from breakthrough.collaboratives.models import Attendance, Event, StaffRole
from breakthrough.teams.models import Agency, Membership
from breakthrough.test import make_person

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"certificates:{name}", args=["testbsc", *args])


@pytest.mark.parametrize(
    "who,status",
    [("alice", 200), ("bob", 200), ("carol", 200), ("fran", 200), ("dina", 200), ("olga", 404)],
)
def test_program_pages_by_person(world, program, who, status):
    client = world.client(who)
    assert client.get(url("list")).status_code == status
    assert client.get(url("program", program.pk)).status_code == status
    assert client.get(url("participants", program.pk)).status_code == status


def test_anonymous_and_evaluators_are_kept_out(world, program):
    assert world.client("anon").get(url("program", program.pk)).status_code == 302
    evaluator = make_person("eva", "Eva Evans")
    StaffRole.objects.create(collaborative=world.collaborative, person=evaluator, role="evaluator")
    world.eva = evaluator
    assert world.client("eva").get(url("program", program.pk)).status_code == 403


@pytest.mark.parametrize(
    "who,status", [("alice", 403), ("carol", 403), ("fran", 200), ("dina", 200), ("olga", 404)]
)
def test_only_managers_set_up(world, program, who, status):
    client = world.client(who)
    for target in (
        url("new"),
        url("edit", program.pk),
        url("new-module", program.pk),
        url("new-session", program.pk),
        url("attendance", program.pk, program.test_sessions[0].pk),
    ):
        assert client.get(target).status_code == status, target


def test_manager_sets_up_program_module_and_session(world):
    dina = world.client("dina")
    response = dina.post(
        url("new"),
        {
            "title": "Systems Integration Certificate",
            "cohort": "2024 cohort",
            "start": "2024-05-06",
            "end": "2024-05-08",
            "place": "Birch Hall",
            "min_attendance": 80,
            "capstone_required": "on",
            "signatories": "Dina Diaz, Director",
        },
    )
    program = Program.objects.get()
    assert response.status_code == 302 and response["Location"] == program.get_absolute_url()
    response = world.client("fran").post(
        url("new-module", program.pk),
        {
            "order": 1,
            "title": "Early identification",
            "objectives": "Match daily.",
            "components": [world.component.pk],
        },
    )
    module = Module.objects.get()
    assert response.status_code == 302
    assert list(module.components.all()) == [world.component]
    response = dina.post(
        url("new-session", program.pk), {"module": module.pk, "start": "2024-05-06"}
    )
    assert response.status_code == 302
    event = program.sessions.get().event
    assert event.kind == Event.Kind.CERTIFICATE_PROGRAM
    assert event.title == "Module 1: Early identification"
    assert event.location == "Birch Hall" and event.objectives == "Match daily."
    calendar = dina.get(reverse("collaboratives:calendar", args=["testbsc"]))
    assert b"Module 1: Early identification" in calendar.content


def test_program_form_errors(world):
    response = world.client("dina").post(
        url("new"),
        {
            "title": "",
            "cohort": "c",
            "start": "2024-05-08",
            "end": "2024-05-06",
            "place": "x",
            "min_attendance": 120,
            "signatories": "No comma here",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "This field is required." in text
    assert "The program cannot end before it starts." in text
    assert "Ensure this value is less than or equal to 100." in text
    assert "put a comma between the name and the title" in text
    assert not Program.objects.exists()


def test_module_edit_conflict(world, program):
    module = program.modules.get(order=2)
    data = {"order": 2, "title": "Data and evaluation", "objectives": "x", "edit_version": 1}
    fran = world.client("fran")
    assert fran.post(url("edit-module", program.pk, module.pk), data).status_code == 302
    stale = world.client("dina").post(
        url("edit-module", program.pk, module.pk), {**data, "title": "Mine"}
    )
    assert stale.status_code == 409
    module.refresh_from_db()
    assert module.title == "Data and evaluation"


def test_enrolling_a_member_is_immediate_and_e_mailed(world, program):
    enrolment = program.test_enrolments["alice"]
    assert enrolment.person == world.alice and enrolment.invitation is None
    notice = next(m for m in mail.outbox if m.to == ["alice@example.com"])
    assert notice.subject == f"You are enrolled: {program.title}"
    assert "Day 1" in notice.body and "attend at least 60%" in notice.body


def test_enrolling_someone_new_goes_through_the_invitation(world, program):
    agency = Agency.objects.get(name="Alder Probation")
    mail.outbox.clear()
    response = world.client("dina").post(
        url("participants", program.pk),
        {
            "team": world.team_a.pk,
            "agency": agency.pk,
            "full_name": "Erin Evans",
            "email": "Erin@Example.com",
        },
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(email="erin@example.com")
    invitation = enrolment.invitation
    assert enrolment.person is None and enrolment.is_pending
    assert invitation.team == world.team_a and invitation.agency == agency
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("You are enrolled" in s for s in subjects) and len(subjects) == 2
    invite = next(m for m in mail.outbox if "/invitations/" in m.body)
    token = re.search(r"/invitations/([^/\s]+)/", invite.body).group(1)
    accepted = world.client("anon").post(
        reverse("accounts:accept-invitation", args=[token]),
        {
            "full_name": "Erin Evans",
            "username": "erin",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert accepted.status_code == 302
    enrolment.refresh_from_db()
    erin = enrolment.participant
    assert erin.username == "erin" and not enrolment.is_pending
    assert Membership.objects.filter(team=world.team_a, person=erin, agency=agency).exists()
    # The enrolment follows the accepted invitation: attendance can now be recorded.
    session = program.test_sessions[0]
    world.client("dina").post(
        url("attendance", program.pk, session.pk), {"present": [enrolment.pk]}
    )
    assert Attendance.objects.get(event=session.event, person=erin).attended
    enrolment.refresh_from_db()
    assert enrolment.person == erin


def test_enrolment_errors_say_what_is_wrong(world, program):
    dina = world.client("dina")
    other_agency = Agency.objects.get(name="Birch Children's Services")
    response = dina.post(
        url("participants", program.pk),
        {"team": world.team_a.pk, "agency": other_agency.pk, "full_name": "", "email": ""},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Give the participant&#x27;s name." in text
    assert "Give the participant&#x27;s e-mail address." in text
    assert "is not an agency of Alder County" in text
    response = dina.post(
        url("participants", program.pk),
        {"team": world.team_a.pk, "full_name": "Alice", "email": "alice@example.com"},
    )
    assert response.status_code == 400
    assert b"alice@example.com is already enrolled in this program." in response.content
    assert program.enrolments.count() == 3


def test_members_may_not_enrol_or_withdraw(world, program):
    alice = world.client("alice")
    response = alice.post(
        url("participants", program.pk),
        {"team": world.team_a.pk, "full_name": "X", "email": "x@example.com"},
    )
    assert response.status_code == 403
    bob = program.test_enrolments["bob"]
    assert alice.post(url("withdraw", program.pk, bob.pk)).status_code == 403
    assert world.client("fran").post(url("withdraw", program.pk, bob.pk)).status_code == 302
    bob.refresh_from_db()
    assert bob.status == "withdrawn"


def test_choose_a_member_to_enrol(world, program):
    member = Membership.objects.get(person=world.bob)
    program.enrolments.filter(person=world.bob).delete()
    response = world.client("dina").post(url("participants", program.pk), {"member": member.pk})
    assert response.status_code == 302
    enrolment = program.enrolments.get(person=world.bob)
    assert enrolment.team == world.team_a and enrolment.full_name == "Bob Brown"


def test_attendance_is_recorded_on_the_calendar_event(world, program):
    session = program.test_sessions[1]
    alice, carol = (program.test_enrolments[n] for n in ("alice", "carol"))
    assert (
        world.client("alice")
        .post(url("attendance", program.pk, session.pk), {"present": [alice.pk]})
        .status_code
        == 403
    )
    response = world.client("fran").post(
        url("attendance", program.pk, session.pk), {"present": [alice.pk, carol.pk]}
    )
    assert response.status_code == 302
    rows = dict(
        Attendance.objects.filter(event=session.event).values_list("person__username", "attended")
    )
    assert rows == {"alice": True, "bob": False, "carol": True}
    event_page = world.client("fran").get(session.event.get_absolute_url())
    assert b"Alice Adams" in event_page.content


def test_completion_rules(world, program):
    sessions = program.test_sessions
    alice = program.test_enrolments["alice"]
    progress = progress_for(program, [alice])[alice.pk]
    assert progress.required == 2  # 60% of 3 sessions, rounded up
    assert not progress.complete
    assert progress.missing == [
        "Attend 2 more sessions (0 of 3 so far; 2 needed).",
        "The team's capstone must be accepted (now: not started).",
    ]
    for s in sessions[:2]:
        actions.do_record_attendance(s, enrolments=[alice], present_ids={alice.pk})
    progress = progress_for(program, [alice])[alice.pk]
    assert progress.attendance_met and not progress.capstone_met
    program.capstone_required = False
    program.save()
    assert progress_for(program, [alice])[alice.pk].complete


def test_participants_page_query_count(world, program, django_assert_max_num_queries):
    for i in range(15):
        person = make_person(f"p{i}", f"Person {i}")
        Membership.objects.create(team=world.team_b, person=person)
        actions.do_enrol_participant(
            program=program,
            enrolled_by=world.dina,
            team=world.team_b,
            full_name=person.full_name,
            email=person.email,
        )
    client = world.client("dina")
    with django_assert_max_num_queries(22):
        response = client.get(url("participants", program.pk))
    assert response.context["count"] == 18


def test_program_detail_query_count(world, program, django_assert_max_num_queries):
    for i in range(10):
        actions.do_save_module(
            program, order=3 + i, title=f"M{i}", objectives="x", components=[world.component]
        )
        actions.do_add_session(program, title=f"S{i}", start=date(2024, 3, 3))
    client = world.client("dina")
    with django_assert_max_num_queries(22):
        response = client.get(url("program", program.pk))
    assert len(response.context["sessions"]) == 13


def test_a_shared_program_is_seen_by_the_sharing_collaborative(world, program):
    other = world.other_collaborative
    program.shared_with.add(other)
    olga = world.client("olga")  # a member of the other collaborative's team
    assert olga.get(reverse("certificates:program", args=["other", program.pk])).status_code == 200
    assert olga.get(reverse("certificates:edit", args=["other", program.pk])).status_code == 403
    program.shared_with.remove(other)
    assert olga.get(reverse("certificates:program", args=["other", program.pk])).status_code == 404


def test_invitation_rows_use_the_invitation_model(world, program):
    assert Invitation.objects.count() == 0  # members are enrolled without invitations
