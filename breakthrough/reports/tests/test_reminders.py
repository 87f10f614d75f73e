"""The reminder cadence, in the collaborative's time zone, sent once, logged and visible.

The test collaborative is in New York. The February 2024 reports are due on 15 March 2024; the
clocks went forward on 10 March 2024, so due - 7 (8 March) is in EST and due - 1 (14 March) in
EDT. Each test freezes the clock just before and just after local midnight.
"""

import io
from datetime import UTC, date, datetime

import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from breakthrough.notifications.models import OutgoingEmail
from breakthrough.reports.grid import build_grid
from breakthrough.reports.models import ReportSettings
from breakthrough.reports.reminders import ReminderPlanner, do_send_reminders

from .helpers import submitted_report

FEB = 1  # index of the February 2024 period in world.periods (due 15 March 2024)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def recipients(about="Feb 2024"):
    return sorted(m.to[0] for m in mail.outbox if about in m.subject)


def sent_kinds():
    return sorted(OutgoingEmail.objects.values_list("kind", flat=True))


def test_due_minus_seven_follows_new_york_midnight_before_the_clock_change(rworld):
    # 8 March 04:30 UTC is 7 March 23:30 EST: not yet the reminder day.
    with time_machine.travel(utc(2024, 3, 8, 4, 30), tick=False):
        assert do_send_reminders(collaborative=rworld.collaborative) == []
    # 05:30 UTC is 00:30 EST on 8 March: 7 days before the due date.
    with time_machine.travel(utc(2024, 3, 8, 5, 30), tick=False):
        results = do_send_reminders(collaborative=rworld.collaborative)
    feb = [r for r, _ in results if r.period == rworld.periods[FEB]]
    # Team A: alice (day-to-day lead) and bob (data contact); team B: carol (both roles).
    assert sorted((r.person.username, r.team.slug) for r in feb) == [
        ("alice", "alder"),
        ("bob", "alder"),
        ("carol", "birch"),
    ]
    assert {r.kind for r in feb} == {"due_soon"} and {r.days for r in feb} == {7}
    assert "due in 7 days (15 March)" in mail.outbox[0].subject
    assert "/c/testbsc/teams/alder/reports/2024-02/edit/" in next(
        m.body for m in mail.outbox if m.to == ["alice@example.com"]
    )


def test_due_minus_one_follows_new_york_midnight_after_the_clock_change(rworld):
    # 14 March 03:30 UTC is 13 March 23:30 EDT (it would be 22:30 EST): nothing yet.
    with time_machine.travel(utc(2024, 3, 14, 3, 30), tick=False):
        assert do_send_reminders(collaborative=rworld.collaborative) == []
    # 04:30 UTC is 00:30 EDT on 14 March (still 23:30 on the 13th in EST): the last reminder.
    with time_machine.travel(utc(2024, 3, 14, 4, 30), tick=False):
        results = do_send_reminders(collaborative=rworld.collaborative)
    assert {(r.kind, r.days) for r, _ in results} == {("due_soon", 1)}
    assert len(results) == 3
    assert "due tomorrow" in mail.outbox[0].subject


def test_running_twice_a_day_sends_nothing_twice(rworld):
    with time_machine.travel(utc(2024, 3, 8, 14, 0), tick=False):
        first = do_send_reminders(collaborative=rworld.collaborative)
        second = do_send_reminders(collaborative=rworld.collaborative)
    assert len(first) == 3 and all(record is not None for _, record in first)
    assert len(second) == 3 and all(record is None for _, record in second)
    assert len(mail.outbox) == 3 and OutgoingEmail.objects.count() == 3


def test_a_team_that_submitted_or_skipped_is_not_reminded(rworld):
    from breakthrough.reports.actions import do_skip_report

    submitted_report(rworld, period=rworld.periods[FEB])
    do_skip_report(rworld.team_b, rworld.periods[FEB], by=rworld.carol, reason="On leave")
    with time_machine.travel(utc(2024, 3, 8, 14, 0), tick=False):
        assert do_send_reminders(collaborative=rworld.collaborative) == []


def test_after_the_due_date_lists_go_to_teams_then_faculty_then_the_senior_leader(rworld):
    submitted_report(rworld, team=rworld.team_b, by=rworld.carol, period=rworld.periods[FEB])
    mail.outbox.clear()  # the coach was told of the submission
    c = rworld.collaborative
    with time_machine.travel(utc(2024, 3, 16, 14, 0), tick=False):  # due + 1
        do_send_reminders(collaborative=c)
    # Every team's core people: alice, bob (A), carol (B), sara (A's senior leader).
    assert recipients() == [
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
        "sara@example.com",
    ]
    assert "1 team reported" in mail.outbox[0].subject and "Birch County" in mail.outbox[0].body
    mail.outbox.clear()
    with time_machine.travel(utc(2024, 3, 17, 14, 0), tick=False):  # due + 2
        do_send_reminders(collaborative=c)
    # Faculty and staff: cody (coach), dina (director), fran (faculty), vic (advisor).
    assert recipients() == [
        "cody@example.com",
        "dina@example.com",
        "fran@example.com",
        "vic@example.com",
    ]
    listed = next(m for m in mail.outbox if "Feb 2024" in m.subject).body
    assert "Alder County" in listed and "Birch County" not in listed
    mail.outbox.clear()
    with time_machine.travel(utc(2024, 3, 18, 14, 0), tick=False):  # due + 3
        do_send_reminders(collaborative=c)
    assert recipients() == [
        "cody@example.com",
        "dina@example.com",
        "fran@example.com",
        "sara@example.com",
        "vic@example.com",
    ]
    mail.outbox.clear()
    with time_machine.travel(utc(2024, 3, 25, 14, 0), tick=False):  # due + 10: weekly digest
        results = do_send_reminders(collaborative=c)
    feb = [r for r, _ in results if r.period == rworld.periods[FEB]]
    assert [(r.kind, r.person.username) for r in feb] == [("overdue_digest", "cody")]


