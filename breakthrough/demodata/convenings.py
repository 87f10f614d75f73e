"""Demo: the calendar of convenings, calls and visits, with agendas and attendance."""

from __future__ import annotations

import calendar
import random
from datetime import date, time, timedelta

from breakthrough.collaboratives.models import AgendaItem, Attendance, Event

from . import DemoContext, add_months


def third_thursday(year: int, month: int) -> date:
    thursdays = [
        d
        for d in calendar.Calendar().itermonthdates(year, month)
        if d.month == month and d.weekday() == 3
    ]
    return thursdays[2]


def seed_calendar(ctx: DemoContext, rng: random.Random) -> None:
    c = ctx.collaborative
    teams = ctx.teams

    def event(kind, title, start, end=None, number=None, **kw):
        return Event.objects.create(
            collaborative=c, kind=kind, title=title, start=start, end=end, number=number, **kw
        )

    event(
        "expert_meeting",
        "Expert meeting",
        date(2008, 2, 12),
        date(2008, 2, 13),
        location="Washington, DC",
        objectives="Nine experts in juvenile justice, child welfare and the law set the scope, "
        "the change framework and the first measures.",
    )
    for i, d in enumerate([date(2008, 3, 11), date(2008, 4, 8), date(2008, 5, 13)], start=1):
        event(
            "planning_meeting",
            f"Planning group meeting {i} (virtual)",
            d,
            join_link="https://meet.demo.example.org/planning",
            objectives="Draft the change package, the measure set and the prework."
            if i < 3
            else "Approve change package and measures v1.0 and the prework (8 items, baseline request).",
        )
    cp = event(
        "certificate_program",
        "Certificate Program on systems integration",
        date(2008, 7, 21),
        date(2008, 7, 25),
        location="Georgetown University, Washington, DC",
        objectives="Leaders of the seven jurisdictions learn systems integration with national "
        "experts and leave with a capstone action plan: their first PDSA cycles.",
    )
    sessions = [
        (
            "learning_session",
            1,
            "Learning session 1",
            date(2008, 10, 29),
            date(2008, 10, 30),
            "Chicago, IL",
            "Launch the action period: the Model for Improvement, first ramps, measures.",
        ),
        (
            "learning_session",
            2,
            "Learning session 2",
            date(2009, 4, 1),
            date(2009, 4, 2),
            "Denver, CO",
            "Share early wins (Brightwater and Corliss Valley present); plan joint assessment.",
        ),
        (
            "learning_session",
            3,
            "Learning session 3 (spread)",
            date(2009, 9, 9),
            date(2009, 9, 10),
            "Seattle, WA",
            "Spread what works; Brightwater, Corliss Valley, Farrowdale and Cloudwater present.",
        ),
        (
            "closing_congress",
            None,
            "Closing congress",
            date(2009, 12, 2),
            date(2009, 12, 3),
            "Washington, DC",
            "Celebrate, tell the story with pooled data and storyboards from all 7 teams.",
        ),
    ]
    convenings = [cp]
    for kind, number, title, start, end, place, objectives in sessions:
        faculty_day = start - timedelta(days=1)
        event(
            "faculty_meeting",
            f"Faculty meeting before {title.lower()}",
            faculty_day,
            location=place,
            objectives="Review the team grid and choose teams needing extra help.",
        )
        ev = event(kind, title, start, end, number=number, location=place, objectives=objectives)
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    event=ev,
                    order=1,
                    day=start,
                    time=time(8, 30),
                    title="Welcome and the collaborative's progress",
                    lead="Helen Marsh",
                ),
                AgendaItem(
                    event=ev,
                    order=2,
                    day=start,
                    time=time(9, 30),
                    title="Team presentations",
                    lead="Presenting teams",
                ),
                AgendaItem(
                    event=ev,
                    order=3,
                    day=start,
                    time=time(13, 0),
                    title="Breakouts by change-package component",
                    lead="Faculty",
                ),
                AgendaItem(
                    event=ev,
                    order=4,
                    day=end,
                    time=time(9, 0),
                    title="Storyboard walk",
                    lead="All teams",
                ),
                AgendaItem(
                    event=ev,
                    order=5,
                    day=end,
                    time=time(11, 0),
                    title="Team planning time: next PDSA cycles",
                    lead="Teams with coaches",
                ),
            ]
        )
        convenings.append(ev)
    for i in range(4):
        start = convenings[i].last_day + timedelta(days=1)
        end = convenings[i + 1].start - timedelta(days=1)
        event(
            "action_period",
            f"Action period {i + 1}",
            start,
            end,
            number=i + 1,
            objectives="Test changes at home; report monthly; join the all-team calls.",
        )
    event(
        "site_visit",
        "Site visit: Granite Plains County",
        date(2009, 2, 18),
        host_team=teams["GP"],
        location="Granite Plains County",
    )
    event(
        "site_visit",
        "Site visit: Ashgrove County",
        date(2009, 6, 10),
        host_team=teams["AG"],
        location="Ashgrove County",
    )

    calls = [(2008, m) for m in (8, 9, 11, 12)] + [(2009, m) for m in (1, 2, 3, 5, 6, 7, 8, 10, 11)]
    call_events = []
    for n, (year, month) in enumerate(calls, start=1):
        host = {(2009, 10): teams["CV"], (2009, 11): teams["CL"]}.get((year, month))
        topic = [
            "Getting the daily match going",
            "Predictions in every PDSA",
            "Reading run charts",
            "Engaging families",
            "Information sharing under the law",
            "Joint meetings that work",
            "Small numbers and pooled views",
            "Sustaining the gains",
            "Spread planning",
            "Holding joint case reviews",
            "Preparing storyboards",
            "Alerts within 24 hours",
            "Elders and family partners",
        ][n - 1]
        call_events.append(
            event(
                "all_team_call",
                f"All-team call: {topic}",
                third_thursday(year, month),
                number=n,
                host_team=host,
                join_link="https://meet.demo.example.org/all-team",
                minutes=f"Roll call of the seven teams. {host.name + ' hosted and opened with its story. ' if host else ''}"
                f"Topic: {topic.lower()}. Two teams shared a recent cycle and its prediction; faculty "
                "answered questions. Next steps: each team posts one cycle to the discussion board.",
            )
        )
    coaching = []
    for coach, codes in (("coach", "BW AG SB CV"), ("peter-okafor", "FD GP CL")):
        who = ctx.people[coach].display_name
        for i in range(17):
            start = add_months(date(2008, 8, 1), i)
            d = start + timedelta(days=(1 - start.weekday()) % 7 + 7)  # second Tuesday
            coaching.append(
                (
                    event(
                        "coaching_call",
                        f"Coaching call with {who} ({codes.replace(' ', ', ')})",
                        d,
                        join_link="https://meet.demo.example.org/coaching",
                    ),
                    codes.split(),
                )
            )

    # Attendance: 3-5 people per team at the Certificate Program, the core team at sessions,
    # the day-to-day lead and data contact on calls.
    attendance = []
    members = {
        code: list(team.memberships.select_related("person").order_by("id"))
        for code, team in teams.items()
    }
    for ev in convenings:
        for code, ms in members.items():
            if code == "SB" and ev.start < date(2008, 12, 1):
                continue
            core = [
                m for m in ms if m.is_senior_leader or m.is_day_to_day_lead or m.is_data_contact
            ]
            others = [m for m in ms if m not in core]
            chosen = core + rng.sample(others, k=min(len(others), rng.randint(0, 2)))
            for m in chosen:
                if (m.started_on and m.started_on > ev.start) or (
                    m.ended_on and m.ended_on < ev.start
                ):
                    continue
                attendance.append(Attendance(event=ev, person=m.person, team=m.team, attended=True))
    for ev in call_events:
        for code, ms in members.items():
            if code == "SB" and ev.start < date(2008, 12, 1):
                continue
            for m in ms:
                if not (m.is_day_to_day_lead or m.is_data_contact):
                    continue
                if m.started_on and m.started_on > ev.start:
                    continue
                absent = code == "AG" and ev.start >= date(2009, 3, 1) and rng.random() < 0.5
                attendance.append(
                    Attendance(event=ev, person=m.person, team=m.team, attended=not absent)
                )
    for ev, codes in coaching:
        for code in codes:
            for m in members[code]:
                if m.is_day_to_day_lead:
                    attendance.append(
                        Attendance(event=ev, person=m.person, team=m.team, attended=True)
                    )
    Attendance.objects.bulk_create(attendance)
