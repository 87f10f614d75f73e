"""Demo: what people wrote on the charts — notes on a month, Brightwater's baseline and the new
phase after its nightly match was adopted (DEMO.md storylines; all fictional)."""

from __future__ import annotations

from datetime import UTC, datetime

from breakthrough.measures.models import ChartNote, ChartPhase

from . import DemoContext

# (team, measure, month, username, text)
NOTES = [
    (
        "BW",
        "M1",
        "2008-11",
        "bw-data",
        "Nightly match script ran for the whole month from the 25th.",
    ),
    ("BW", "M3", "2009-05", "bw-lead", "Liaison call before every detention decision, all shifts."),
    ("SB", "M1", "2008-12", "coach", "First month after the team re-formed; no data Jul–Nov 2008."),
    ("GP", "M2", "2009-02", "gp-lead", "Data contact back from leave; Dec and Jan not reported."),
]
# (team, measure, month, kind, username, reason, recorded on)
PHASES = [
    (
        "BW",
        "M1",
        "2008-06",
        "baseline",
        "advisor",
        "Twelve months before the first test of change: the limits every later month is judged by.",
        datetime(2008, 9, 12, 15, 0, tzinfo=UTC),
    ),
    (
        "BW",
        "M1",
        "2008-12",
        "phase",
        "bw-lead",
        "Nightly automated match adopted on 25 November 2008 (PDSA 1.1): a new process.",
        datetime(2009, 4, 8, 14, 30, tzinfo=UTC),
    ),
]


def seed(ctx: DemoContext) -> None:
    def key(team, measure):
        return ctx.teams[team], ctx.measures[measure]

    for team, measure, month, who, text in NOTES:
        t, m = key(team, measure)
        period = ctx.periods[month]
        ChartNote.objects.get_or_create(
            team=t,
            measure=m,
            period=period,
            defaults={
                "text": text,
                "author": ctx.people[who],
                "created_at": datetime(period.start.year, period.start.month, 20, tzinfo=UTC),
            },
        )
    for team, measure, month, kind, who, reason, when in PHASES:
        t, m = key(team, measure)
        ChartPhase.objects.get_or_create(
            team=t,
            measure=m,
            period=ctx.periods[month],
            kind=kind,
            defaults={"reason": reason, "recorded_by": ctx.people[who], "recorded_at": when},
        )
    ctx.log(f"    {len(NOTES)} notes on chart months, {len(PHASES)} baselines and phases")
