"""Writes to the publications: the final report and its sections, storyboards, the practice
model, and document builds. Every write keeps history; long texts save through save_versioned so
two editors never silently overwrite each other."""

from __future__ import annotations

import logging
import threading

from django.core.exceptions import ValidationError
from django.db import close_old_connections, transaction
from django.utils import timezone

from breakthrough.concurrency import save_versioned

from .models import (
    Build,
    FinalReport,
    Phase,
    Practice,
    PracticeModel,
    ReportSection,
    TeamStoryboard,
)

log = logging.getLogger(__name__)

# The final report's sections: key, title, what the starting draft says. The data each section
# shows beside its text is drawn by key (templates/publications/_final_body.html).
SECTIONS = (
    ("overview", "Overview", "history"),
    ("methodology", "Methodology", "method"),
    ("results", "Results by component", "results"),
    ("charts", "What the measures show", "charts"),
    ("assessment", "Assessment scores", "assessment"),
    ("teams", "Team profiles", "teams"),
    ("lessons", "Lessons learned", "lessons"),
    ("recommendations", "Recommendations", "recommendations"),
)


def _starting_text(key: str, collaborative) -> str:
    c = collaborative
    when = ""
    if c.start and c.end:
        when = f" from {c.start:%B %Y} to {c.end:%B %Y}"
    drafts = {
        "overview": (
            f"{c.name} ran{when} as a Breakthrough Series Collaborative"
            + (f" on {c.topic.lower()}" if c.topic else "")
            + ".\n\n"
            + (c.mission or "")
            + ("\n\nAim: " + c.aim_statement if c.aim_statement else "")
        ).strip(),
        "methodology": (
            "Teams of agencies tested changes in small, rapid Plan-Do-Study-Act cycles, met at "
            "learning sessions and worked between them in action periods, reporting monthly "
            "measures read on run and control charts. Before the first learning session the "
            "teams' leads took part in the Certificate Program."
        ),
        "results": "Write what the teams' testing showed for each component.",
        "charts": "Write what the pooled charts show across the collaborative.",
        "assessment": "Write how the teams progressed on the assessment scale.",
        "teams": "",
        "lessons": "Write the lessons the collaborative draws from its testing.",
        "recommendations": "Write the recommendations for jurisdictions, funders and policy.",
    }
    return drafts.get(key, "")


@transaction.atomic
def do_create_final_report(collaborative, *, by=None) -> FinalReport:
    """Generate the final report: its sections, each with a starting draft the staff rewrite.
    Calling it again adds only sections that are missing."""
    report, _ = FinalReport.objects.get_or_create(
        collaborative=collaborative,
        defaults={
            "title": f"{collaborative.name}: final report",
            "subtitle": collaborative.topic,
            "created_by": by,
        },
    )
    have = set(report.sections.values_list("key", flat=True))
    for order, (key, title, _kind) in enumerate(SECTIONS):
        if key not in have:
            ReportSection.objects.create(
                report=report,
                key=key,
                title=title,
                body=_starting_text(key, collaborative),
                order=order,
                updated_by=by,
            )
    return report


@transaction.atomic
def do_update_section(
    section: ReportSection, *, expected_version: int, title: str, body: str, by=None
) -> ReportSection:
    """Change a section's text; EditConflict if someone saved it meanwhile."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Give the section a title."})
    section.title = title
    section.body = body
    section.updated_at = timezone.now()
    section.updated_by = by
    _save_text(section, expected_version, ["title", "body"])
    return section


def _save_text(instance, expected_version: int, fields: list[str]) -> None:
    """save_versioned on the words only: who saved and when never make a conflict by themselves."""
    save_versioned(instance, expected_version, fields)
    type(instance).objects.filter(pk=instance.pk).update(
        updated_at=instance.updated_at, updated_by=instance.updated_by
    )


@transaction.atomic
def do_update_final_report(
    report: FinalReport,
    *,
    expected_version: int,
    title: str,
    subtitle: str,
    status: str,
    public_page: bool,
    by=None,
) -> FinalReport:
    """Change the title, publication status and the public page setting."""
    if status not in FinalReport.Status.values:
        raise ValidationError({"status": f"'{status}' is not a status; use draft or published."})
    if public_page and status != FinalReport.Status.PUBLISHED:
        raise ValidationError(
            {"public_page": "Publish the report before showing it on the public page."}
        )
    report.title = title.strip() or report.title
    report.subtitle = subtitle.strip()
    if status == FinalReport.Status.PUBLISHED and not report.published_on:
        report.published_on = timezone.localdate()
    report.status = status
    report.public_page = public_page
    save_versioned(
        report, expected_version, ["title", "subtitle", "status", "published_on", "public_page"]
    )
    return report


# --------------------------------------------------------------------------------------------
# Storyboards


def storyboard_for(team) -> TeamStoryboard:
    """The team's storyboard, or an unsaved one with a starting draft."""
    found = TeamStoryboard.objects.filter(team=team).select_related("event", "until_period").first()
    if found:
        return found
    return TeamStoryboard(
        team=team,
        title=f"{team.name}: our storyboard",
        aim=team.aim,
    )


