"""Monthly reports in the activity feed and the engagement grid."""

from datetime import date

import time_machine

from breakthrough.collaboratives.access import standing_for
from breakthrough.collaboratives.activity import feed
from breakthrough.collaboratives.engagement import METRICS

from .helpers import submitted_report


def test_submitted_report_appears_in_the_feed_for_readers_only(rworld):
    w = rworld
    with time_machine.travel("2024-02-10 12:00 -0500"):
        submitted_report(w)  # January 2024, due 15 February
    items = [i for i in feed(standing_for(w.carol, w.collaborative)) if i.kind == "report"]
    assert [(i.team, i.title) for i in items] == [("Alder County", "Jan 2024")]
    assert "Ran the daily match" not in items[0].detail  # no narrative in the feed

    w.team_a.data_visibility = "faculty_only"
    w.team_a.save()
    assert not [i for i in feed(standing_for(w.carol, w.collaborative)) if i.kind == "report"]
    assert [i for i in feed(standing_for(w.fran, w.collaborative)) if i.kind == "report"]
    assert not feed(standing_for(w.olga, w.collaborative), kinds=["report"])


def test_reports_on_time_metric(rworld):
    w = rworld
    with time_machine.travel("2024-02-10 12:00 -0500"):
        submitted_report(w, period=w.periods[0])  # on time (due 15 Feb)
    with time_machine.travel("2024-03-20 12:00 -0400"):
        submitted_report(w, period=w.periods[1])  # February, due 15 March: late
    with time_machine.travel("2024-05-01 12:00 -0400"):
        cells = METRICS["reports_on_time"].fn(w.collaborative)
    assert cells[(w.team_a.pk, date(2024, 1, 1))].text == "on time"
    assert cells[(w.team_a.pk, date(2024, 2, 1))].text == "late"
    # Team B never reported March (due 15 April): missing.
    assert cells[(w.team_b.pk, date(2024, 3, 1))].text == "missing"
    assert (w.team_a.pk, date(2024, 4, 1)) not in cells  # April is not due yet
