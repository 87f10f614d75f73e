"""The documents at the edge: HTML templates to PDF (WeasyPrint) and the same content to DOCX
(python-docx), charts drawn as PNG for Word and SVG for the page and the PDF."""

from __future__ import annotations

import io
import logging
import re

from django.template.loader import render_to_string
from django.utils import timezone

from . import content, practice_evidence
from .models import FinalReport, PracticeModel

FORMATS = ("pdf", "docx", "html")


def _noop(fraction: float, step: str) -> None:
    return None


def _pdf(html: str) -> bytes:
    # Before the import: WeasyPrint logs its own stylesheets' parsing when it loads.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


# --------------------------------------------------------------------------------------------
# Final report


def final_context(collaborative, standing, *, progress=_noop, charts: bool = True) -> dict:
    report = FinalReport.objects.get(collaborative=collaborative)
    sections = list(report.sections.all())
    evidence = content.final_evidence(collaborative, standing, charts=charts, progress=progress)
    return {
        "report": report,
        "sections": sections,
        "ev": evidence,
        "collaborative": collaborative,
        "generated": timezone.localtime(timezone=collaborative.tz),
    }


def final_report_file(collaborative, standing, fmt: str, *, progress=_noop) -> bytes:
    """The final report as a PDF, DOCX or standalone HTML file."""
    if fmt not in FORMATS:
        raise ValueError(f"'{fmt}' is not a format; use pdf, docx or html.")
    ctx = final_context(collaborative, standing, progress=progress)
    progress(0.85, "Laying out the document")
    if fmt == "docx":
        data = final_docx(ctx)
    else:
        html = render_to_string(
            "publications/final_document.html", {**ctx, "for_pdf": fmt == "pdf"}
        )
        data = _pdf(html) if fmt == "pdf" else html.encode()
    progress(1.0, "Ready")
    return data


# --------------------------------------------------------------------------------------------
# Storyboard


def storyboard_context(board, standing, *, charts: bool = True) -> dict:
    team = board.team
    return {
        "board": board,
        "team": team,
        "collaborative": team.collaborative,
        "ev": content.storyboard_evidence(team, standing, board.until_period, charts=charts),
        "generated": timezone.localtime(timezone=team.collaborative.tz),
    }


def storyboard_file(board, standing, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"'{fmt}' is not a format; use pdf, docx or html.")
    ctx = storyboard_context(board, standing)
    if fmt == "docx":
        return storyboard_docx(ctx)
    html = render_to_string("publications/storyboard_document.html", {**ctx, "for_pdf": True})
    return _pdf(html) if fmt == "pdf" else html.encode()


# --------------------------------------------------------------------------------------------
# Practice model


def model_context(collaborative, standing, *, charts: bool = True) -> dict:
    model = PracticeModel.objects.get(collaborative=collaborative)
    phases = list(model.phases.all())
    evidence = practice_evidence.practice_evidence(model, standing, charts=charts)
    for phase in phases:
        areas: dict[str, list] = {}
        for p in sorted(
            (e.practice for e in evidence.values() if e.practice.phase_id == phase.pk),
            key=lambda p: (p.order, p.pk),
        ):
            areas.setdefault(p.area, []).append(evidence[p.pk])
        phase.areas = list(areas.items())
    return {
        "model": model,
        "phases": phases,
        "collaborative": collaborative,
        "generated": timezone.localtime(timezone=collaborative.tz),
    }


def practice_model_file(collaborative, standing, fmt: str, *, progress=_noop) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"'{fmt}' is not a format; use pdf, docx or html.")
    progress(0.1, "Gathering the evidence of each practice")
    ctx = model_context(collaborative, standing)
    progress(0.6, "Laying out the document")
    if fmt == "docx":
        return model_docx(ctx)
    html = render_to_string("publications/model_document.html", {**ctx, "for_pdf": True})
    return _pdf(html) if fmt == "pdf" else html.encode()


# --------------------------------------------------------------------------------------------
# DOCX


