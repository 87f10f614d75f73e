"""Submission states, e-mails to the coach, missing totals and unusual changes."""

import pytest
from django.core import mail

from breakthrough.measures.actions import ValueRow, do_upsert_measure_values
from breakthrough.measures.models import Submission
from breakthrough.measures.submissions import (
    JumpsNeedConfirmation,
    SubmissionError,
    do_reopen_measures,
    do_save_draft,
    do_skip_measures,
    do_submit_measures,
    implausible_jumps,
    submission_for,
)

pytestmark = pytest.mark.django_db


def full(y=30, n=40, count=3):
    return [ValueRow("M1", numerator=y, denominator=n), ValueRow("M2", value=count)]


def test_states_from_not_started_to_submitted_reopened_and_back(mworld):
    team, period = mworld.team_a, mworld.periods[0]
    assert submission_for(team, period).state == "not_started"
    do_save_draft(team, period, rows=full(), person=mworld.dana)
    assert Submission.objects.get(team=team, period=period).state == "draft"
    do_submit_measures(team, period, person=mworld.dana)
    s = Submission.objects.get(team=team, period=period)
    assert (s.state, s.submitted_by) == ("submitted", mworld.dana)
    with pytest.raises(SubmissionError, match="reopen it"):
        do_save_draft(team, period, rows=full(31), person=mworld.dana)
    do_reopen_measures(team, period, person=mworld.alice, reason="M1 denominator was wrong")
    s.refresh_from_db()
    assert (s.state, s.reopened_by, s.reopen_reason) == (
        "reopened",
        mworld.alice,
        "M1 denominator was wrong",
    )
    do_save_draft(team, period, rows=full(31), person=mworld.dana)
    assert Submission.objects.get(pk=s.pk).state == "reopened"  # stays reopened until submitted
    do_submit_measures(team, period, person=mworld.dana)
    s.refresh_from_db()
    assert s.state == "submitted"
    assert [h.state for h in s.history.order_by("history_date")] == [
        "not_started",
        "draft",
        "submitted",
        "reopened",
        "reopened",
        "submitted",
    ]


def test_submit_needs_every_total(mworld):
    team, period = mworld.team_a, mworld.periods[0]
    do_save_draft(team, period, rows=full()[:1], person=mworld.dana)
    with pytest.raises(SubmissionError, match="enter the total for M2"):
        do_submit_measures(team, period, person=mworld.dana)
    assert len(mail.outbox) == 0


def test_submit_and_reopen_email_the_coach_only(mworld):
    team, period = mworld.team_a, mworld.periods[0]
    do_save_draft(team, period, rows=full(), person=mworld.dana)
    do_submit_measures(team, period, person=mworld.dana)
    assert [m.to for m in mail.outbox] == [["cora@example.com"]]
    assert "Alder County submitted its Jan 2024 measure data" in mail.outbox[0].subject
    assert "/c/testbsc/teams/alder/data/2024-01/" in mail.outbox[0].body
    do_reopen_measures(team, period, person=mworld.fran, reason="Check the M2 count")
    assert len(mail.outbox) == 2
    assert "reopened" in mail.outbox[1].subject
    assert "Reason: Check the M2 count" in mail.outbox[1].body
    assert "Fran Fisher" in mail.outbox[1].body
    do_submit_measures(team, period, person=mworld.dana)
    assert len(mail.outbox) == 3
    assert "resubmitted" in mail.outbox[2].subject


def test_team_b_has_no_coach_so_no_mail(mworld):
    team, period = mworld.team_b, mworld.periods[0]
    do_save_draft(team, period, rows=full(), person=mworld.carol)
    do_submit_measures(team, period, person=mworld.carol)
    assert mail.outbox == []


def test_skip_needs_a_reason_and_blocks_entry_until_reopened(mworld):
    team, period = mworld.team_a, mworld.periods[1]
    with pytest.raises(SubmissionError, match="Give the reason"):
        do_skip_measures(team, period, person=mworld.alice, reason="  ")
    do_skip_measures(team, period, person=mworld.alice, reason="Data contact on leave")
    s = Submission.objects.get(team=team, period=period)
    assert (s.state, s.skip_reason) == ("skipped", "Data contact on leave")
    with pytest.raises(SubmissionError, match="skipped"):
        do_save_draft(team, period, rows=full(), person=mworld.dana)
    with pytest.raises(SubmissionError, match="already skipped"):
        do_submit_measures(team, period, person=mworld.dana)
    do_reopen_measures(team, period, person=mworld.alice, reason="Back from leave")
    s.refresh_from_db()
    assert (s.state, s.skip_reason) == ("reopened", "")


def test_reopen_needs_reason_and_submitted_state(mworld):
    team, period = mworld.team_a, mworld.periods[0]
    with pytest.raises(SubmissionError, match="Say why"):
        do_reopen_measures(team, period, person=mworld.alice, reason="")
    with pytest.raises(SubmissionError, match="Only submitted or skipped"):
        do_reopen_measures(team, period, person=mworld.alice, reason="why not")
    do_save_draft(team, period, rows=full(), person=mworld.dana)
    do_submit_measures(team, period, person=mworld.dana)
    with pytest.raises(SubmissionError, match="Submitted data cannot be skipped"):
        do_skip_measures(team, period, person=mworld.alice, reason="oops")


def _history(mworld, team, ys):
    for period, y in zip(mworld.periods, ys, strict=False):
        do_upsert_measure_values(
            team=team,
            period=period,
            rows=[ValueRow("M1", numerator=y, denominator=40), ValueRow("M2", value=4)],
            person=mworld.dana,
        )


def test_unusual_changes_must_be_confirmed(mworld):
    team = mworld.team_a
    _history(mworld, team, [20, 21, 19, 20])
    period = mworld.periods[4]
    do_save_draft(
        team,
        period,
        rows=[ValueRow("M1", numerator=38, denominator=40), ValueRow("M2", value=40)],
        person=mworld.dana,
    )
    jumps = implausible_jumps(team, period)
    assert [j.message for j in jumps] == [
        "M1: 95% this month against about 50% in recent months.",
        "M2: value 40 this month against about 4 in recent months.",
    ]
    with pytest.raises(JumpsNeedConfirmation) as error:
        do_submit_measures(team, period, person=mworld.dana)
    assert "2 values changed unusually" in error.value.message
    assert Submission.objects.get(team=team, period=period).state == "draft"
    s = do_submit_measures(team, period, person=mworld.dana, confirmed=True)
    assert s.state == "submitted"
    assert len(s.confirmed_jumps) == 2
    assert "confirmed these unusual changes" in mail.outbox[0].body


def test_ordinary_months_are_not_unusual(mworld):
    team = mworld.team_a
    _history(mworld, team, [20, 21, 19, 20, 22])
    assert implausible_jumps(team, mworld.periods[4]) == []
    # Fewer than three earlier months: nothing to compare with.
    assert implausible_jumps(team, mworld.periods[1]) == []
