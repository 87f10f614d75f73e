"""The demo's draft final report and its practice-model draft (DEMO.md §10: "Crossover practice
model (demo) v0.1", CYPM Phases I–III, 5 practices linked to lessons 1–5)."""

from __future__ import annotations

from breakthrough.changes.models import Lesson
from breakthrough.publications import actions

from . import DemoContext

PHASES = [
    (
        "Phase I",
        "Identification, arrest and detention decisions",
        "Youth known to child welfare are identified as soon as they enter juvenile justice, and "
        "both systems are heard before detention and charging decisions.",
    ),
    (
        "Phase II",
        "Joint assessment and case planning",
        "Once a youth is dually involved, both systems and the family assess the youth together "
        "and build one plan.",
    ),
    (
        "Phase III",
        "Coordinated case management, transition and closure",
        "Joint supervision, planning for permanency and transition, and case closure. The demo "
        "teams did not test this phase; it is left for the next collaborative.",
    ),
]

# (phase index, decision point, practice, description, change ideas, lesson number, fidelity)
PRACTICES = [
    (
        0,
        "Identification",
        "Match juvenile justice intake against child-welfare records every day, automatically",
        "A nightly automated match flags every youth with an open or prior child-welfare case "
        "before the detention hearing.",
        ["1.1"],
        1,
        "M1",
    ),
    (
        0,
        "Detention decision",
        "Hear the child-welfare worker before the detention decision",
        "A liaison call or a short conference with the youth's child-welfare worker before "
        "detention keeps youth in their placement when it is safe.",
        ["1.3", "1.5"],
        2,
        "M3",
    ),
    (
        0,
        "Information sharing",
        "Turn the information-sharing MOU into a one-page staff guide",
        "Staff learn what the MOU lets them share, at intake, from a one-page guide.",
        ["4.1", "4.2"],
        5,
        "M2",
    ),
    (
        1,
        "Joint assessment meeting",
        "Give joint meetings one convener and a standing weekly slot",
        "One person convenes every joint JJ + CW + family meeting in a fixed slot, so meetings "
        "happen within 10 days of identification.",
        ["2.1"],
        3,
        "M5",
    ),
    (
        1,
        "Family engagement",
        "Have someone the family knows invite them, at a time that suits them",
        "A family partner or elder invites the family; evening meetings are offered.",
        ["5.1", "5.2"],
        4,
        "M7",
    ),
]

SECTION_TEXT = {
    "results": (
        "Across the collaborative the teams concentrated on early identification (C1) and joint "
        "assessment (C2). The tables below list, for each component, the change ideas tested, by "
        "how many teams and with what decisions; the example cycles are adopted changes.\n\n"
        "*Demo draft: staff rewrite this text before the report is published.*"
    ),
    "recommendations": (
        "- Make the automated daily match a condition of joining the next collaborative.\n"
        "- Give every joint meeting one convener and a standing slot.\n"
        "- Pool small teams' data by quarter from the first month."
    ),
}


def seed(ctx: DemoContext) -> None:
    c = ctx.collaborative
    director = ctx.people["director"]
    report = actions.do_create_final_report(c, by=director)
    for section in report.sections.all():
        if section.key in SECTION_TEXT:
            actions.do_update_section(
                section,
                expected_version=section.edit_version,
                title=section.title,
                body=SECTION_TEXT[section.key],
                by=director,
            )
    model = actions.do_create_practice_model(
        c, title="Crossover practice model (demo) v0.1", by=director
    )
    model.introduction = (
        "A draft practice model built from the demo collaborative's lessons and adopted changes, "
        "organised like the Crossover Youth Practice Model in three phases. Each practice cites "
        "the lessons and adopted PDSA cycles it comes from and the measure of its fidelity."
    )
    model.save(update_fields=["introduction"])
    phases = [
        actions.do_save_phase(model, code=code, title=title, description=text, order=i)
        for i, (code, title, text) in enumerate(PHASES)
    ]
    lessons = list(Lesson.objects.filter(collaborative=c).order_by("id"))
    for order, (phase, area, title, text, ideas, lesson_no, measure) in enumerate(PRACTICES):
        actions.do_save_practice(
            phases[phase],
            area=area,
            title=title,
            description=text,
            nodes=[ctx.nodes[code] for code in ideas],
            lessons=[lessons[lesson_no - 1]],
            fidelity_measure=ctx.measures[measure],
            order=order,
        )
