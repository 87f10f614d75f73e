"""Every write of the action-period part: reports, scores, the scale, settings and sessions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from breakthrough.changes.models import ChangeNode, ChangePackage
from breakthrough.collaboratives.models import StaffRole
from breakthrough.concurrency import save_versioned
from breakthrough.notifications.actions import absolute_url, do_send_email
from breakthrough.teams.models import Membership

from . import evidence
from .models import (
    Assessment,
    AssessmentScale,
    ComponentStatus,
    MonthlyReport,
    ReportRevision,
    ReportSettings,
    ScaleLevel,
)
from .scale import current_scale, default_levels

NARRATIVE_FIELDS = [
    "achievements",
    "learning",
    "barriers",
    "help_needed",
    "self_score",
    "self_justification",
]


class ReportError(ValidationError):
    """An action that the report's state or the rules do not allow; the message says why."""


# ---------------------------------------------------------------------------------------------
# Settings and scale


def settings_for(collaborative) -> ReportSettings:
    """The collaborative's report settings (defaults when never saved; not written)."""
    try:
        return collaborative.report_settings
    except ReportSettings.DoesNotExist:
        return ReportSettings(collaborative=collaborative)


def scorers_for(collaborative) -> list:
    """Who scores every report: the assigned faculty, else the director and advisor."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    cfg = settings_for(collaborative)
    if cfg.pk:
        assigned = list(cfg.scorers.order_by("full_name", "pk"))
        if assigned:
            return assigned
    ids = StaffRole.objects.filter(
        collaborative=collaborative, role__in=["director", "advisor"], ended_on__isnull=True
    ).values("person_id")
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "pk"))


@transaction.atomic
def do_update_report_settings(
    collaborative, *, expected_version: int, scorers, **fields
) -> ReportSettings:
    cfg, _ = ReportSettings.objects.get_or_create(collaborative=collaborative)
    for name, value in fields.items():
        setattr(cfg, name, value)
    save_versioned(cfg, expected_version, list(fields))
    cfg.scorers.set(scorers)
    return cfg


@transaction.atomic
def do_save_scale(
    collaborative, *, levels: list[dict], by=None, note: str = "", name: str = ""
) -> AssessmentScale:
    """Save the scale's labels and definitions as a new version (earlier versions stay)."""
    previous = AssessmentScale.objects.filter(collaborative=collaborative).order_by("-version")
    latest = previous.first()
    scale = AssessmentScale.objects.create(
        collaborative=collaborative,
        version=(latest.version + 1) if latest else 1,
        name=name or (latest.name if latest else "Assessment scale"),
        note=note,
        created_by=by,
    )
    bulk_create_with_history(
        [
            ScaleLevel(
                scale=scale,
                value=Decimal(str(lv["value"])),
                label=lv["label"],
                definition=lv["definition"],
                local_notes=lv.get("local_notes", ""),
            )
            for lv in levels
        ],
        ScaleLevel,
        default_user=by,
    )
    return scale


def ensure_scale(collaborative, by=None, scale=None) -> AssessmentScale:
    """The current scale record, saving the default text as version 1 the first time."""
    scale = scale or current_scale(collaborative)
    if scale.record is not None:
        return scale.record
    return do_save_scale(
        collaborative,
        levels=[
            {"value": lv.value, "label": lv.label, "definition": lv.definition}
            for lv in default_levels()
        ],
        by=by,
        note="Default text (paraphrase of the IHI assessment scale).",
    )


# ---------------------------------------------------------------------------------------------
# Writing and submitting reports


def report_components(collaborative) -> list[ChangeNode]:
    """The components of the current published change package, in order."""
    package = (
        ChangePackage.objects.filter(
            collaborative=collaborative, status=ChangePackage.Status.PUBLISHED
        )
        .order_by("-published_on", "-id")
        .first()
    )
    if package is None:
        return []
    return list(
        package.nodes.filter(
            kind__in=[ChangeNode.Kind.COMPONENT, ChangeNode.Kind.PRIMARY_DRIVER], retired=False
        ).order_by("order", "id")
    )