def test_schedule_is_configurable_and_stops_outside_the_active_phase(rworld):
    ReportSettings.objects.create(
        collaborative=rworld.collaborative, remind_days_before="3", reported_list_day=None
    )
    c = rworld.collaborative
    with time_machine.travel(utc(2024, 3, 8, 14, 0), tick=False):
        assert do_send_reminders(collaborative=c) == []
    with time_machine.travel(utc(2024, 3, 12, 14, 0), tick=False):
        assert len(do_send_reminders(collaborative=c)) == 3
    with time_machine.travel(utc(2024, 3, 16, 14, 0), tick=False):
        assert do_send_reminders(collaborative=c) == []
    c.phase = "holding_gains"
    c.save()
    with time_machine.travel(utc(2024, 3, 12, 14, 0), tick=False):
        assert do_send_reminders() == []


def test_people_see_the_reminders_they_will_receive(rworld):
    with time_machine.travel(utc(2024, 3, 1, 14, 0), tick=False):
        planner = ReminderPlanner.load(rworld.collaborative)
        mine = planner.for_person(rworld.alice, date(2024, 3, 1), days=20)
        page = rworld.client("alice").get(reverse("reports:reminders", args=["testbsc"]))
    assert [(r.day, r.kind) for r in mine] == [
        (date(2024, 3, 8), "due_soon"),
        (date(2024, 3, 14), "due_soon"),
        (date(2024, 3, 16), "reported_list"),
    ]
    content = page.content.decode()
    assert "Fri 8 Mar 2024" in content and "due in 7 days" in content
    assert "Messages sent" not in content  # the log is for staff


def test_every_message_is_logged_and_visible_to_staff_and_the_recipient(rworld):
    with time_machine.travel(utc(2024, 3, 8, 14, 0), tick=False):
        do_send_reminders(collaborative=rworld.collaborative)
        page = rworld.client("fran").get(reverse("reports:reminders", args=["testbsc"]))
    content = page.content.decode()
    assert "Messages sent" in content and content.count("due in 7 days") >= 3
    message = OutgoingEmail.objects.get(person=rworld.alice)
    url = reverse("reports:message", args=["testbsc", message.pk])
    assert rworld.client("alice").get(url).status_code == 200
    assert rworld.client("fran").get(url).status_code == 200
    assert rworld.client("carol").get(url).status_code == 403
    assert rworld.client("olga").get(url).status_code == 404


def test_command_sends_dry_runs_and_catches_up(rworld):
    out = io.StringIO()
    call_command("send-reminders", "--date", "2024-03-08", "--dry-run", stdout=out)
    assert "3 message(s) due; nothing sent" in out.getvalue() and not mail.outbox
    out = io.StringIO()
    call_command("send-reminders", "--date", "2024-03-08", "--collaborative", "testbsc", stdout=out)
    assert "3 message(s) sent or logged, 0 already sent" in out.getvalue()
    out = io.StringIO()
    call_command("send-reminders", "--date", "2024-03-08", stdout=out)
    assert "0 message(s) sent or logged, 3 already sent" in out.getvalue()
    assert len(mail.outbox) == 3


def test_console_script_accepts_the_hyphenated_verb(rworld, capsys):
    from breakthrough.cli import main

    assert main(["send-reminders", "--date", "2024-03-14", "--dry-run"]) == 0
    assert "due_soon" in capsys.readouterr().out


def test_late_is_judged_on_the_local_due_day(rworld):
    # 16 March 03:30 UTC is 15 March 23:30 EDT: still on time.
    with time_machine.travel(utc(2024, 3, 16, 3, 30), tick=False):
        submitted_report(rworld, period=rworld.periods[FEB])
    with time_machine.travel(utc(2024, 3, 16, 4, 30), tick=False):
        submitted_report(rworld, team=rworld.team_b, by=rworld.carol, period=rworld.periods[FEB])
        from breakthrough.collaboratives.access import standing_for

        grid = build_grid(standing_for(rworld.dina, rworld.collaborative))
    cells = {row.team.slug: row.cells[FEB].submission for row in grid.rows}
    assert cells == {"alder": "on_time", "birch": "late"}