class _Docx:
    """A small writer over python-docx with the house look: headings, text, tables, charts."""

    def __init__(self, title: str, subtitle: str = "", demo: bool = False):
        from docx import Document
        from docx.shared import Pt, RGBColor

        self.doc = Document()
        styles = self.doc.styles
        styles["Normal"].font.name = "Calibri"
        styles["Normal"].font.size = Pt(10.5)
        for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
            styles[name].font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
        self.doc.add_paragraph(title, style="Title")
        if subtitle:
            self.doc.add_paragraph(subtitle, style="Subtitle")
        if demo:
            p = self.doc.add_paragraph()
            run = p.add_run("DEMO — FICTIONAL DATA")
            run.bold = True

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_heading(text, level=level)

    def para(self, text: str, *, italic: bool = False, bold_lead: str = "") -> None:
        p = self.doc.add_paragraph()
        if bold_lead:
            p.add_run(bold_lead).bold = True
        run = p.add_run(text)
        run.italic = italic

    def markdown(self, text: str) -> None:
        """The narrative: paragraphs and '-' bullets; **bold** markers are dropped."""
        for block in re.split(r"\n\s*\n", text or ""):
            lines = [ln for ln in block.splitlines() if ln.strip()]
            if not lines:
                continue
            if all(ln.lstrip().startswith(("- ", "* ")) for ln in lines):
                for ln in lines:
                    self.doc.add_paragraph(_plain(ln.lstrip()[2:]), style="List Bullet")
            elif lines[0].startswith("#"):
                self.heading(_plain(lines[0].lstrip("# ")), 3)
                if lines[1:]:
                    self.doc.add_paragraph(_plain(" ".join(lines[1:])))
            else:
                self.doc.add_paragraph(_plain(" ".join(lines)))

    def table(self, head: list[str], rows: list[list], *, caption: str = "") -> None:
        if caption:
            p = self.doc.add_paragraph()
            p.add_run(caption).italic = True
        t = self.doc.add_table(rows=1, cols=len(head))
        t.style = "Light Grid Accent 1"
        for cell, text in zip(t.rows[0].cells, head, strict=True):
            cell.text = str(text)
        for row in rows:
            cells = t.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = "" if text is None else str(text)
        self.doc.add_paragraph()

    def chart(self, chart, width_cm: float = 16) -> None:
        from docx.shared import Cm

        png = chart.render("png")
        self.doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
        p = self.doc.add_paragraph()
        p.add_run(f"{chart.title}. " if chart.title else "").bold = True
        p.add_run(chart.caption).italic = True

    def page_break(self) -> None:
        self.doc.add_page_break()

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _plain(text: str) -> str:
    return re.sub(r"(\*\*|__|\*|`)", "", text)


def _d(decisions: dict) -> str:
    return ", ".join(f"{n} {k}" for k, n in decisions.items() if n) or "none yet"


def final_docx(ctx: dict) -> bytes:
    report, ev, c = ctx["report"], ctx["ev"], ctx["collaborative"]
    w = _Docx(report.title, report.subtitle, c.is_demo)
    w.para(
        f"{report.get_status_display()} · generated {ctx['generated']:%d %B %Y}. "
        "Figures and charts are computed from the collaborative's data."
    )
    for section in ctx["sections"]:
        w.heading(section.title, 1)
        w.markdown(section.body)
        key = section.key
        if key == "overview":
            if ev.sponsors:
                w.table(
                    ["Sponsor", "Role"],
                    [[s.organisation.name, s.get_role_display()] for s in ev.sponsors],
                    caption="Sponsors",
                )
            w.table(
                ["Role", "Person"],
                [[s.get_role_display(), s.person.display_name] for s in ev.staff],
                caption="Structure: faculty and staff",
            )
            w.table(
                ["Date", "Event", "Where"],
                [[f"{e.start:%d %b %Y}", e.title, e.location] for e in ev.convenings],
                caption="Calendar",
            )
            w.para(
                f"{ev.totals['teams']} teams, {ev.agencies} agencies and {ev.people} people "
                "took part.",
                bold_lead="Participants. ",
            )
        elif key == "methodology":
            if ev.package:
                w.para(
                    f"{ev.package.title} (version {ev.package.version}): "
                    f"{len(ev.components)} components, {ev.totals['ideas']} change ideas.",
                    bold_lead="Change package. ",
                )
            w.para(f"{ev.certificate_sessions} sessions.", bold_lead="Certificate Program. ")
        elif key == "results":
            t = ev.totals
            w.para(
                f"{t['cycles']} PDSA cycles on {t['ramps']} ramps; {t['ideas_tested']} of "
                f"{t['ideas']} change ideas tested; decisions: {_d(t['decisions'])}; "
                f"{t['teams_adopting']} teams adopted at least one change.",
                bold_lead="In all. ",
            )
            for comp in ev.components:
                w.heading(f"{comp.node.code} {comp.node.title}".strip(), 2)
                w.para(
                    f"{comp.ideas_tested} of {len(comp.ideas)} ideas tested by "
                    f"{comp.teams_tested} teams in {comp.cycles} cycles; decisions: "
                    f"{_d(comp.decisions)}."
                )
                w.table(
                    ["Change idea", "Teams", "Cycles", "Adopt", "Adapt", "Abandon"],
                    [
                        [
                            f"{i.node.code} {i.node.title}".strip(),
                            i.teams_tested,
                            i.cycles,
                            i.decisions["adopt"],
                            i.decisions["adapt"],
                            i.decisions["abandon"],
                        ]
                        for i in comp.ideas
                    ],
                )
                for cy in comp.examples:
                    w.para(
                        f"{cy.title} ({cy.team.name}, cycle {cy.cycle_no}): {cy.learned}",
                        bold_lead="Example cycle. ",
                    )
            if ev.status_chart:
                w.chart(ev.status_chart)
        elif key == "charts":
            if ev.measures:
                w.table(
                    ["Measure", "Month", "Teams reporting", "All teams pooled"],
                    [
                        [
                            f"{m.measure.code} {m.measure.name}",
                            m.period.label if m.period else "",
                            m.teams,
                            m.shown,
                        ]
                        for m in ev.measures
                    ],
                    caption="The latest month of each shared measure",
                )
            if not ev.charts_available:
                w.para("The measure charts are not available in this installation.", italic=True)
            for chart in [*ev.pooled, *ev.multiples]:
                w.chart(chart)
        elif key == "assessment":
            w.para(
                f"{ev.teams_at_4} of {ev.teams_scored} teams scored had reached 4.0 or more "
                "at their latest agreed faculty score.",
                bold_lead="Teams at 4.0. ",
            )
            if ev.trajectory:
                w.chart(ev.trajectory)
            else:
                w.para("No assessment scores yet.", italic=True)
        elif key == "teams":
            w.table(
                ["Team", "Agencies", "People", "Cycles", "Ideas tested", "Adopted", "Score"],
                [
                    [
                        p.team.name,
                        ", ".join(p.agencies),
                        p.people,
                        p.cycles,
                        p.ideas_tested,
                        p.ideas_adopted,
                        p.latest_score if p.latest_score is not None else "—",
                    ]
                    for p in ev.profiles
                ],
            )
        elif key == "lessons":
            for lesson in ev.lessons:
                w.para(
                    f"{lesson.statement} ({lesson.get_strength_display().lower()}; "
                    f"{lesson.teams.count()} teams)",
                    bold_lead="• ",
                )
    return w.bytes()


