"""Demo: the change package v1.0 and the measure set (BRIEF §5, DEMO.md §5-6)."""

from __future__ import annotations

from datetime import date

from breakthrough.changes.models import ChangeNode, ChangePackage
from breakthrough.collaboratives.models import Aim
from breakthrough.measures.models import Measure, Stratifier, TeamMeasure

from . import DemoContext

# fmt: off
PRINCIPLES = [
    'Youth known to both systems get one coordinated response.',
    'Decide early, at the least restrictive level consistent with safety.',
    'Families and youth are partners in every decision.',
    "Share information as far as the law allows and only for the youth's benefit.",
    'Review data jointly and use it to improve.',
    'Track and reduce racial and ethnic disparities.',
]
# fmt: on
# fmt: off
VALUES = [
    'Family-centred practice',
    'Youth voice',
    'Racial equity',
    'Least restrictive setting',
    'Shared accountability',
    'Transparency',
    'Respect for culture and tribal sovereignty',
]
# fmt: on
# fmt: off
COMPONENTS = [
    ('C1', 'Early identification and front-door decisions',
     'How do we know at first contact that a youth is known to child welfare?', ['phase_1'], [
         'Daily automated match of arrest and detention-intake lists against CW cases',
         'Crossover flag on the probation intake screen',
         'CW liaison consulted before any detention decision',
         'Detention screening that does not count placement instability as risk',
         'Pre-filing diversion conference with family, CW and probation',
         'Group-home incident protocol to avoid arrests for minor behaviour',
         'Law-enforcement card with the CW after-hours line',
     ]),
    ('C2', 'Joint assessment and case planning',
     'How do both systems assess a youth once, together, with the family?', ['phase_2'], [
         'Joint assessment meeting within 10 days',
         'Shared screening for trauma and mental health',
         'Single coordinated case plan signed by both workers and the family',
         'Joint recommendation to the court at disposition',
         'School liaison at every joint meeting',
     ]),
    ('C3', 'Coordinated case management and case closure',
     'How do workers stay coordinated until both cases close?', ['phase_3'], [
         'One designated lead worker per youth',
         'Monthly joint case review',
         'One judge, one family docketing',
         'Joint transition planning 60 days before leaving placement',
         'Joint closure conference before either case closes',
         'Warm hand-off to community services',
     ]),
    ('C4', 'Information sharing and legal agreements',
     'What can we share, with whom, when and how?', ['phase_1'], [
         'Cross-agency MOU for crossover youth',
         'One-page "what we can share" guide for line staff',
         'Release-of-information form accepted by all agencies',
         'Crossover alert sent to both workers within 24 hours',
         'Quarterly review of information-sharing breakdowns',
     ]),
    ('C5', 'Family and youth engagement',
     'How do families and youth shape decisions about them?', ['all_phases'], [
         'Family partner contacts the family before the first joint meeting',
         'Meetings after school and work hours, with transport',
         'Peer advocate prepares the youth',
         'Plain-language family guide to both systems',
         'Feedback card after each joint meeting',
         'Kin search at identification',
     ]),
    ('C6', 'Workforce development and cross-training',
     'Do staff in each system understand the other?', ['all_phases'], [
         'Joint cross-training for CW and probation staff',
         'Job shadowing across agencies',
         'Crossover champions in each unit',
         'Orientation module for new workers',
         'Joint monthly supervisor consultation',
     ]),
    ('C7', 'Data, evaluation and quality assurance',
     'How do we know how crossover youth are doing?', ['all_phases'], [
         'Monthly automated crossover count from matched data',
         'Joint monthly data review by agency leaders',
         'Race/ethnicity breakdown of every measure',
         'Shared data dictionary',
         'Quarterly case-file audit of joint practice',
     ]),
]
# fmt: on


# fmt: off
RACE_CATEGORIES = [
    ('black', 'Black'),
    ('hispanic', 'Hispanic'),
    ('white', 'White'),
    ('aian', 'American Indian / Alaska Native'),
    ('api', 'Asian / Pacific Islander'),
    ('other', 'Other or multiple'),
    ('unknown', 'Unknown'),
]
# fmt: on

