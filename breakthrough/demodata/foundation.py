"""Demo: the collaborative, sponsors, people, calendar, periods, teams, change package, measures."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from breakthrough.collaboratives.models import (
    Collaborative,
    CollaborativeOrganisation,
    Organisation,
    ReportingPeriod,
    StaffRole,
)
from breakthrough.teams.models import Agency, DataSharingAgreement, Jurisdiction, Membership, Team

from . import DemoContext, add_months, month_label
from .convenings import seed_calendar
from .framework import seed_change_package, seed_measures

DOMAIN = "demo.example.org"

# username, full name, role, title, coached teams (DEMO.md §4, §11)
# fmt: off
STAFF = [
    ('director', 'Helen Marsh', 'director', 'Collaborative director', ''),
    ('advisor', 'Owen Bradley', 'advisor', 'Improvement advisor', ''),
    ('staff', 'Amy Liu', 'staff', 'Collaborative coordinator', ''),
    ('chair', 'Gloria Hendricks', 'chair', 'Chair (juvenile justice)', ''),
    ('michael-torres', 'Michael Torres', 'chair', 'Co-chair (child welfare)', ''),
    ('faculty', 'Naomi Fisher', 'faculty', 'Faculty', ''),
    ('carlos-medina', 'Carlos Medina', 'faculty', 'Faculty (probation)', ''),
    ('beverly-sutton', 'Beverly Sutton', 'faculty', 'Faculty (child welfare)', ''),
    ('aaron-mitchell', 'Aaron Mitchell', 'faculty', 'Faculty (information law)', ''),
    ('keisha-lawrence', 'Keisha Lawrence', 'faculty', 'Faculty (family partner)', ''),
    ('deshawn-carter', 'DeShawn Carter', 'faculty', 'Faculty (youth advisor)', ''),
    ('coach', 'Laura Benson', 'coach', 'Coach', 'BW AG SB CV'),
    ('peter-okafor', 'Peter Okafor', 'coach', 'Coach', 'FD GP CL'),
    ('sponsor', 'Rachel Stein', 'observer', 'Sponsor observer', ''),
    ('william-grady', 'William Grady', 'observer', 'Observer', ''),
    ('evaluator', 'Sam Whitfield', 'evaluator', 'Evaluator', ''),
]
# fmt: on
LOGIN_STAFF = {"director", "advisor", "staff", "chair", "faculty", "coach", "sponsor", "evaluator"}

# fmt: off
SYSTEMS = {
    'cw': 'child_welfare',
    'jj': 'juvenile_justice',
    'court': 'court',
    'edu': 'education',
    'bh': 'behavioral_health',
    'le': 'law_enforcement',
    'com': 'community',
    'tribal': 'tribal_government',
}
# fmt: on

# code, name, slug, kind, referrals (lo, hi), stock (lo, hi), MOU, race mix, storyline
# fmt: off
TEAMS = [
    ('BW', 'Brightwater County', 'brightwater', 'urban', (38, 55), (110, 130), ('signed', date(2008, 11, 14), 'mou'), (46, 24, 22, 1, 2, 5), 'Identify every crossover youth at the detention door and cut pre-adjudication detention by a quarter.'),
    ('AG', 'Ashgrove County', 'ashgrove', 'suburban', (16, 26), (50, 60), ('drafting', None, 'mou'), (30, 18, 45, 1, 2, 4), 'Hold a joint assessment meeting for every dually involved youth within 10 days.'),
    ('SB', 'Sable Bay County', 'sable-bay', 'urban', (12, 22), (40, 50), ('signed', date(2009, 8, 20), 'mou'), (38, 30, 24, 0, 4, 4), 'Divert crossover youth from formal processing through a pre-filing conference.'),
    ('CV', 'Corliss Valley County', 'corliss-valley', 'mixed', (6, 12), (20, 28), ('signed', date(2008, 10, 9), 'mou'), (12, 28, 55, 1, 1, 3), 'Notify both workers within 24 hours and divert more crossover youth.'),
    ('FD', 'Farrowdale County', 'farrowdale', 'rural', (2, 7), (8, 12), ('in_use', date(2008, 3, 1), 'protocol'), (4, 12, 78, 6, 0, 0), 'Bring every family to a joint meeting within 10 days of identification.'),
    ('GP', 'Granite Plains County', 'granite-plains', 'frontier', (0, 4), (3, 6), ('signed', date(2009, 5, 12), 'mou'), (2, 8, 70, 20, 0, 0), 'Put an information-sharing agreement in place and alert both systems within 24 hours.'),
    ('CL', 'Cloudwater Tribal Nation', 'cloudwater', 'tribal', (0, 3), (2, 5), ('signed', date(2009, 1, 22), 'tribal_state'), (0, 2, 2, 96, 0, 0), 'Notify the Nation within 24 hours and bring families and elders to every joint meeting.'),
]
# fmt: on

# team code -> members: (username or "", full name, roles, partner, agency, system, title,
#                         started_on, ended_on)
SL, DL, DC, M = "senior_leader", "day_to_day_lead", "data_contact", "member"
# fmt: off
MEMBERS = {
    'BW': [
        ('bw-leader', 'Denise Okoro', ['senior_leader'], '', 'Dept. of Children and Family Services', 'cw', 'Deputy director', None, None),
        ('bw-lead', 'Marcus Feld', ['day_to_day_lead'], '', 'Probation, Juvenile Division', 'jj', 'Probation manager', None, None),
        ('bw-data', 'Priya Raman', ['data_contact'], '', 'Dept. of Children and Family Services', 'cw', 'Analyst, DCFS research unit', None, None),
        ('', 'Hon. Elena Marquez', ['member'], '', 'Juvenile Court', 'court', 'Judge', None, None),
        ('', 'Tom Kessler', ['member'], '', 'Probation, Juvenile Division', 'jj', 'Detention intake officer', None, None),
        ('bw-member', 'Aisha Grant', ['member'], '', 'Unified School District', 'edu', 'School social worker', None, None),
        ('', 'Luis Ortega', ['member'], '', 'Behavioral Health Services', 'bh', 'Clinical supervisor', None, None),
        ('bw-family', 'Jasmine Reed', ['member'], 'family', 'Harbor Youth Advocates', 'com', 'Family partner', None, None),
    ],
    'AG': [
        ('', 'Richard Hale', ['senior_leader'], '', 'Juvenile Probation', 'jj', 'Chief probation officer', None, date(2009, 3, 31)),
        ('', 'Carla Jennings', ['senior_leader'], '', "Children's Services", 'cw', 'Director', date(2009, 4, 1), None),
        ('', 'Ben Whitaker', ['day_to_day_lead'], '', "Children's Services", 'cw', 'Program manager', None, None),
        ('', 'Sofia Lindqvist', ['data_contact'], '', 'Juvenile Probation', 'jj', 'Data analyst', None, None),
        ('', 'Darnell Price', ['member'], '', 'Family Court administration', 'court', 'Court administrator', None, None),
        ('', 'Grace Kim', ['member'], '', 'Mental Health Authority', 'bh', 'Clinician', None, None),
        ('ag-youth', 'Kayla Moreno', ['member'], 'youth', 'Northside Community Center', 'com', 'Youth partner', None, None),
    ],
    'SB': [
        ('', 'Harold Nguyen', ['senior_leader'], '', 'Dept. of Human Services', 'cw', 'Deputy director', None, None),
        ('', 'Monique Baptiste', ['day_to_day_lead'], '', 'Juvenile Probation', 'jj', 'Supervisor', date(2008, 12, 1), None),
        ('', "Kevin O'Rourke", ['data_contact'], '', 'Dept. of Human Services', 'cw', 'Data analyst', date(2009, 1, 1), None),
        ('', 'Hon. Patricia Lowell', ['member'], '', 'Juvenile Court', 'court', 'Judge', None, None),
        ('', 'Rosa Delgado', ['member'], '', 'Sable Bay Public Schools', 'edu', 'Attendance officer', None, None),
        ('', 'Andre Thomas', ['member'], 'family', 'Bay Families United', 'com', 'Family partner', None, None),
    ],
    'CV': [
        ('', 'Janet Albright', ['senior_leader'], '', 'Juvenile Court Services', 'court', 'Director', None, None),
        ('', 'Samuel Ortiz', ['day_to_day_lead'], '', 'Dept. of Social Services', 'cw', 'Supervisor', None, None),
        ('', 'Emily Chen', ['data_contact'], '', 'Juvenile Court Services', 'court', 'Data specialist', None, None),
        ('', 'Greg Harmon', ['member'], '', "Sheriff's Office", 'le', 'Sergeant', None, None),
        ('', 'Natalie Brooks', ['member'], '', 'Valley Counseling Center', 'bh', 'Therapist', None, None),
        ('', 'Jordan Ellis', ['member'], 'youth', 'Valley Youth Voice', 'com', 'Youth partner', None, None),
        ('', 'Linda Foster', ['member'], 'family', 'Valley Youth Voice', 'com', 'Family partner', None, None),
    ],
    'FD': [
        ('', 'Ruth Engstrom', ['senior_leader'], '', 'County Human Services', 'cw', 'Director (child welfare and behavioural health)', None, None),
        ('', 'Matt Dorsey', ['day_to_day_lead'], '', 'Juvenile Probation', 'jj', 'Probation officer', None, None),
        ('', 'Carol Pike', ['data_contact'], '', 'County Human Services', 'cw', 'Data coordinator', None, None),
        ('', 'James Whitlow', ['member'], '', 'Farrowdale Mentoring Network', 'com', 'Coordinator', None, None),
        ('', 'Angela Ruiz', ['member'], '', 'School District', 'edu', 'Counsellor', None, None),
        ('', 'Dale Hutchins', ['member'], 'family', 'Farrowdale Parents Council', 'com', 'Family partner', None, None),
    ],
    'GP': [
        ('', 'Wes Calder', ['senior_leader'], '', 'State Family Services, regional office', 'cw', 'Regional manager', None, None),
        ('gp-lead', 'Holly Brandt', ['day_to_day_lead'], '', 'District Juvenile Probation', 'jj', 'Probation officer', None, None),
        ('', 'Tess Moreau', ['data_contact'], '', 'State Family Services, regional office', 'cw', 'Caseworker and data contact (on leave Dec 2008 – Jan 2009)', None, None),
        ('', 'Hon. Frank Ives', ['member'], '', 'District Court', 'court', 'Judge', None, None),
        ('', 'Maria Soto', ['member'], '', 'Granite Plains Schools', 'edu', 'Principal', None, None),
    ],
    'CL': [
        ('', 'Lorraine Castillo', ['senior_leader'], '', 'Nation Family Services (ICWA)', 'cw', 'Director', None, None),
        ('', 'Daniel Wolfe', ['day_to_day_lead'], '', 'Tribal Court', 'court', 'Court administrator', None, None),
        ('cl-data', 'Shannon Ames', ['data_contact'], '', 'Nation Family Services (ICWA)', 'cw', 'ICWA caseworker', None, None),
        ('', 'Ray Morrison', ['member'], '', 'Nation Police', 'le', 'Officer', None, None),
        ('', 'Vanessa Hill', ['member'], '', 'State Juvenile Services', 'jj', 'Probation liaison', None, None),
        ('', 'Martha Lane', ['member'], 'family', 'Elders Council', 'tribal', 'Elder and family partner', None, None),
        ('', 'Tyler Quinn', ['member'], 'youth', 'Youth Council', 'tribal', 'Youth partner', None, None),
    ],
}
# fmt: on


def seed(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed)
    User = get_user_model()

    def person(username: str, full_name: str, title: str = "", can_log_in: bool = True):
        username = username or slugify(full_name.replace("Hon. ", ""))
        user = User(
            username=username,
            full_name=full_name,
            title=title,
            email=f"{username}@{DOMAIN}",
            is_demo=True,
        )
        if can_log_in:
            user.set_password(ctx.password)
        else:
            user.set_unusable_password()
        user.save()
        ctx.people[username] = user
        return user

    admin = person("admin", "Platform Administrator", "Platform administrator")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])

    cjjr, _ = Organisation.objects.get_or_create(
        name="Georgetown University's Center for Juvenile Justice Reform",
        defaults={"kind": "university", "url": "https://cjjr.georgetown.edu/"},
    )
    casey, _ = Organisation.objects.get_or_create(
        name="Casey Family Programs",
        defaults={"kind": "foundation", "url": "https://www.casey.org/"},
    )
    c = Collaborative.objects.create(
        name="Juvenile Justice and Child Welfare Integration BSC (demo)",
        slug="jjcw",
        topic="Crossover youth: integrating juvenile justice and child welfare",
        mission=(
            "Seven jurisdiction teams, each joining juvenile justice, child welfare, the courts, "
            "schools, behavioural health and families, test small changes that identify crossover "
            "youth early, decide at the least restrictive level and plan with one voice."
        ),
        aim_statement=(
            "By December 2009 every jurisdiction identifies at least 75% of child-welfare-involved "
            "youth at arrest or detention intake, cuts pre-adjudication detention of crossover youth "
            "by 25% from its baseline, and holds a timely joint assessment meeting for at least 80% "
            "of dually involved youth; at least 4 of the 7 teams reach 4.0 on the assessment scale."
        ),
        start=date(2008, 7, 1),
        end=date(2009, 12, 31),
        phase=Collaborative.Phase.HOLDING_GAINS,
        vocabulary={"act": "Adjust", "team": "Jurisdiction team", "teams": "Jurisdiction teams"},
        rule_set=Collaborative.RuleSet.IHI,
        suppression_threshold=5,
        time_zone="America/New_York",
        is_demo=True,
    )
    ctx.collaborative = c
    CollaborativeOrganisation.objects.create(
        collaborative=c, organisation=cjjr, role="convener", order=1
    )
    CollaborativeOrganisation.objects.create(
        collaborative=c, organisation=casey, role="convener", order=2
    )

    # Staff and faculty.
    roles = {}
    for username, name, role, title, _teams in STAFF:
        user = person(username, name, title, can_log_in=username in LOGIN_STAFF)
        roles[username] = StaffRole.objects.create(
            collaborative=c, person=user, role=role, title=title, started_on=date(2008, 2, 1)
        )

    # Jurisdictions, agencies, agreements, teams and members.
    for code, name, slug, kind, _ref, _stock, mou, _mix, aim in TEAMS:
        jurisdiction = Jurisdiction.objects.create(
            name=name, kind=kind, region="(fictional)", is_fictional=True
        )
        agencies = {}
        for _u, _n, _r, _p, agency_name, system, *_rest in MEMBERS[code]:
            if agency_name not in agencies:
                agencies[agency_name] = Agency.objects.create(
                    jurisdiction=jurisdiction, name=agency_name, system=SYSTEMS[system]
                )
        status, signed_on, kind_ = mou
        agreement = DataSharingAgreement.objects.create(
            jurisdiction=jurisdiction,
            title={
                "mou": "Crossover youth MOU",
                "protocol": "Information-sharing protocol",
                "tribal_state": "Tribal–state crossover agreement",
            }[kind_],
            kind=kind_,
            status=status,
            signed_on=signed_on,
            notes="In use by one agency only." if code == "FD" else "",
        )
        cw_jj = [
            a
            for a in agencies.values()
            if a.system in {"child_welfare", "juvenile_justice", "court"}
        ]
        agreement.agencies.set(cw_jj if code != "FD" else cw_jj[:1])
        team = Team.objects.create(
            collaborative=c,
            jurisdiction=jurisdiction,
            name=name,
            slug=slug,
            code=code,
            aim=aim,
            status=Team.Status.ACTIVE,
            joined_on=date(2008, 12, 1) if code == "SB" else date(2008, 6, 1),
            data_visibility="faculty_only" if code == "CL" else "collaborative",
        )
        ctx.teams[code] = team
        for (
            username,
            full_name,
            member_roles,
            partner,
            agency_name,
            _s,
            title,
            start,
            end,
        ) in MEMBERS[code]:
            user = person(
                username or f"{code.lower()}-{slugify(full_name.replace('Hon. ', ''))}",
                full_name,
                title,
                can_log_in=bool(username),
            )
            Membership.objects.create(
                team=team,
                person=user,
                agency=agencies[agency_name],
                is_senior_leader=SL in member_roles,
                is_day_to_day_lead=DL in member_roles,
                is_data_contact=DC in member_roles,
                partner=partner,
                started_on=start,
                ended_on=end,
            )
    for username, _n, _role, _t, coached in STAFF:
        if coached:
            roles[username].teams.set([ctx.teams[code] for code in coached.split()])

    seed_periods(ctx)
    seed_calendar(ctx, rng)
    seed_change_package(ctx)
    seed_measures(ctx)


def seed_periods(ctx: DemoContext) -> None:
    c = ctx.collaborative
    first = date(2007, 7, 1)
    for i in range(30):
        start = add_months(first, i)
        end = add_months(start, 1) - timedelta(days=1)
        baseline = i < 12
        period = ReportingPeriod.objects.create(
            collaborative=c,
            label=month_label(start),
            start=start,
            end=end,
            due_on=date(2008, 9, 30) if baseline else add_months(start, 1).replace(day=15),
            is_baseline=baseline,
        )
        ctx.periods[f"{start:%Y-%m}"] = period