def storyboard_docx(ctx: dict) -> bytes:
    board, ev, team = ctx["board"], ctx["ev"], ctx["team"]
    w = _Docx(board.title, f"{team.name} · {team.collaborative.name}", team.collaborative.is_demo)
    w.heading("Aim", 1)
    w.markdown(board.aim or team.aim)
    w.heading("Our team", 1)
    w.para(f"{ev.people} people from {', '.join(ev.agencies) or 'the team'}.")
    if board.story:
        w.markdown(board.story)
    w.heading("Changes we tested", 1)
    w.markdown(board.changes)
    w.table(
        ["Ramp", "Change idea", "Cycles", "Latest decision"],
        [[r.title, r.idea, r.cycles, r.decision or "—"] for r in ev.ramps],
    )
    w.heading("What the charts show", 1)
    w.markdown(board.results)
    if not ev.charts_available:
        w.para("The measure charts are not available in this installation.", italic=True)
    for chart in ev.charts:
        w.chart(chart, 14)
    w.heading("Lessons learned", 1)
    w.markdown(board.lessons)
    for lesson in ev.lessons:
        w.para(lesson.statement, bold_lead="• ")
    w.heading("Next steps", 1)
    w.markdown(board.next_steps)
    return w.bytes()


def model_docx(ctx: dict) -> bytes:
    model, c = ctx["model"], ctx["collaborative"]
    w = _Docx(model.title, c.name, c.is_demo)
    w.markdown(model.introduction)
    for phase in ctx["phases"]:
        w.heading(str(phase), 1)
        w.markdown(phase.description)
        for area, items in phase.areas:
            w.heading(area, 2)
            for e in items:
                w.heading(e.practice.title, 3)
                w.markdown(e.practice.description)
                if e.adopted:
                    w.para(
                        f"adopted in {len(e.adopted)} cycles by {', '.join(e.teams)}.",
                        bold_lead="Evidence: ",
                    )
                for lesson in e.lessons:
                    w.para(lesson.statement, bold_lead="Lesson: ")
                if e.fidelity:
                    w.para(f"{e.fidelity.code} {e.fidelity.name}", bold_lead="Fidelity measure: ")
                for chart in e.charts:
                    w.chart(chart, 12)
    return w.bytes()