# code, name, kind, data type, numerator, denominator, scope, direction, goal, basis, lag,
# stratified, source/basis
P, R, T, S = "proportion", "rate", "text", "score"
# fmt: off
MEASURES = [
    ('M1', 'Early identification', 'process', 'proportion', 'Youth with an open or prior CW case who were recognised as such at arrest, warrant or detention intake', "Youth with an open or prior CW case referred to JJ in the month (known after the agencies' monthly match)", 'mandatory', 'up', 75, 'absolute', 0, True, 'CYPM Phase I; three quarters identified at arrest in early sites; early identification.'),
    ('M2', 'Timely cross-system notification', 'process', 'proportion', 'Identified crossover youth whose CW worker and JJ counterpart were notified within 24 hours', 'Identified crossover youth in the month', 'mandatory', 'up', 90, 'absolute', 0, False, 'The notification decision point of published CYPM protocols.'),
    ('M3', 'Pre-adjudication detention', 'outcome', 'proportion', 'Crossover youth held in detention before adjudication', 'Crossover youth referred to JJ in the month', 'mandatory', 'down', 0.75, 'baseline_ratio', 0, True, 'Less pre-adjudication detention; about a quarter detained in early sites.'),
    ('M4', 'Diversion or dismissal', 'process', 'proportion', 'Crossover youth whose referral was diverted or dismissed', 'Crossover youth referred to JJ in the month', 'mandatory', 'up', 15, 'baseline_offset', 0, True, 'More diversion of crossover youth.'),
    ('M5', 'Timely joint assessment meeting', 'process', 'proportion', 'Dually involved youth with a joint JJ + CW + family meeting within 10 days of identification', 'Dually involved youth identified in the month', 'mandatory', 'up', 80, 'absolute', 0, False, 'CYPM Phase II; the family team conference.'),
    ('M6', 'Single coordinated case plan', 'process', 'proportion', 'Dually involved youth with one plan agreed by CW and JJ', 'Dually involved youth open 30 days or more', 'optional', 'up', None, 'absolute', 0, False, 'Coordinated case plans.'),
    ('M7', 'Youth and family at joint meetings', 'process', 'proportion', 'Joint meetings attended by the youth and a parent or caregiver', 'Joint meetings held in the month', 'mandatory', 'up', 70, 'absolute', 0, False, 'Family engagement.'),
    ('M8', 'Recidivism within 12 months', 'outcome', 'proportion', 'Youth in the cohort with a new delinquency referral within 12 months', 'Crossover youth identified in the cohort month', 'optional', 'down', None, 'absolute', 12, False, 'Lower recidivism among crossover youth.'),
    ('M9', 'Sustained petitions (penetration)', 'outcome', 'proportion', 'Crossover youth with a sustained delinquency petition', 'Crossover youth referred to JJ', 'optional', 'down', None, 'absolute', 0, False, 'Less penetration into the juvenile justice system.'),
    ('M10', 'Congregate care', 'outcome', 'proportion', 'Crossover youth in group or residential care on the last day of the month', 'Crossover youth in out-of-home care on that day', 'mandatory', 'down', 30, 'absolute', 0, False, 'Less congregate care.'),
    ('M11', 'Living at home or in a family setting', 'outcome', 'proportion', 'Crossover youth living with parents, kin or a foster family on the last day', 'All active crossover youth on that day', 'optional', 'up', None, 'absolute', 0, False, 'More youth at home.'),
    ('M12', 'Placement stability', 'outcome', 'rate', 'Placement moves among crossover youth in the month', 'Days in out-of-home care (shown per 1,000 days)', 'optional', 'down', None, 'absolute', 0, False, 'Placement stability.'),
    ('M13', 'Re-entry to CW from JJ', 'outcome', 'proportion', 'Youth leaving a JJ placement who enter CW custody within 30 days', 'Youth leaving JJ placement in the month', 'optional', 'down', None, 'absolute', 0, False, 'Fewer re-entries.'),
    ('M14', 'Disproportionality (equity)', 'balancing', 'ratio', 'M3 (or M1, M4) rate for youth of colour', 'The same rate for white youth (relative rate index)', 'derived', 'target', 1.0, 'absolute', 0, False, 'Reduce disproportionate representation; derived from the strata of M1, M3 and M4.'),
    ('M15', 'Information sharing in use', 'process', 'proportion', 'Identified youth whose records were exchanged under the MOU within 48 hours', 'Identified crossover youth', 'optional', 'up', None, 'absolute', 0, False, 'More information sharing under MOUs.'),
    ('B1', 'Placement-related offences', 'balancing', 'proportion', 'New charges arising in placement settings', 'Crossover youth in placement', 'optional', 'down', None, 'absolute', 0, False, 'Fell in early sites.'),
    ('B2', 'Staff time in joint meetings', 'balancing', 'rate', 'Staff hours spent in joint meetings', 'Dually involved youth served', 'optional', 'watch', None, 'absolute', 0, False, 'Watch for unintended effects.'),
    ('N1', 'Monthly narrative', 'process', 'text', 'Achievements, learning, barriers, help needed', '', 'mandatory', 'watch', None, 'absolute', 0, False, 'Numbers need their story; written in the monthly report.'),
    ('S1', 'Team self-assessment', 'outcome', 'score', 'Score on the assessment scale', '', 'mandatory', 'up', None, 'absolute', 0, False, "The team's own view of its progress; given in the monthly report."),
]
# fmt: on
# fmt: off
OPTIONAL_ON = {
    'BW': ['M6', 'M9', 'M15'],
    'AG': ['M9'],
    'SB': ['M12'],
    'CV': ['M6', 'M8'],
    'FD': ['M11'],
    'CL': ['M15'],
}
# fmt: on
# fmt: off
CUSTOM_CL = ('CL1', 'ICWA inquiry within 24 hours', 'Identified youth for whom an ICWA inquiry was made within 24 hours of identification', 'Identified crossover youth')
# fmt: on