def suggested_statuses(
    team, derived: dict[int, str] | None = None
) -> tuple[list[ChangeNode], dict[int, str]]:
    """The rows a new report starts with: every component, plus ideas the team's PDSAs touch.

    `derived` (node id -> status) replaces the statuses of the team's PDSA cycles today.
    """
    components = report_components(team.collaborative)
    if derived is None:
        derived = evidence.pdsa_statuses(team)
    rows = list(components)
    ideas = [
        n
        for n in ChangeNode.objects.filter(
            pk__in=[pk for pk, s in derived.items() if s != "not_started"],
            kind=ChangeNode.Kind.IDEA,
        )
        .select_related("parent")
        .order_by("order", "id")
    ]
    if ideas:
        order = {c.pk: i for i, c in enumerate(components)}
        rows = []
        for c in components:
            rows.append(c)
            rows.extend(i for i in ideas if i.parent_id == c.pk)
        rows.extend(i for i in ideas if i.parent_id not in order)
    return rows, derived


@transaction.atomic
def do_start_report(
    team, period, *, by=None, derived: dict[int, str] | None = None
) -> MonthlyReport:
    """Create the team's draft for the period, statuses pre-filled from its PDSA cycles.

    `derived` (node id -> status) replaces what the PDSA cycles suggest, e.g. when importing.
    """
    report, created = MonthlyReport.objects.get_or_create(
        team=team, period=period, defaults={"updated_by": by}
    )
    if not created:
        return report
    rows, derived = suggested_statuses(team, derived)
    previous = (
        MonthlyReport.objects.filter(team=team, period__start__lt=period.start)
        .exclude(state=MonthlyReport.State.SKIPPED)
        .order_by("-period__start")
        .first()
    )
    carried = (
        {cs.node_id: cs.status for cs in previous.component_statuses.all()} if previous else {}
    )
    bulk_create_with_history(
        [
            ComponentStatus(
                report=report,
                node=node,
                suggested_status=derived.get(node.pk, ""),
                status=derived.get(node.pk) or carried.get(node.pk) or "not_started",
                order=i,
            )
            for i, node in enumerate(rows)
        ],
        ComponentStatus,
        default_user=by,
    )
    return report


@transaction.atomic
def do_save_report_draft(
    report: MonthlyReport,
    *,
    data: dict,
    statuses: dict[int, tuple[str, str]],
    expected_version: int,
    by=None,
) -> MonthlyReport:
    """Save the narrative, self-score and statuses; EditConflict if someone saved meanwhile."""
    if not report.is_editable:
        raise ReportError(
            f"This report is {report.get_state_display().lower()}; reopen it to change it."
        )
    for name in NARRATIVE_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    report.updated_at = timezone.now()
    report.updated_by = by
    save_versioned(report, expected_version, [*NARRATIVE_FIELDS, "updated_at", "updated_by"])
    for cs in report.component_statuses.all():
        if cs.node_id in statuses:
            status, notes = statuses[cs.node_id]
            if (status, notes) != (cs.status, cs.notes):
                cs.status, cs.notes = status, notes
                cs.save(update_fields=["status", "notes"])
    return report


def missing_for_submission(report: MonthlyReport) -> list[str]:
    """What must be filled in before the report can be submitted (empty when ready)."""
    missing = []
    if report.self_score is None:
        missing.append("the self-assessment score")
    if not report.achievements.strip():
        missing.append("achievements")
    return missing


def _snapshot(report: MonthlyReport) -> dict:
    return {
        **{name: str(getattr(report, name) or "") for name in NARRATIVE_FIELDS},
        "statuses": [
            {"node": cs.node_id, "label": str(cs.node), "status": cs.status, "notes": cs.notes}
            for cs in report.component_statuses.select_related("node")
        ],
    }


def _team_people(team, *, leaders=False, leads=False, data=False, coaches=False) -> list:
    people = []
    memberships = Membership.objects.filter(team=team, ended_on__isnull=True).select_related(
        "person"
    )
    for m in memberships:
        if (
            (leaders and m.is_senior_leader)
            or (leads and m.is_day_to_day_lead)
            or (data and m.is_data_contact)
        ):
            people.append(m.person)
    if coaches:
        people += [
            r.person
            for r in StaffRole.objects.filter(
                collaborative=team.collaborative, role="coach", teams=team, ended_on__isnull=True
            ).select_related("person")
        ]
    seen, out = set(), []
    for p in people:
        if p.pk not in seen and p.email:
            seen.add(p.pk)
            out.append(p)
    return out