@transaction.atomic
def do_save_storyboard(
    team, *, expected_version: int | None, by=None, event=None, until_period=None, **text
) -> TeamStoryboard:
    """Create or change the team's storyboard text; EditConflict if someone saved it meanwhile."""
    unknown = set(text) - set(TeamStoryboard.TEXT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown storyboard fields: {', '.join(sorted(unknown))}")
    if event is not None and event.collaborative_id != team.collaborative_id:
        raise ValidationError({"event": "That event belongs to another collaborative."})
    if until_period is not None and until_period.collaborative_id != team.collaborative_id:
        raise ValidationError({"until_period": "That month belongs to another collaborative."})
    if not (text.get("title") or "").strip():
        raise ValidationError({"title": "Give the storyboard a title."})
    board = TeamStoryboard.objects.filter(team=team).first()
    fields = [*text, "event", "until_period"]
    if board is None:
        board = TeamStoryboard(team=team)
        for name, value in text.items():
            setattr(board, name, value)
        board.event, board.until_period, board.updated_by = event, until_period, by
        board.save()
        return board
    for name, value in text.items():
        setattr(board, name, value)
    board.event, board.until_period = event, until_period
    board.updated_at, board.updated_by = timezone.now(), by
    _save_text(board, expected_version or 0, fields)
    return board


# --------------------------------------------------------------------------------------------
# Practice model


@transaction.atomic
def do_create_practice_model(collaborative, *, title: str = "", by=None) -> PracticeModel:
    model, _ = PracticeModel.objects.get_or_create(
        collaborative=collaborative,
        defaults={"title": (title or f"{collaborative.name} practice model").strip()},
    )
    return model


@transaction.atomic
def do_update_practice_model(
    model: PracticeModel, *, expected_version: int, title: str, introduction: str, status: str
) -> PracticeModel:
    if not title.strip():
        raise ValidationError({"title": "Give the practice model a title."})
    if status not in PracticeModel.Status.values:
        raise ValidationError({"status": f"'{status}' is not a status; use draft or published."})
    model.title, model.introduction, model.status = title.strip(), introduction, status
    save_versioned(model, expected_version, ["title", "introduction", "status"])
    return model


@transaction.atomic
def do_save_phase(
    model: PracticeModel,
    phase: Phase | None = None,
    *,
    expected_version: int | None = None,
    code: str,
    title: str,
    description: str = "",
    order: int | None = None,
) -> Phase:
    if not title.strip():
        raise ValidationError({"title": "Give the phase a title."})
    if phase is None:
        if order is None:
            order = model.phases.count()
        return Phase.objects.create(
            model=model,
            code=code.strip(),
            title=title.strip(),
            description=description,
            order=order,
        )
    phase.code, phase.title, phase.description = code.strip(), title.strip(), description
    fields = ["code", "title", "description"]
    if order is not None:
        phase.order = order
        fields.append("order")
    save_versioned(phase, expected_version or 0, fields)
    return phase


def _check_practice(model: PracticeModel, nodes, lessons, fidelity_measure) -> None:
    c = model.collaborative_id
    if any(n.package.collaborative_id != c for n in nodes):
        raise ValidationError({"nodes": "A change idea belongs to another collaborative."})
    if any(lesson.collaborative_id != c for lesson in lessons):
        raise ValidationError({"lessons": "A lesson belongs to another collaborative."})
    if fidelity_measure is not None and fidelity_measure.collaborative_id != c:
        raise ValidationError(
            {"fidelity_measure": "That measure belongs to another collaborative."}
        )


@transaction.atomic
def do_save_practice(
    phase: Phase,
    practice: Practice | None = None,
    *,
    expected_version: int | None = None,
    area: str,
    title: str,
    description: str = "",
    nodes=(),
    lessons=(),
    fidelity_measure=None,
    order: int | None = None,
) -> Practice:
    """Add a practice to a phase, or change one (EditConflict if someone saved it meanwhile)."""
    nodes, lessons = list(nodes), list(lessons)
    _check_practice(phase.model, nodes, lessons, fidelity_measure)
    if not title.strip():
        raise ValidationError({"title": "Name the practice."})
    if not area.strip():
        raise ValidationError({"area": "Name the practice area or decision point."})
    if practice is None:
        practice = Practice.objects.create(
            phase=phase,
            area=area.strip(),
            title=title.strip(),
            description=description,
            fidelity_measure=fidelity_measure,
            order=phase.practices.count() if order is None else order,
        )
    else:
        practice.phase = phase
        practice.area, practice.title = area.strip(), title.strip()
        practice.description, practice.fidelity_measure = description, fidelity_measure
        fields = ["phase", "area", "title", "description", "fidelity_measure"]
        if order is not None:
            practice.order = order
            fields.append("order")
        save_versioned(practice, expected_version or 0, fields)
    practice.nodes.set(nodes)
    practice.lessons.set(lessons)
    return practice


@transaction.atomic
def do_delete_practice(practice: Practice) -> None:
    practice.delete()


@transaction.atomic
def do_model_to_package(model: PracticeModel, *, version: str, by=None):
    """Make the practice model the next change-package version.

    Drafts the next version from the current package with the change package's own action
    (`do_draft_package`, nodes keep their lineage), then tags each node a practice cites with the
    practice's phase, and adds practices that cite no idea as new ideas under a component named
    after their phase.
    """
    from breakthrough.changes import actions as change_actions
    from breakthrough.changes.lineage import resolve_to_package
    from breakthrough.changes.models import ChangeNode
    from breakthrough.pdsa.status import current_package

    current = current_package(model.collaborative_id)
    if current is None:
        raise ValidationError("The collaborative has no change package to draft from.")
    draft = change_actions.do_draft_package(
        current, version=version, title=f"{current.title} ({model.title})", by=by
    )
    mapping = resolve_to_package(draft)
    components: dict[int, ChangeNode] = {}
    top_order = draft.nodes.filter(parent__isnull=True).count()
    for phase in model.phases.prefetch_related("practices__nodes"):
        tag = phase.code or phase.title
        for practice in phase.practices.all():
            cited = [mapping[n.pk] for n in practice.nodes.all() if n.pk in mapping]
            for node in ChangeNode.objects.filter(pk__in=cited):
                if tag not in node.tags:
                    node.tags = [*node.tags, tag]
                    node.save(update_fields=["tags"])
            if cited:
                continue
            if phase.pk not in components:
                top_order += 1
                components[phase.pk] = change_actions.do_add_node(
                    draft,
                    parent=None,
                    kind=ChangeNode.Kind.COMPONENT,
                    code=phase.code[:20],
                    title=phase.title,
                    description=phase.description,
                    by=by,
                )
                components[phase.pk].tags = [tag]
                components[phase.pk].save(update_fields=["tags"])
            idea = change_actions.do_add_node(
                draft,
                parent=components[phase.pk],
                kind=ChangeNode.Kind.IDEA,
                code="",
                title=practice.title[:300],
                description=practice.description,
                by=by,
            )
            idea.tags = [tag, practice.area]
            idea.save(update_fields=["tags"])
    model.package = draft
    model.save(update_fields=["package"])
    return draft


# --------------------------------------------------------------------------------------------
# Builds (long exports run outside the web request)


@transaction.atomic
def do_request_build(collaborative, *, kind: str, fmt: str, by=None) -> Build:
    if kind not in Build.Kind.values:
        raise ValidationError({"kind": f"'{kind}' is not a document; use final or model."})
    if fmt not in Build.Format.values:
        raise ValidationError({"format": f"'{fmt}' is not a format; use pdf, docx or html."})
    return Build.objects.create(collaborative=collaborative, kind=kind, format=fmt, requested_by=by)


def run_build(build_id: int) -> Build:
    """Make the document of a build, telling its row how far it got. Safe to run in a thread."""
    from breakthrough.collaboratives.access import standing_for

    from . import documents

    build = Build.objects.select_related("collaborative", "requested_by").get(pk=build_id)
    Build.objects.filter(pk=build_id).update(state=Build.State.RUNNING, step="Starting")

    def tell(fraction: float, step: str) -> None:
        Build.objects.filter(pk=build_id).update(
            progress=max(0, min(99, int(fraction * 100))), step=step[:200]
        )

    try:
        standing = standing_for(build.requested_by, build.collaborative)
        if build.kind == Build.Kind.FINAL:
            data = documents.final_report_file(
                build.collaborative, standing, build.format, progress=tell
            )
        else:
            data = documents.practice_model_file(
                build.collaborative, standing, build.format, progress=tell
            )
    except Exception as exc:  # the page must say it failed rather than spin forever
        log.exception("Build %s failed", build_id)
        Build.objects.filter(pk=build_id).update(
            state=Build.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
    else:
        Build.objects.filter(pk=build_id).update(
            state=Build.State.DONE,
            progress=100,
            step="Ready",
            output=data,
            finished_at=timezone.now(),
        )
    build.refresh_from_db()
    return build


def start_build(build: Build, *, background: bool = True) -> None:
    """Run the build in a background thread (the web request returns at once) or right here."""
    if not background:
        run_build(build.pk)
        return

    def work() -> None:
        close_old_connections()
        try:
            run_build(build.pk)
        finally:
            close_old_connections()
            from django.db import connection

            connection.close()

    transaction.on_commit(
        lambda: threading.Thread(target=work, name=f"build-{build.pk}", daemon=True).start()
    )
