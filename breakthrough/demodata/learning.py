"""Demo: the July 2008 Certificate Program, discussions, coaching notes and the resource library
(DEMO.md §3 and §10). All of it is invented."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from breakthrough.certificates.actions import do_issue_certificates
from breakthrough.certificates.models import (
    Capstone,
    Enrolment,
    Module,
    PlannedCycle,
    Program,
    Session,
)
from breakthrough.collaboratives.models import Attendance, Event, Organisation
from breakthrough.discussions.actions import (
    do_create_coaching_note,
    do_reply,
    do_set_discussion_preference,
    do_start_thread,
)
from breakthrough.pdsa.models import PDSACycle, Ramp
from breakthrough.resources.actions import do_add_resource

from . import DemoContext


def at(ctx: DemoContext, d: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(hour, minute)), ctx.collaborative.tz)


# Module: order, title, objectives, components (DEMO.md §3: 5 modules linked to C1-C7)
# fmt: off
MODULES = [
    (1, 'Crossover youth and the front door',
     'Describe who crossover youth are and how they fare; map the front-door decisions (arrest, '
     'detention intake, charging) where a jurisdiction can first recognise them.', ['C1']),
    (2, 'Assessing and planning together',
     'Run a joint assessment meeting; write one coordinated case plan; keep both workers '
     'coordinated until both cases close.', ['C2', 'C3']),
    (3, 'Sharing information within the law',
     'Tell what federal, state and tribal law allow each system to share; draft a memorandum of '
     'understanding and a one-page guide for line staff.', ['C4']),
    (4, 'Families, youth and a workforce that knows both systems',
     'Bring families and youth into every decision; plan cross-training and shared supervision.',
     ['C5', 'C6']),
    (5, 'Data, the Model for Improvement and your capstone',
     'Use aggregate data to see how crossover youth are doing; plan small tests of change '
     '(Plan-Do-Study-Adjust) and write the capstone action plan.', ['C7']),
]
# fmt: on

MATERIALS = {
    1: "- Reading: *Crossover youth: what we know* (faculty summary)\n"
    "- Exercise: map your front door from arrest to detention hearing",
    3: "- Reading: the information-sharing chapter of the change package\n"
    "- Template: a crossover-youth MOU (see the resource library)",
    5: "- IHI's PDSA worksheet (resource library)\n"
    "- Capstone template: three first cycles, each with a prediction",
}

# team code -> (capstone summary, [(change idea, cycle title, objective, planned start)])
# The first cycles of each team's ramps (DEMO.md §8).
# fmt: off
CAPSTONES = {
    'BW': ("Identify every crossover youth at the detention door. We start with the intake list: "
           "match it against open child-welfare cases by hand, then automate; and ask the CW "
           "liaison before any detention decision.", [
        ('1.1', "Match one day's intake list by hand", "How many CW-involved youth does a hand match of one day's arrest list find, and how many does it miss?", date(2008, 8, 4)),
        ('1.3', 'Call the CW liaison before detaining: 1 officer, 3 youth', 'Does calling the CW liaison before a detention decision change decisions for youth with an open CW case?', date(2008, 11, 3)),
        ('2.1', 'Joint assessment meeting for 2 youth', 'Can we hold a joint JJ + CW + family meeting within 10 days for two newly identified youth?', date(2008, 9, 15)),
    ]),
    'AG': ("Hold a joint assessment meeting for every dually involved youth within 10 days, "
           "starting with a hand match so we know who they are.", [
        ('1.1', 'Match intake lists by hand for one week', 'How many crossover youth does a week of hand matching find?', date(2008, 8, 11)),
        ('2.1', 'Joint meeting for 2 youth', 'Can both systems and the family meet within 10 days?', date(2008, 9, 1)),
        ('6.1', 'One cross-training session for 12 staff', 'Do staff of each system understand what the other needs after one joint session?', date(2008, 10, 6)),
    ]),
    'SB': ("Divert crossover youth from formal processing through a pre-filing conference, and "
           "give line staff a one-page guide to what they may share.", [
        ('1.5', 'Pre-filing diversion conference for 2 youth', 'Will the prosecutor divert a crossover youth after a conference with the family and CW?', date(2009, 2, 9)),
        ('4.2', "Try the 'what we can share' guide with 5 workers", 'Do workers share more, and more safely, with a one-page guide?', date(2009, 2, 16)),
    ]),
    'CV': ("Notify both workers within 24 hours of identification and divert more crossover "
           "youth; review our data jointly every month.", [
        ('4.4', 'Crossover alert for 3 youth', 'Does an alert reach both workers within 24 hours?', date(2008, 8, 18)),
        ('1.5', 'Diversion conference for 2 youth', 'Will a diversion conference keep two youth out of formal processing?', date(2008, 10, 6)),
        ('7.2', 'One joint data review meeting', 'Can agency leaders read the run charts together in one hour?', date(2008, 9, 25)),
    ]),
    'FD': ("Bring every family to a joint meeting within 10 days: the family partner calls first, "
           "and a distant CW worker joins by phone.", [
        ('2.1', 'Joint meeting for 1 youth, CW worker by phone', 'Can a joint meeting work when the CW worker is two hours away?', date(2008, 8, 25)),
        ('5.1', 'Family partner calls 1 family before the meeting', 'Does a call from a family partner bring the family to the meeting?', date(2008, 9, 8)),
    ]),
    'GP': ("Put an information-sharing agreement in place and alert both systems within 24 hours, "
           "in a district where the courthouse is 90 miles from the CW office.", [
        ('4.1', 'Send the draft MOU to the county attorney', 'What does the county attorney need changed before the agencies can sign?', date(2008, 8, 11)),
        ('4.4', 'Phone alert within 24 hours for 2 youth', 'Does a phone alert reach both workers within a day?', date(2008, 10, 13)),
    ]),
    'CL': ("Notify the Nation within 24 hours and bring families and elders to every joint "
           "meeting; count crossover youth monthly from the tribal court docket.", [
        ('4.4', 'Tribal notification within 24 hours for 2 youth', 'Does state probation reach the Nation within 24 hours?', date(2008, 8, 18)),
        ('5.1', 'An elder invites 1 family', 'Does an invitation from an elder bring the family?', date(2008, 9, 15)),
        ('7.1', "Count one month's crossover youth from the docket", 'Can the tribal court docket give a reliable monthly count?', date(2008, 9, 1)),
    ]),
}
# fmt: on


def first_cycle(team, node) -> PDSACycle | None:
    ramp = Ramp.objects.filter(team=team, change_node=node).order_by("created_at", "id").first()
    return ramp.cycles.filter(cycle_no=1).first() if ramp else None


def seed_program(ctx: DemoContext, rng: random.Random) -> Program:
    c = ctx.collaborative
    people, teams, nodes = ctx.people, ctx.teams, ctx.nodes
    program = Program.objects.create(
        collaborative=c,
        title="Certificate Program in Juvenile Justice and Child Welfare Systems Integration",
        cohort="July 2008 cohort",
        description=(
            "The leaders of the seven jurisdictions meet national experts for a week before any "
            "learning session, to trade knowledge, strategies, challenges and successes in "
            "systems integration. Each module is tied to the change package; each jurisdiction "
            "leaves with a **capstone action plan**: the first PDSA cycles it will run at home."
        ),
        start=date(2008, 7, 21),
        end=date(2008, 7, 25),
        place="Georgetown University, Washington, DC",
        min_attendance=80,
        capstone_required=True,
        signatories="Gloria Hendricks, Chair (juvenile justice)\n"
        "Helen Marsh, Collaborative Director",
        created_at=at(ctx, date(2008, 5, 20)),
    )
    program.sponsors.set(Organisation.objects.filter(collaboratives=c))
    modules = []
    for order, title, objectives, codes in MODULES:
        module = Module.objects.create(
            program=program,
            order=order,
            title=title,
            objectives=objectives,
            materials=MATERIALS.get(order, ""),
        )
        module.components.set([nodes[code] for code in codes])
        modules.append(module)

    # The calendar's Certificate Program event becomes the first of five daily sessions.
    first = Event.objects.get(collaborative=c, kind=Event.Kind.CERTIFICATE_PROGRAM)
    day1_people = list(first.attendance.select_related("person", "team"))
    events = [first]
    for i in range(1, 5):
        events.append(
            Event.objects.create(
                collaborative=c,
                kind=Event.Kind.CERTIFICATE_PROGRAM,
                title="",
                start=program.start + timedelta(days=i),
                location=program.place,
            )
        )
    for i, (event, module) in enumerate(zip(events, modules, strict=True), start=1):
        event.title = f"Certificate Program, day {i}: {module.title}"
        event.start = program.start + timedelta(days=i - 1)
        event.end = None
        event.location = program.place
        event.objectives = module.objectives
        event.save()
        Session.objects.create(program=program, event=event, module=module)

    # Enrolment: everyone at day 1 (3-5 per team), plus Sable Bay's senior leader and judge,
    # who joined for the last two days while their team re-formed.
    memberships = {
        m.person_id: m
        for team in teams.values()
        for m in team.memberships.select_related("person", "agency")
    }
    enrolled_by = people["staff"]
    participants = [(a.person, a.team) for a in day1_people]
    sable = [people["sb-harold-nguyen"], people["sb-patricia-lowell"]]
    participants += [(p, teams["SB"]) for p in sable]
    enrolments = []
    for person, team in participants:
        enrolments.append(
            Enrolment(
                program=program,
                person=person,
                team=team,
                agency=memberships[person.pk].agency,
                full_name=person.display_name,
                email=person.email,
                enrolled_by=enrolled_by,
                enrolled_at=at(ctx, date(2008, 6, 2), 9),
            )
        )
    Enrolment.objects.bulk_create(enrolments)
    # Ashgrove's senior leader left for two days (the team's storyline: tests stall without a
    # senior leader), so he does not complete the program.
    called_away = people["ag-richard-hale"]
    attendance = []
    for i, event in enumerate(events[1:], start=2):
        for person, team in participants:
            if team.code == "SB":
                present = i >= 4
            elif person == called_away:
                present = i not in (3, 4)
            else:
                present = rng.random() < 0.9
            attendance.append(Attendance(event=event, person=person, team=team, attended=present))
    Attendance.objects.bulk_create(attendance)

    # Capstones: accepted on the last day, except Ashgrove's (returned once, accepted in
    # August) and Sable Bay's (written after the team re-formed).
    reviewer = people["chair"]
    for code, (summary, cycles) in CAPSTONES.items():
        team = teams[code]
        lead = next(
            (m.person for m in team.memberships.all() if m.is_day_to_day_lead),
            team.memberships.first().person,
        )
        submitted, accepted, note = date(2008, 7, 25), date(2008, 7, 25), ""
        if code == "AG":
            submitted, accepted = date(2008, 8, 8), date(2008, 8, 15)
            note = "Returned on 25 July: add a prediction to each cycle. Accepted with predictions."
        if code == "SB":
            lead = people["sb-harold-nguyen"]
            submitted, accepted = date(2009, 1, 20), date(2009, 2, 3)
            note = "Written after the team re-formed; its first cycles start in February."
        capstone = Capstone.objects.create(
            program=program,
            team=team,
            title="First tests of change",
            summary=summary,
            status=Capstone.Status.ACCEPTED,
            submitted_at=at(ctx, submitted, 11),
            submitted_by=lead,
            reviewed_at=at(ctx, accepted, 15),
            reviewed_by=reviewer,
            review_note=note,
        )
        # Accepted capstones became the first cycles of the team's ramps (seeded by the PDSA
        # step): each planned cycle points at cycle 1 of the team's earliest ramp on its idea.
        PlannedCycle.objects.bulk_create(
            PlannedCycle(
                capstone=capstone,
                order=n,
                title=title,
                objective=objective,
                node=nodes[idea],
                planned_start=start,
                pdsa_cycle=first_cycle(team, nodes[idea]),
            )
            for n, (idea, title, objective, start) in enumerate(cycles, start=1)
        )
        # Certificates to the team's participants who attended four of the five days.
        do_issue_certificates(program, issued_by=reviewer, when=at(ctx, accepted, 16))
    return program


# Threads: (event title prefix, author, title, nodes, team, staff prompt, body, replies)
# replies: (author, days after the event, body)
# fmt: off
THREADS = [
    ('Learning session 1', 'bw-lead', 'After LS1: how are you running the daily match?', ['1.1', '7.1'], 'BW', False,
     "At LS1 several teams asked how our match works. We began in August by hand: one day's arrest "
     "list against open CW cases. Two of nine youth were **missed** because of spelling. Since "
     "November a nightly script does it (see the library).\n\nHow are others matching, and who "
     "owns the list in your county?", [
        ('ag-sofia-lindqvist', 2, "We match by hand once a week. It takes our analyst about three hours; "
         "we are asking IT whether a nightly extract is possible."),
        ('cv-emily-chen', 3, "Court Services sends us the detention intake list at 7 a.m. and we match it "
         "before the first hearing. Adding *alias* and *date of birth* to the match cut misses to zero "
         "in October."),
        ('coach', 4, "Good thread. @bw-data, could you share the match fields you settled on? FD and GP "
         "may not need a script at their volumes, but the fields matter."),
        ('bw-data', 5, "Name, alias, and birth date, with a manual check of near matches. The note in the "
         "library lists the fields and the steps; no youth data in it."),
    ]),
    ('Learning session 2', 'director', 'Question from staff: what made your joint meetings stick?', ['C2', '2.1'], None, True,
     "Three teams now hold joint assessment meetings for most dually involved youth; others have "
     "stalled after a few. **What made them stick in your jurisdiction?** One concrete thing per "
     "team, please: a slot, a convener, a form, a phone line.", [
        ('fd-matt-dorsey', 1, "A standing Tuesday slot and the CW worker joins by phone. Before that every "
         "meeting needed a week of scheduling."),
        ('bw-lead', 2, "One convener: our probation supervisor owns the invitation. When both agencies "
         "could convene, neither did."),
        ('ag-ben-whitaker', 6, "Honestly, ours have not stuck. The convener changed twice since March. "
         "We will try the standing slot."),
        ('cl-daniel-wolfe', 8, "Meeting at the tribal family centre, not the courthouse. Families come."),
        ('beverly-sutton', 9, "Thank you all. The pattern is clear: one convener and a standing slot. We "
         "will make it a lesson for the final report."),
    ]),
    ('Learning session 3', 'cv-samuel-ortiz', 'Spreading the 24-hour crossover alert', ['C4', '4.4'], 'CV', False,
     "Our alert now goes through the sheriff's dispatch, so it works after hours. At LS3 we "
     "promised to share the template: it is in the library. Who is spreading it beyond intake?", [
        ('gp-lead', 2, "We adopted a phone alert in August. Our challenge is the weekend: one on-call "
         "worker for the whole district."),
        ('cl-data', 3, "State probation now calls our on-call line. We would like the template adapted "
         "for tribal notification (ICWA inquiry)."),
        ('sb-monique-baptiste', 5, "Sable Bay will test it with intake in October, together with our "
         "sharing guide."),
        ('aaron-mitchell', 7, "A reminder from the law side: the alert names the youth only in the agency "
         "systems, never in e-mail. The template is written that way."),
    ]),
]
# fmt: on


def seed_threads(ctx: DemoContext) -> None:
    c = ctx.collaborative
    people, teams, nodes = ctx.people, ctx.teams, ctx.nodes
    for prefix, author, title, codes, team, prompt, body, replies in THREADS:
        event = Event.objects.get(collaborative=c, title__startswith=prefix)
        opened = at(ctx, event.last_day + timedelta(days=1), 9, 30)
        thread = do_start_thread(
            author=people[author],
            collaborative=c,
            title=title,
            body=body,
            nodes=[nodes[code] for code in codes],
            team=teams[team] if team else None,
            event=event,
            is_pinned=prompt,
            is_prompt=prompt,
            notify=False,
            when=opened,
        )
        for who, days, text in replies:
            do_reply(
                author=people[who],
                thread=thread,
                body=text,
                notify=False,
                when=opened + timedelta(days=days, hours=days % 5),
            )
    for username in ("director", "coach", "bw-lead", "faculty"):
        do_set_discussion_preference(people[username], c, "every")
    do_set_discussion_preference(people["ag-youth"], c, "none")


# team code -> two coaching notes: (month offset, scope, subject, body, nodes)
# fmt: off
NOTES = {
    'BW': [((2008, 9), 'collaborative', 'Hand match is working; next, a script', 'The team matched 2 weeks of intake by hand. Priya will ask IT for a nightly extract. Suggested: keep the hand check for near matches.', ['1.1']),
           ((2009, 3), 'team', 'Reopened March report', 'The M3 denominator for March double-counted transfers. Priya will reopen and resubmit; no change to the trend.', ['C7'])],
    'AG': [((2008, 10), 'team', 'Analyst reassigned', 'The hand match stops when Sofia is pulled to other work. Discussed a shared rota with Children\'s Services.', ['1.1']),
           ((2009, 4), 'faculty', 'Leadership change', 'Richard Hale has left; Carla Jennings is the new senior leader. Tests stalled without a senior leader at the monthly review. Offer a site visit in June.', ['C7'])],
    'SB': [((2009, 1), 'team', 'Re-forming the team', 'Monique and Kevin are in post. Baseline to be entered in February; first cycles on the diversion conference.', ['1.5']),
           ((2009, 8), 'collaborative', 'Sharing guide ready to spread', 'All intake staff use the one-page guide. Offered to share it in the library for other teams.', ['4.2'])],
    'CV': [((2008, 11), 'collaborative', 'After-hours alerts through dispatch', 'Alerts missed after hours; the sheriff\'s dispatch will relay them. Greg will brief the night shift.', ['4.4']),
           ((2009, 5), 'team', 'One judge, one family', 'The presiding judge agreed to docket dual cases together from June.', ['3.3'])],
    'FD': [((2008, 10), 'collaborative', 'Joint meetings by phone work', 'The CW worker joins by phone; all three meetings this month held within 10 days.', ['2.1']),
           ((2009, 2), 'team', 'Monthly numbers too small to read', 'With 2 to 7 referrals a month, single months show nothing. Use the quarterly pooled view at the next review.', ['C7'])],
    'GP': [((2008, 12), 'team', 'Data contact on leave', 'Tess is on leave until February; December and January will be recorded as skipped with the reason.', ['C7']),
           ((2009, 5), 'collaborative', 'MOU signed', 'All three agencies signed. Next: the 24-hour phone alert.', ['4.1'])],
    'CL': [((2008, 9), 'team', 'Tribal notification line', 'State probation will call the Nation\'s on-call line. Daniel will track the calls on paper for a month.', ['4.4']),
           ((2009, 3), 'faculty', 'Faculty-only sharing', 'The team keeps its work faculty-only until the Council decides; respect this in presentations.', ['C5'])],
}
# fmt: on


def seed_notes(ctx: DemoContext) -> None:
    c = ctx.collaborative
    coaches = {code: "coach" for code in ("BW", "AG", "SB", "CV")} | {
        code: "peter-okafor" for code in ("FD", "GP", "CL")
    }
    calls = list(Event.objects.filter(collaborative=c, kind=Event.Kind.COACHING_CALL))
    for code, notes in NOTES.items():
        author = ctx.people[coaches[code]]
        for (year, month), scope, subject, body, codes in notes:
            call = next(
                e
                for e in calls
                if e.start.year == year
                and e.start.month == month
                and author.display_name in e.title
            )
            note = do_create_coaching_note(
                author=author,
                team=ctx.teams[code],
                date=call.start,
                subject=subject,
                body=body,
                share_scope=scope,
                nodes=[ctx.nodes[n] for n in codes],
                event=call,
            )
            note.created_at = at(ctx, call.start, 16)
            note.save(update_fields=["created_at"])


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return HTML(
        string=f"<html><body style='font-family: sans-serif'><p style='color:#a61b1b'>DEMO — "
        f"FICTIONAL DATA</p><h1>{title}</h1>{body}</body></html>"
    ).write_pdf()


def seed_resources(ctx: DemoContext) -> None:
    c, people, teams, nodes = ctx.collaborative, ctx.people, ctx.teams, ctx.nodes
    match_note = (
        b"DEMO - FICTIONAL DATA\n\nNightly crossover match (Brightwater County)\n\n"
        b"1. At 02:00 the detention intake and arrest lists of the day are exported.\n"
        b"2. Each row is matched against open and closed CW cases on last name, first name or "
        b"alias, and birth date.\n3. Near matches (one field differs) go to the CW liaison's "
        b"queue for a manual check by 08:00.\n4. Confirmed matches raise the crossover flag in "
        b"both systems. Only the monthly counts leave the agencies.\n"
    )
    family_script = (
        b"DEMO - FICTIONAL DATA\n\nFirst call from the family partner (Farrowdale County)\n\n"
        b"- Introduce yourself as a parent who has been through both systems.\n"
        b"- Explain the joint meeting: who comes, what happens, how long it lasts.\n"
        b"- Ask what time and place suit the family; offer transport.\n"
        b"- Ask who else the family wants in the room.\n"
    )
    items = [
        ("Nightly crossover match: how it works", "tool", "bw-data", "BW", ["1.1", "7.1"],
         "The steps and fields of Brightwater's nightly match of intake lists against CW cases.",
         ContentFile(match_note, name="match-script-note.txt"), "", date(2008, 11, 20)),
        ("Crossover alert template (24-hour notice)", "form", "cv-emily-chen", "CV", ["4.4"],
         "The alert Corliss Valley sends to both workers through the sheriff's dispatch.",
         ContentFile(_pdf("Crossover alert: 24-hour notice", [
             "To: assigned CW worker and JJ intake officer. From: dispatch, on behalf of Court Services.",
             "A youth known to both systems was referred today. Look up the referral number in your own "
             "system; this notice carries no name.",
             "Please confirm receipt within 24 hours and agree who convenes the joint meeting."]),
             name="crossover-alert-template.pdf"), "", date(2009, 9, 14)),
        ("What we can share: a one-page guide for line staff", "protocol", "sb-monique-baptiste", "SB",
         ["4.2", "C4"], "Sable Bay's guide to what CW and probation staff may share, with whom and when.",
         ContentFile(_pdf("What we can share", [
             "Always: that a youth is known to the other system, and the worker's name and number.",
             "With a signed release: assessments, case plans, school records.",
             "Never by e-mail: names, dates of birth, case numbers."]), name="sharing-guide.pdf"),
         "", date(2009, 9, 2)),
        ("First call from the family partner", "example", "fd-matt-dorsey", "FD", ["5.1"],
         "The script Farrowdale's family partner uses before the first joint meeting.",
         ContentFile(family_script, name="family-partner-first-call.txt"), "", date(2009, 3, 20)),
        ("IHI PDSA worksheet", "form", "faculty", None, ["C7"],
         "The Institute for Healthcare Improvement's worksheet for planning a test of change.",
         None, "https://www.ihi.org/resources/tools/plan-do-study-act-pdsa-worksheet", date(2008, 7, 25)),
        ("Run chart tool", "measurement", "advisor", None, ["C7", "7.2"],
         "IHI's guide to run charts and their rules, for the monthly data review.",
         None, "https://www.ihi.org/resources/tools/run-chart-tool", date(2008, 10, 30)),
    ]  # fmt: skip
    for title, kind, who, code, codes, description, upload, url, when in items:
        do_add_resource(
            collaborative=c,
            added_by=people[who],
            title=title,
            kind=kind,
            description=description,
            upload=upload,
            url=url,
            nodes=[nodes[n] for n in codes],
            team=teams[code] if code else None,
            when=at(ctx, when, 14),
        )


def seed(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed + 70)
    seed_program(ctx, rng)
    seed_threads(ctx)
    seed_notes(ctx)
    seed_resources(ctx)