@transaction.atomic
def do_submit_report(report: MonthlyReport, *, by=None) -> MonthlyReport:
    """Submit: keep the revision, record the self-assessment, tell the senior leader and coach."""
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_editable:
        raise ReportError(f"This report is already {report.get_state_display().lower()}.")
    if missing := missing_for_submission(report):
        raise ReportError(f"Before submitting, fill in {' and '.join(missing)}.")
    now = timezone.now()
    report.state = MonthlyReport.State.SUBMITTED
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.submitted_by = by
    report.edit_version += 1
    report.save(
        update_fields=[
            "state",
            "submitted_at",
            "first_submitted_at",
            "submitted_by",
            "edit_version",
        ]
    )
    ReportRevision.objects.update_or_create(
        report=report,
        revision=report.revision,
        defaults={"content": _snapshot(report), "submitted_at": now, "submitted_by": by},
    )
    scale = ensure_scale(report.team.collaborative, by=by)
    Assessment.objects.update_or_create(
        report=report,
        kind=Assessment.Kind.SELF,
        defaults={
            "assessor": by,
            "score": report.self_score,
            "justification": report.self_justification,
            "scale": scale,
            "updated_at": now,
        },
    )
    team = report.team
    for person in _team_people(team, leaders=True, coaches=True):
        do_send_email(
            to=person.email,
            template="reports/email/report_submitted",
            context={
                "report": report,
                "team": team,
                "url": absolute_url(report.get_absolute_url()),
                "resubmitted": report.revision > 1,
            },
            kind="report_submitted",
            collaborative=team.collaborative,
            person=person,
            dedupe_key=f"report-submitted:{report.pk}:r{report.revision}:u{person.pk}",
        )
    return report


@transaction.atomic
def do_reopen_report(report: MonthlyReport, *, by=None, reason: str) -> MonthlyReport:
    """Reopen a submitted report for correction; the submitted revision is kept."""
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if report.state != MonthlyReport.State.SUBMITTED:
        raise ReportError("Only a submitted report can be reopened.")
    if not reason.strip():
        raise ReportError("Say why the report is reopened.")
    ReportRevision.objects.filter(report=report, revision=report.revision).update(
        reopened_at=timezone.now(), reopened_by=by, reopen_reason=reason[:300]
    )
    report.state = MonthlyReport.State.REOPENED
    report.revision += 1
    report.edit_version += 1
    report.save(update_fields=["state", "revision", "edit_version"])
    return report


@transaction.atomic
def do_skip_report(team, period, *, by=None, reason: str) -> MonthlyReport:
    """Record that the team will not report for the period, and why."""
    if not reason.strip():
        raise ReportError("Give the reason the team does not report this month.")
    report, _ = MonthlyReport.objects.get_or_create(team=team, period=period)
    if report.state == MonthlyReport.State.SUBMITTED:
        raise ReportError("A submitted report cannot be skipped; reopen it first.")
    report.state = MonthlyReport.State.SKIPPED
    report.skip_reason = reason[:300]
    report.updated_by = by
    report.updated_at = timezone.now()
    report.edit_version += 1
    report.save(update_fields=["state", "skip_reason", "updated_by", "updated_at", "edit_version"])
    return report


@transaction.atomic
def do_unskip_report(report: MonthlyReport, *, by=None) -> MonthlyReport:
    if report.state != MonthlyReport.State.SKIPPED:
        raise ReportError("This report was not skipped.")
    report.state = MonthlyReport.State.DRAFT
    report.skip_reason = ""
    report.updated_by = by
    report.edit_version += 1
    report.save(update_fields=["state", "skip_reason", "updated_by", "edit_version"])
    if not report.component_statuses.exists():
        rows, derived = suggested_statuses(report.team)
        bulk_create_with_history(
            [
                ComponentStatus(
                    report=report,
                    node=n,
                    status=derived.get(n.pk, "not_started"),
                    suggested_status=derived.get(n.pk, ""),
                    order=i,
                )
                for i, n in enumerate(rows)
            ],
            ComponentStatus,
            default_user=by,
        )
    return report


