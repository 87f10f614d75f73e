"""Demo: monthly reports, self and faculty scores, reminders sent, presenters (DEMO.md §9).

Scores move at most 0.5 a month toward the checkpoints of DEMO.md §9 (self / faculty); the
director and the improvement advisor score each report on their own (equal or 0.5 apart), then
agree the checkpoint value. AG reports 3–6 days late from February 2009 and its self-assessment
runs a full point above the faculty's from March 2009; FD under-rates itself; only BW and CV
reach 4.0. SB skips July–November 2008; GP skips December 2008 and January 2009 and leaves July
2009 as an empty overdue draft; BW's March 2009 report is reopened to fix an M3 denominator.
The reminder log is replayed day by day as `breakthrough send-reminders` would have sent it.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from breakthrough.collaboratives.models import Event
from breakthrough.notifications.models import OutgoingEmail
from breakthrough.reports.actions import (
    ScoreInput,
    do_reconcile_report,
    do_reopen_report,
    do_save_report_draft,
    do_save_scale,
    do_score_report,
    do_skip_report,
    do_start_report,
    do_submit_report,
    ensure_scale,
)
from breakthrough.reports.models import (
    Assessment,
    MonthlyReport,
    ReportRevision,
    ReportSettings,
    SessionMaterial,
)
from breakthrough.reports.reminders import ReminderPlanner, _context
from breakthrough.reports.scale import default_levels
from breakthrough.reports.session_actions import do_pick_presenter

from . import DemoContext, add_months

FIRST = date(2008, 7, 1)
MONTHS = [add_months(FIRST, i) for i in range(18)]
CHECKPOINTS = [
    date(2008, 9, 1),
    date(2008, 12, 1),
    date(2009, 3, 1),
    date(2009, 6, 1),
    date(2009, 9, 1),
    date(2009, 12, 1),
]

# team -> (self, faculty) at each checkpoint; None where the team did not report (DEMO.md §9)
# fmt: off
TABLE = {
    'BW': [('2.0', '2.0'), ('2.5', '2.5'), ('3.0', '3.0'), ('3.5', '3.5'), ('4.0', '3.5'), ('4.0', '4.0')],
    'AG': [('2.0', '1.5'), ('2.5', '2.0'), ('3.0', '2.0'), ('3.5', '2.5'), ('3.5', '2.5'), ('3.5', '2.5')],
    'SB': [None, ('1.5', '1.0'), ('2.0', '2.0'), ('2.5', '2.5'), ('3.0', '3.0'), ('3.0', '3.0')],
    'CV': [('2.0', '2.0'), ('2.5', '3.0'), ('3.0', '3.0'), ('3.5', '3.5'), ('3.5', '4.0'), ('4.0', '4.0')],
    'FD': [('1.5', '2.0'), ('2.0', '2.5'), ('2.5', '3.0'), ('3.0', '3.0'), ('3.0', '3.5'), ('3.5', '3.5')],
    'GP': [('1.5', '1.5'), None, ('2.0', '2.0'), ('2.5', '2.5'), ('2.5', '2.5'), ('3.0', '3.0')],
    'CL': [('1.5', '1.5'), ('2.0', '2.5'), ('2.5', '3.0'), ('3.0', '3.0'), ('3.5', '3.5'), ('3.5', '3.5')],
}
# fmt: on

SKIPS = {
    "SB": {
        date(2008, m, 1): "Team re-forming after the reorganisation of Human Services."
        for m in range(7, 12)
    },
    "GP": {
        date(2008, 12, 1): "Data contact on leave.",
        date(2009, 1, 1): "Data contact on leave.",
    },
}
GP_OPEN_DRAFT = date(2009, 7, 1)

# Ramps by team (DEMO.md §8): change idea, first month, last month, outcome, what the team did.
# fmt: off
RAMPS = {
    'BW': [('1.1', '2008-08', '2008-11', 'adopt', 'the nightly match script'), ('1.2', '2008-10', '2008-12', 'abandon', 'the paper intake flag'),
           ('1.3', '2008-11', '2009-04', 'adopt', 'calling the CW liaison before every detention decision'), ('2.1', '2009-03', '2009-06', 'adopt', 'a standing Tuesday joint meeting')],
    'AG': [('1.1', '2008-09', '2008-12', 'abandon', 'matching the intake list by hand'), ('2.1', '2009-01', '2009-12', 'open', 'joint assessment meetings in one unit'),
           ('6.1', '2008-10', '2008-10', 'adopt', 'one cross-training session for 12 staff'), ('5.2', '2009-05', '2009-05', 'abandon', 'evening meetings with one family')],
    'SB': [('1.5', '2009-02', '2009-06', 'adopt', 'pre-filing diversion conferences'), ('1.6', '2009-06', '2009-08', 'adopt', 'the group-home incident protocol'),
           ('4.2', '2009-07', '2009-09', 'adopt', 'the one-page sharing guide for intake staff')],
    'CV': [('4.4', '2008-09', '2008-12', 'adopt', 'the crossover alert through sheriff dispatch'), ('1.5', '2009-01', '2009-03', 'adopt', 'diversion conferences for all crossover referrals'),
           ('3.3', '2009-04', '2009-06', 'adopt', 'one judge, one family docketing'), ('7.2', '2009-05', '2009-07', 'adopt', 'a monthly joint data review'), ('5.3', '2009-08', '2009-08', 'abandon', 'a peer advocate for one youth')],
    'FD': [('2.1', '2008-10', '2009-02', 'adopt', 'joint meetings with the distant CW worker by phone'), ('5.1', '2008-12', '2009-03', 'adopt', 'the family partner calling families first'),
           ('5.2', '2009-04', '2009-04', 'adopt', 'after-hours meetings'), ('6.2', '2009-05', '2009-06', 'abandon', 'job shadowing'), ('2.5', '2009-09', '2009-12', 'open', 'a school liaison at joint meetings')],
    'GP': [('4.1', '2008-09', '2009-05', 'adopt', 'the MOU with all three agencies'), ('4.4', '2009-06', '2009-08', 'adopt', 'a phone alert within 24 hours'),
           ('2.1', '2009-09', '2009-12', 'open', 'joint meetings by phone conference')],
    'CL': [('4.4', '2008-09', '2009-01', 'adopt', 'tribal notification within 24 hours'), ('5.1', '2009-01', '2009-03', 'adopt', 'an elder or family partner inviting the family'),
           ('2.1', '2009-04', '2009-05', 'adopt', 'meetings at the tribal family centre'), ('7.1', '2009-06', '2009-10', 'adopt', 'a monthly count from the tribal court docket')],
}
LEARNING = {
    'BW': ['Spelling variants and aliases hide matches; birth date plus alias fixed it.', 'Calls answered within 15 minutes change detention decisions; an after-hours number closes the gap.', 'A standing slot makes joint meetings happen; ad hoc scheduling never did.', 'The M3 drop holds when the liaison is consulted on every shift.'],
    'AG': ['Matching by hand does not last once the analyst is reassigned.', 'Joint meetings stall without one convener.', 'Without a senior leader at the monthly review the tests drift.', 'Overtime rules decide when families can meet.'],
    'SB': ['The prosecutor needs the CW worker in the room to agree to divert.', 'Group homes call police less when the protocol names who to call first.', 'Line staff use a one-page guide; they did not read the MOU.'],
    'CV': ['Dispatch is the one place that sees every arrest at night.', 'One judge for the family keeps both cases on one plan.', 'Reviewing data together each month keeps leaders asking the next question.'],
    'FD': ['With two to seven youth a month, one month says little; we read the quarter.', 'Families come when the family partner calls first.', 'A phone line is enough for a distant worker to join.'],
    'GP': ['Signing took longer than drafting: each agency needed its own counsel.', 'A phone alert works where video does not.', 'With so few youth, one case changes the percentage.'],
    'CL': ['State probation calls the tribal on-call line when it has one number to call.', 'Families come when an elder invites them.', 'The docket gives a count we trust.'],
}
BARRIERS = {
    'BW': 'Evening shifts are thin; the liaison rota needs a backup.',
    'AG': 'The leadership change slowed decisions; the match analyst was reassigned.',
    'SB': 'The reorganisation delayed our start; the data contact joined in January.',
    'CV': 'Funding for a peer advocate is not in place.',
    'FD': 'Staff are too thin for shadowing; distances are long.',
    'GP': 'The data contact was on leave in the winter; bandwidth rules out video.',
    'CL': 'State systems do not flag tribal membership; we rely on our own docket.',
}
HELP = {
    'BW': 'Examples of after-hours liaison rotas from other teams.',
    'AG': 'A faculty call with our new senior leader about the monthly data review.',
    'SB': 'Advice on training group-home staff on the protocol.',
    'CV': 'Ideas for funding a peer advocate.',
    'FD': 'Help reading quarterly pooled charts.',
    'GP': 'A model MOU clause for regional offices.',
    'CL': 'A contact in state juvenile services for data sharing.',
}
# fmt: on


def half(value: Decimal) -> Decimal:
    return (value * 2).to_integral_value(rounding="ROUND_FLOOR") / 2


def trajectory(code: str) -> dict[date, tuple[Decimal, Decimal]]:
    """Month -> (self, faculty): checkpoints from DEMO.md §9, at most 0.5 a month between them."""
    marks = [
        (m, (Decimal(v[0]), Decimal(v[1])))
        for m, v in zip(CHECKPOINTS, TABLE[code], strict=True)
        if v is not None
    ]
    first_month, (s0, f0) = marks[0]
    out: dict[date, tuple[Decimal, Decimal]] = {}
    lead = MONTHS.index(first_month) if first_month in MONTHS else 0
    for k in range(lead + 1):
        back = lead - k
        out[MONTHS[k]] = (
            max(Decimal("1.0"), s0 - Decimal("0.5") * back),
            max(Decimal("1.0"), f0 - Decimal("0.5") * back),
        )
    for (m0, a), (m1, b) in itertools.pairwise(marks):
        i0, i1 = MONTHS.index(m0), MONTHS.index(m1)
        n = i1 - i0
        for k in range(1, n + 1):
            pair = []
            for x, y in zip(a, b, strict=True):
                step = half(abs(y - x) * k / n)  # lagging, so a change shows at the checkpoint
                pair.append(x + step if y >= x else x - step)
            out[MONTHS[i0 + k]] = (pair[0], pair[1])
    return out


def statuses_from_ramps(code: str, month: date, nodes: dict) -> dict[int, str]:
    """Node id -> status in the month, derived from the demo ramps (ideas and components)."""
    out: dict[int, str] = {}
    comp: dict[str, str] = {}
    rank = {"not_started": 0, "abandoned": 1, "testing": 2, "implementing": 3, "spreading": 4}
    key = f"{month:%Y-%m}"
    for idea, start, end, outcome, _what in RAMPS[code]:
        if key < start:
            continue
        if key <= end or outcome == "open":
            status = "testing"
        elif outcome == "adopt":
            status = (
                "spreading"
                if code in {"BW", "CV"} and month >= date(2009, 9, 1)
                else "implementing"
            )
        else:
            status = "abandoned"
        if idea in nodes:
            out[nodes[idea].pk] = status
        component = f"C{idea.split('.')[0]}"
        if rank[status] > rank.get(comp.get(component, "not_started"), 0):
            comp[component] = status
    for component, status in comp.items():
        if component in nodes:
            out[nodes[component].pk] = status
    return out


def narrative(code: str, month: date, rng: random.Random) -> dict[str, str]:
    key = f"{month:%Y-%m}"
    done, doing = [], []
    for idea, start, end, outcome, what in RAMPS[code]:
        if start <= key <= end:
            (done if key == end and outcome != "open" else doing).append((idea, outcome, what))
    sentences = []
    for idea, outcome, what in done:
        verb = {"adopt": "adopted", "abandon": "abandoned", "open": "kept testing"}[outcome]
        sentences.append(f"We {verb} {what} (idea {idea}).")
    for idea, _o, what in doing:
        sentences.append(f"We ran another cycle on {what} (idea {idea}) at a larger scale.")
    if not sentences:
        sentences.append(
            "We reviewed our run charts at the team meeting and planned the next cycles."
        )
    sentences.append("The data contact entered the month's aggregates on time.")
    if code == "AG" and month >= date(2009, 3, 1):
        sentences.append("The new senior leader joined in April and met the team once.")
    return {
        "achievements": " ".join(sentences[:4]),
        "learning": rng.choice(LEARNING[code]),
        "barriers": BARRIERS[code] if rng.random() < 0.7 else "",
        "help_needed": HELP[code] if rng.random() < 0.5 else "",
    }


def aware(day: date, hour: int, tz) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, rng_minute(day, hour))), tz)


def rng_minute(day: date, hour: int) -> int:
    return (day.toordinal() * 7 + hour * 13) % 60


def seed(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed + 61)
    c = ctx.collaborative
    tz = c.tz
    people = ctx.people
    director, advisor = people["director"], people["advisor"]

    # The scale: the default text, then a tailored version naming the key measures at 2.5.
    v1 = ensure_scale(c, by=director)
    AssessmentScale = type(v1)
    AssessmentScale.objects.filter(pk=v1.pk).update(created_at=aware(date(2008, 5, 20), 10, tz))
    levels = [
        {"value": lv.value, "label": lv.label, "definition": lv.definition}
        for lv in default_levels()
    ]
    for lv in levels:
        if lv["value"] == Decimal("2.5"):
            lv["local_notes"] = (
                "Key measures for this collaborative: M1 identification, M3 detention and M5 joint assessment."
            )
    v2 = do_save_scale(
        c, levels=levels, by=director, note="Named the key measures at 2.5 (planning group)."
    )
    AssessmentScale.objects.filter(pk=v2.pk).update(created_at=aware(date(2008, 10, 28), 16, tz))
    cfg, _ = ReportSettings.objects.get_or_create(collaborative=c)
    cfg.sharing = ReportSettings.Sharing.NARRATIVE
    cfg.save(update_fields=["sharing"])

    nodes = ctx.nodes
    teams = ctx.teams
    leads = {}
    for code, team in teams.items():
        ms = list(team.memberships.select_related("person").order_by("id"))
        leads[code] = ms
    count = scored = 0
    for code, team in teams.items():
        path = trajectory(code)
        for month in MONTHS:
            period = ctx.periods[f"{month:%Y-%m}"]
            skip = SKIPS.get(code, {}).get(month)
            writer = _writer(leads[code], month)
            if skip:
                report = do_skip_report(team, period, by=writer, reason=skip)
                stamp = aware(period.due_on - timedelta(days=10), 9, tz)
                MonthlyReport.objects.filter(pk=report.pk).update(
                    created_at=stamp, updated_at=stamp
                )
                continue
            # The statuses as they stood that month: the ramps of DEMO.md §8 up to the month
            # (the PDSA part derives today's statuses, which would rewrite history).
            derived = statuses_from_ramps(code, month, nodes)
            report = do_start_report(team, period, by=writer, derived=derived)
            if code == "GP" and month == GP_OPEN_DRAFT:
                stamp = aware(period.due_on - timedelta(days=12), 9, tz)
                MonthlyReport.objects.filter(pk=report.pk).update(
                    created_at=stamp, updated_at=stamp
                )
                continue
            self_score, faculty = path[month]
            text = narrative(code, month, rng)
            report = do_save_report_draft(
                report,
                data={
                    **text,
                    "self_score": self_score,
                    "self_justification": _why_self(self_score),
                },
                statuses={},
                expected_version=report.edit_version,
                by=writer,
            )
            report = do_submit_report(report, by=writer)
            count += 1
            # AG is 3-6 days late from February 2009; everyone else lands on the 5th-15th.
            if code == "AG" and month >= date(2009, 2, 1):
                day = period.due_on + timedelta(days=rng.randint(3, 6))
            else:
                day = add_months(month, 1) + timedelta(days=rng.randint(4, 14))
            submitted = aware(day, rng.randint(9, 17), tz)
            _stamp_submission(report, submitted)
            if code == "BW" and month == date(2009, 3, 1):
                reopened = submitted + timedelta(days=3)
                report = do_reopen_report(
                    report,
                    by=writer,
                    reason="Fix the M3 denominator: two transfers were counted twice.",
                )
                ReportRevision.objects.filter(report=report, revision=1).update(
                    reopened_at=reopened
                )
                report = do_submit_report(report, by=writer)
                resubmitted = reopened + timedelta(hours=5)
                MonthlyReport.objects.filter(pk=report.pk).update(submitted_at=resubmitted)
                ReportRevision.objects.filter(report=report, revision=2).update(
                    submitted_at=resubmitted
                )
                submitted = resubmitted
            # Director and advisor score on their own (equal or 0.5 apart), then agree.
            first = faculty
            other = faculty + rng.choice(
                [Decimal("0"), Decimal("0"), Decimal("0.5"), Decimal("-0.5")]
            )
            other = min(Decimal("5.0"), max(Decimal("1.0"), other))
            pair = (
                [(director, first), (advisor, other)]
                if rng.random() < 0.5
                else [(director, other), (advisor, first)]
            )
            for person, score in pair:
                do_score_report(
                    report,
                    scorer=person,
                    data=ScoreInput(score, _why(code, score), "", _suggest(code, month)),
                )
            agreed = do_reconcile_report(
                report,
                by=director,
                data=ScoreInput(
                    faculty, _why(code, faculty), _comment(code, month), _suggest(code, month)
                ),
            )
            scored_at = submitted + timedelta(days=rng.randint(3, 9))
            Assessment.objects.filter(report=report, kind="faculty").update(
                created_at=scored_at - timedelta(days=1), updated_at=scored_at - timedelta(days=1)
            )
            Assessment.objects.filter(pk=agreed.pk).update(
                created_at=scored_at, updated_at=scored_at
            )
            Assessment.objects.filter(report=report, kind="self").update(
                created_at=submitted, updated_at=submitted
            )
            MonthlyReport.objects.filter(pk=report.pk).update(reconciled_at=scored_at)
            # The notifications the actions sent are dated to when they would have gone out.
            OutgoingEmail.objects.filter(
                dedupe_key__startswith=f"report-submitted:{report.pk}:"
            ).update(created_at=submitted)
            OutgoingEmail.objects.filter(
                dedupe_key__startswith=f"report-feedback:{report.pk}:"
            ).update(created_at=scored_at)
            if rng.random() < 0.6:
                MonthlyReport.objects.filter(pk=report.pk).update(
                    leader_acknowledged_at=submitted + timedelta(days=2)
                )
            scored += 1
    sent = replay_reminders(ctx)
    seed_sessions(ctx)
    ctx.log(
        f"    {count} reports submitted, {scored} scored and agreed; {sent} reminders in the log"
    )


def _writer(memberships, month: date):
    """The data contact writes the report (the day-to-day lead when there is none yet)."""
    for flag in ("is_data_contact", "is_day_to_day_lead", "is_senior_leader"):
        for m in memberships:
            if getattr(m, flag) and (m.started_on is None or m.started_on <= add_months(month, 1)):
                return m.person
    return memberships[0].person


def _stamp_submission(report: MonthlyReport, when: datetime) -> None:
    MonthlyReport.objects.filter(pk=report.pk).update(
        submitted_at=when,
        first_submitted_at=when,
        created_at=when - timedelta(days=6),
        updated_at=when,
    )
    ReportRevision.objects.filter(report=report).update(submitted_at=when)


def _why_self(score: Decimal) -> str:
    return {
        Decimal("1.0"): "Team formed; charter written.",
        Decimal("1.5"): "Meeting regularly; measures agreed.",
        Decimal("2.0"): "Baseline data in; first tests planned.",
        Decimal("2.5"): "Tests under way and charted; no improvement yet.",
        Decimal("3.0"): "Successful tests and some implementation.",
        Decimal("3.5"): "Testing in all our components; process measures improving.",
        Decimal("4.0"): "Outcome gains starting to hold.",
    }.get(score, "See the narrative.")


def _why(code: str, score: Decimal) -> str:
    return {
        Decimal("1.0"): "Team still forming; no test yet.",
        Decimal("1.5"): "Meets regularly; measures match the aim; no test yet.",
        Decimal("2.0"): "Baseline collected, changes planned; few completed tests.",
        Decimal("2.5"): "Tests under way and key measures charted; no improvement yet.",
        Decimal("3.0"): "Successful tests in some components; early process gains.",
        Decimal("3.5"): "Testing across components; process measures improving.",
        Decimal("4.0"): "Gains in key outcome measures are holding; about half the goals met.",
        Decimal("4.5"): "Gains holding across key measures.",
    }.get(score, "See the evidence.") + (
        " Self-assessment runs ahead of the evidence."
        if code == "AG" and score <= Decimal("2.5")
        else ""
    )


def _comment(code: str, month: date) -> str:
    if code == "FD":
        return "Your pooled quarterly view shows more progress than you credit yourselves with."
    if code == "AG" and month >= date(2009, 3, 1):
        return "The charts show no change yet; tests stall between cycles."
    return "Good use of predictions in this month's cycles."


def _suggest(code: str, month: date) -> str:
    return {
        "BW": "Write down the liaison rota so it survives staff changes.",
        "AG": "Name one convener for joint meetings and bring the senior leader to the data review.",
        "SB": "Spread the protocol to the remaining group homes.",
        "CV": "Share the dispatch alert template with the other teams.",
        "FD": "Read your charts quarterly and celebrate the gains.",
        "GP": "Start a second ramp while the MOU is signed.",
        "CL": "Document the elder invitation so other tribes can adapt it.",
    }[code]


def replay_reminders(ctx: DemoContext) -> int:
    """Log the reminders `send-reminders` would have sent each day of the action periods.

    The collaborative is now holding the gains (no reminders); this replays the cadence with
    each day's report states so the log shows, for example, AG on the overdue lists.
    """
    c = ctx.collaborative
    planner = ReminderPlanner.load(c)
    planner.collaborative = type(c)(
        **{f.attname: getattr(c, f.attname) for f in c._meta.concrete_fields}
    )
    planner.collaborative.phase = "active"
    for period in planner.periods:
        period.collaborative = c
    reports = list(
        MonthlyReport.objects.filter(team__collaborative=c).values(
            "team_id", "period_id", "state", "first_submitted_at", "updated_at"
        )
    )
    tz = c.tz
    rows: list[OutgoingEmail] = []
    day = date(2008, 8, 1)
    last = date(2010, 1, 31)
    while day <= last:
        states = {}
        for r in reports:
            when = r["first_submitted_at"]
            if r["state"] == "skipped":
                if timezone.localtime(r["updated_at"], tz).date() <= day:
                    states[(r["team_id"], r["period_id"])] = "skipped"
            elif when and timezone.localtime(when, tz).date() <= day:
                states[(r["team_id"], r["period_id"])] = "submitted"
        planner.states = states
        for reminder in planner.for_day(day):
            # The same templates as `send-reminders`; demo addresses are never mailed.
            ctx_ = {
                "site_url": settings.SITE_URL,
                "collaborative": c,
                "person": reminder.person,
                **_context(reminder),
            }
            subject = " ".join(render_to_string(f"{reminder.template}_subject.txt", ctx_).split())
            rows.append(
                OutgoingEmail(
                    collaborative=c,
                    person=reminder.person,
                    to=reminder.person.email,
                    subject=f"[DEMO] {subject}"[:300],
                    body=render_to_string(f"{reminder.template}.txt", ctx_),
                    kind=f"reminder_{reminder.kind}",
                    status=OutgoingEmail.Status.SUPPRESSED,
                    dedupe_key=reminder.dedupe_key,
                    created_at=aware(day, 6, tz),
                )
            )
        day += timedelta(days=1)
    OutgoingEmail.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def seed_sessions(ctx: DemoContext) -> None:
    """Presenters at LS2 (BW, CV) and LS3 (BW, CV, FD, CL) from their best recent reports."""
    c = ctx.collaborative
    sessions = {e.number: e for e in Event.objects.filter(collaborative=c, kind="learning_session")}
    picks = {2: ["BW", "CV"], 3: ["BW", "CV", "FD", "CL"]}
    topics = {
        "BW": "The nightly match and the liaison call before detention",
        "CV": "A crossover alert through sheriff dispatch",
        "FD": "Families first: the family partner makes the call",
        "CL": "Tribal notification within 24 hours",
    }
    for number, codes in picks.items():
        event = sessions.get(number)
        if event is None:
            continue
        for code in codes:
            report = (
                MonthlyReport.objects.filter(
                    team=ctx.teams[code], period__end__lt=event.start, reconciled_at__isnull=False
                )
                .order_by("-period__start")
                .first()
            )
            do_pick_presenter(
                event,
                team=ctx.teams[code],
                by=ctx.people["director"],
                report=report,
                topic=topics[code],
            )
    for number, event in sessions.items():
        SessionMaterial.objects.create(
            event=event,
            title=f"Slides: learning session {number} plenary",
            url=f"https://files.demo.example.org/jjcw/ls{number}-plenary",
            added_by=ctx.people["staff"],
        )
        SessionMaterial.objects.create(
            event=event,
            title="Team planning worksheet",
            url=f"https://files.demo.example.org/jjcw/ls{number}-planning-worksheet",
            added_by=ctx.people["staff"],
        )