def seed_change_package(ctx: DemoContext) -> None:
    c = ctx.collaborative
    package = ChangePackage.objects.create(
        collaborative=c,
        version="1.0",
        title="JJ-CW Integration Change Framework (demo)",
        status=ChangePackage.Status.PUBLISHED,
        published_on=date(2008, 5, 20),
        goals="Identify crossover youth early, decide at the least restrictive level, assess and plan "
        "jointly with families, and coordinate until both cases close.",
    )
    ctx.extra["package"] = package
    order = 0
    for text in PRINCIPLES:
        order += 1
        ChangeNode.objects.create(package=package, kind="principle", title=text, order=order)
    for text in VALUES:
        order += 1
        ChangeNode.objects.create(package=package, kind="value", title=text, order=order)
    for i, (code, title, question, tags, ideas) in enumerate(COMPONENTS, start=1):
        component = ChangeNode.objects.create(
            package=package,
            kind="component",
            code=code,
            title=title,
            guiding_question=question,
            order=100 + i,
            tags=tags,
        )
        ctx.nodes[code] = component
        for j, idea in enumerate(ideas, start=1):
            node = ChangeNode.objects.create(
                package=package,
                parent=component,
                kind="idea",
                code=f"{i}.{j}",
                title=idea,
                order=j,
                tags=tags,
            )
            ctx.nodes[f"{i}.{j}"] = node


def seed_measures(ctx: DemoContext) -> None:
    c = ctx.collaborative
    race = Stratifier.objects.create(
        collaborative=c,
        code="race_ethnicity",
        name="Race/ethnicity",
        categories=[{"code": code, "label": label} for code, label in RACE_CATEGORIES],
    )
    ctx.extra["race"] = race
    for order, row in enumerate(MEASURES, start=1):
        (
            code,
            name,
            kind,
            dtype,
            num,
            den,
            scope,
            direction,
            goal,
            basis_kind,
            lag,
            stratified,
            basis,
        ) = row
        measure = Measure.objects.create(
            collaborative=c,
            code=code,
            name=name,
            kind=kind,
            data_type=dtype,
            definition=f"{num}{' ÷ ' + den if den else ''}." if dtype not in (T, S) else num + ".",
            numerator_definition=num if dtype not in (T, S) else "",
            denominator_definition=den if dtype not in (T, S) else "",
            multiplier=100 if dtype == P else (1000 if code == "M12" else 1),
            unit="%" if dtype == P else ("per 1,000 days" if code == "M12" else ""),
            direction=direction,
            goal=goal,
            goal_basis=basis_kind,
            scope=scope,
            lag_months=lag,
            basis=basis,
            order=order,
            effective_from=date(2008, 5, 20),
            source="Agency case-management systems, matched monthly under the MOU"
            if dtype in (P, R)
            else "",
        )
        if stratified:
            measure.stratifiers.add(race)
        ctx.measures[code] = measure
    code, name, num, den = CUSTOM_CL
    custom = Measure.objects.create(
        collaborative=c,
        code=code,
        name=name,
        kind="process",
        data_type=P,
        definition=f"{num} ÷ {den}.",
        numerator_definition=num,
        denominator_definition=den,
        multiplier=100,
        unit="%",
        direction="up",
        scope="custom",
        owner_team=ctx.teams["CL"],
        order=len(MEASURES) + 1,
        basis="The Nation's own measure of ICWA practice.",
        effective_from=date(2008, 9, 1),
    )
    ctx.measures[code] = custom
    mandatory = [m for m in ctx.measures.values() if m.scope == "mandatory"]
    rows = []
    for team_code, team in ctx.teams.items():
        chosen = mandatory + [ctx.measures[m] for m in OPTIONAL_ON.get(team_code, [])]
        if team_code == "CL":
            chosen.append(custom)
        rows += [TeamMeasure(team=team, measure=m) for m in chosen]
    TeamMeasure.objects.bulk_create(rows)
    Aim.objects.bulk_create(
        [
            Aim(
                collaborative=c,
                order=1,
                measure=ctx.measures["M1"],
                target=75,
                by_date=date(2009, 12, 31),
                text="Every jurisdiction identifies at least 75% of CW-involved youth at arrest or detention intake",
            ),
            Aim(
                collaborative=c,
                order=2,
                measure=ctx.measures["M3"],
                target=-25,
                by_date=date(2009, 12, 31),
                text="Pre-adjudication detention of crossover youth down 25% from each team's baseline",
            ),
            Aim(
                collaborative=c,
                order=3,
                measure=ctx.measures["M5"],
                target=80,
                by_date=date(2009, 12, 31),
                text="At least 80% of dually involved youth have a joint assessment meeting within 10 days",
            ),
            Aim(
                collaborative=c,
                order=4,
                target=4,
                by_date=date(2009, 12, 31),
                text="At least 4 of the 7 teams reach 4.0 on the assessment scale",
            ),
        ]
    )