@transaction.atomic
def do_acknowledge_report(report: MonthlyReport, *, by) -> MonthlyReport:
    """The senior leader records that they read the report."""
    if report.state != MonthlyReport.State.SUBMITTED:
        raise ReportError("Only a submitted report can be acknowledged.")
    report.leader_acknowledged_at = timezone.now()
    report.save(update_fields=["leader_acknowledged_at"])
    return report


# ---------------------------------------------------------------------------------------------
# Scoring


@dataclass
class ScoreInput:
    score: Decimal
    justification: str = ""
    comments: str = ""
    suggestions: str = ""


def _check_score(scale, value: Decimal) -> None:
    if value not in {Decimal(v) for v, _ in scale.choices}:
        raise ReportError(f"{value} is not a step of this collaborative's scale.")


@transaction.atomic
def do_score_report(report: MonthlyReport, *, scorer, data: ScoreInput) -> Assessment:
    """One faculty scorer's score; blind to the others until every scorer has scored."""
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    collaborative = report.team.collaborative
    if scorer.pk not in {p.pk for p in scorers_for(collaborative)}:
        raise ReportError("Only the faculty assigned to score reports may score.")
    if report.state != MonthlyReport.State.SUBMITTED:
        raise ReportError("Only a submitted report can be scored.")
    if report.reconciled_at:
        raise ReportError("The score was already agreed; it can no longer change.")
    if not data.justification.strip():
        raise ReportError("Give a justification for the score.")
    scale = current_scale(collaborative)
    _check_score(scale, data.score)
    now = timezone.now()
    assessment, _ = Assessment.objects.update_or_create(
        report=report,
        kind=Assessment.Kind.FACULTY,
        assessor=scorer,
        defaults={
            "score": data.score,
            "justification": data.justification,
            "comments": data.comments,
            "suggestions": data.suggestions,
            "scale": ensure_scale(collaborative, by=scorer, scale=scale),
            "updated_at": now,
        },
    )
    return assessment


def scoring_complete(report: MonthlyReport, scorers: list | None = None) -> bool:
    scored = set(
        report.assessments.filter(kind=Assessment.Kind.FACULTY).values_list(
            "assessor_id", flat=True
        )
    )
    scorers = scorers if scorers is not None else scorers_for(report.team.collaborative)
    return {p.pk for p in scorers} <= scored


@transaction.atomic
def do_reconcile_report(report: MonthlyReport, *, by, data: ScoreInput) -> Assessment:
    """Record the agreed score and feedback once every scorer has scored; tell the team."""
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    collaborative = report.team.collaborative
    scorers = scorers_for(collaborative)
    if by.pk not in {p.pk for p in scorers}:
        raise ReportError("Only the faculty who score reports may record the agreed score.")
    if report.state != MonthlyReport.State.SUBMITTED:
        raise ReportError("Only a submitted report can be scored.")
    if report.reconciled_at:
        raise ReportError("The agreed score is already recorded.")
    if not scoring_complete(report, scorers):
        raise ReportError("Every assigned scorer must score before the scores are reconciled.")
    if not data.justification.strip():
        raise ReportError("Give a justification for the agreed score.")
    scale = current_scale(collaborative)
    _check_score(scale, data.score)
    now = timezone.now()
    assessment = Assessment.objects.create(
        report=report,
        kind=Assessment.Kind.RECONCILED,
        assessor=by,
        score=data.score,
        justification=data.justification,
        comments=data.comments,
        suggestions=data.suggestions,
        scale=ensure_scale(collaborative, by=by, scale=scale),
        created_at=now,
        updated_at=now,
    )
    report.reconciled_at = now
    report.save(update_fields=["reconciled_at"])
    team = report.team
    for person in _team_people(team, leaders=True, leads=True, data=True):
        do_send_email(
            to=person.email,
            template="reports/email/feedback_ready",
            context={
                "report": report,
                "team": team,
                "assessment": assessment,
                "url": absolute_url(report.get_absolute_url()),
            },
            kind="report_feedback",
            collaborative=collaborative,
            person=person,
            dedupe_key=f"report-feedback:{report.pk}:u{person.pk}",
        )
    return assessment
