"""Monthly team reports and their scores, through the same access functions and actions as the
report pages: who reads a narrative, who sees which score (blind faculty scoring), who writes."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.concurrency import EditConflict
from breakthrough.reports.access import (
    can_read_narrative,
    can_read_scores,
    get_report_for_user,
    get_scorable_report,
    score_view,
)
from breakthrough.reports.actions import (
    NARRATIVE_FIELDS,
    ScoreInput,
    do_reconcile_report,
    do_reopen_report,
    do_save_report_draft,
    do_score_report,
    do_skip_report,
    do_start_report,
    do_submit_report,
    do_unskip_report,
    scorers_for,
    settings_for,
)
from breakthrough.reports.forms import personal_data_problems
from breakthrough.reports.grid import month_key
from breakthrough.reports.models import MonthlyReport
from breakthrough.reports.scale import current_scale
from breakthrough.teams.access import get_team_for_user, teams_for_standing

from ..auth import write_auth
from ..errors import ERROR_RESPONSES, ApiError, reject_nulls
from ..schemas import (
    AssessmentOut,
    Month,
    ReasonIn,
    ReopenIn,
    ReportDraftIn,
    ReportOut,
    ReportState,
    ReportSubmitIn,
    ScoreIn,
)
from .pdsa import _Converted

router = Router(tags=["Monthly reports"])

REPORT = "/collaboratives/{slug}/teams/{team}/reports/{month}"
TEXT_FIELDS = ["achievements", "learning", "barriers", "help_needed", "self_justification"]


class _Reader:
    """What one person may see of a collaborative's reports, read once for a whole list."""

    def __init__(self, standing):
        self.standing = standing
        self.cfg = settings_for(standing.collaborative)
        self.scorers = scorers_for(standing.collaborative)
        self.tz = standing.collaborative.tz

    def assessment(self, a) -> dict:
        out = {f: getattr(a, f) for f in AssessmentOut.model_fields if f not in ("assessor",)}
        out["score"] = float(a.score)
        out["assessor"] = a.assessor.username if a.assessor and self.standing.is_staff else None
        return out

    def out(self, r: MonthlyReport) -> dict:
        show_scores = can_read_scores(self.standing, r.team, self.cfg)
        assessments = list(r.assessments.all())
        view = score_view(self.standing, r, assessments, self.scorers)
        show_self = show_scores and view.show_self
        scores = None
        if show_scores:
            scores = {
                "self_assessment": self.assessment(view.self_assessment)
                if view.self_assessment and show_self
                else None,
                "agreed": self.assessment(view.reconciled) if view.reconciled else None,
                "faculty": [self.assessment(a) for a in view.faculty],
                "hidden_faculty": view.hidden_faculty,
                "waiting_for": [p.username for p in view.waiting_for]
                if self.standing.is_staff
                else [],
                "can_score": view.can_score,
                "can_reconcile": view.can_reconcile,
            }
        return {
            **{
                f: getattr(r, f)
                for f in (
                    "id",
                    "state",
                    "revision",
                    "achievements",
                    "learning",
                    "barriers",
                    "help_needed",
                    "self_justification",
                    "skip_reason",
                    "created_at",
                    "updated_at",
                    "submitted_at",
                    "first_submitted_at",
                    "leader_acknowledged_at",
                    "edit_version",
                )
            },
            "team": r.team.slug,
            "month": month_key(r.period),
            "period": r.period.start,
            "due_on": r.period.due_on,
            "self_score": float(r.self_score) if r.self_score is not None and show_self else None,
            "self_justification": r.self_justification if show_self else "",
            "late": bool(r.first_submitted_at and r.submitted_late(self.tz)),
            "statuses": [
                {
                    "node": cs.node_id,
                    "code": cs.node.code,
                    "title": cs.node.title,
                    "status": cs.status,
                    "suggested_status": cs.suggested_status,
                    "notes": cs.notes,
                }
                for cs in r.component_statuses.all()
            ],
            "scores": scores,
        }


def _reports():
    return MonthlyReport.objects.select_related("team__collaborative", "period").prefetch_related(
        "assessments__assessor", "component_statuses__node"
    )


def _one(standing, team: str, month: str, *, write: bool = False):
    return get_report_for_user(standing, team, month, write=write)


def _started(standing, team: str, month: str, *, write: bool = False) -> MonthlyReport:
    _team, _period, report = _one(standing, team, month, write=write)
    if report is None:
        raise Http404("The team has not started a report for this month.")
    return report


def _fresh(standing, pk: int) -> dict:
    return _Reader(standing).out(_reports().get(pk=pk))


@router.get(
    "/collaboratives/{slug}/reports",
    response={200: list[ReportOut], **ERROR_RESPONSES},
    summary="Monthly reports of the teams whose reports you may read",
)
@paginate
def list_reports(
    request: HttpRequest,
    slug: str,
    team: str | None = None,
    state: ReportState | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
):
    """Your own teams' reports and, when the collaborative shares reports, other teams'
    narratives (and scores with sharing "all"); staff read every team's. Filter by team (slug),
    state, and period: reports whose period starts between period_from and period_to
    (inclusive). Ordered by period, then team."""
    standing = get_standing_for_user(request.user, slug)
    reader = _Reader(standing)
    teams = [get_team_for_user(standing, team)] if team else list(teams_for_standing(standing))
    readable = [t.pk for t in teams if can_read_narrative(standing, t, reader.cfg)]
    reports = _reports().filter(team__in=readable)
    if state:
        reports = reports.filter(state=state)
    if period_from:
        reports = reports.filter(period__start__gte=period_from)
    if period_to:
        reports = reports.filter(period__start__lte=period_to)
    return _Converted(reports.order_by("period__start", "team__name", "pk"), reader.out)


@router.get(
    REPORT,
    response={200: ReportOut, **ERROR_RESPONSES},
    summary="One team's report for a month",
)
def get_report(request: HttpRequest, slug: str, team: str, month: Month):
    """404 when there is no report for the month yet, or you may not read the team's reports."""
    standing = get_standing_for_user(request.user, slug)
    return _fresh(standing, _started(standing, team, month).pk)


def _self_score(standing, value: float | None) -> Decimal | None:
    if value is None:
        return None
    score = Decimal(str(value))
    allowed = {Decimal(v) for v, _ in current_scale(standing.collaborative).choices}
    if score not in allowed:
        raise ApiError(
            422,
            "The score is not a step of this collaborative's scale.",
            [
                {
                    "loc": ["body", "self_score"],
                    "message": f"{score} is not one of {', '.join(sorted(map(str, allowed)))}.",
                }
            ],
        )
    return score


@router.put(
    REPORT,
    auth=write_auth,
    response={200: ReportOut, **ERROR_RESPONSES},
    summary="Write the team's draft for a month (started if there is none); fields left out "
    "keep their value",
)
@transaction.atomic  # a refused write leaves no draft started behind
def save_report(request: HttpRequest, slug: str, team: str, month: Month, payload: ReportDraftIn):
    standing = get_standing_for_user(request.user, slug)
    obj, period, report = _one(standing, team, month, write=True)
    changes = reject_nulls(payload.model_dump(exclude_unset=True), nullable={"self_score"})
    expected = changes.pop("edit_version", None)
    statuses = changes.pop("statuses", [])
    if report is not None and expected is None:
        raise ApiError(
            422,
            "The report exists: send the edit_version you read.",
            [{"loc": ["body", "edit_version"], "message": "This field is required."}],
        )
    if report is not None and not report.is_editable:
        raise ApiError(
            409, f"This report is {report.get_state_display().lower()}; reopen it to change it."
        )
    if "self_score" in changes:
        changes["self_score"] = _self_score(standing, changes["self_score"])
    if report is None:
        report = do_start_report(obj, period, by=request.user)
        expected = report.edit_version
    nodes = {cs.node_id for cs in report.component_statuses.all()}
    unknown = [
        {"loc": ["body", "statuses", i, "node"], "message": f"No component {s['node']} in it."}
        for i, s in enumerate(statuses)
        if s["node"] not in nodes
    ]
    if unknown:
        raise ApiError(422, "The report has no status for some of these nodes.", unknown)
    data = {name: changes[name] for name in NARRATIVE_FIELDS if name in changes}
    do_save_report_draft(
        report,
        data=data,
        statuses={s["node"]: (s["status"], s["notes"]) for s in statuses},
        expected_version=expected,
        by=request.user,
    )
    return _fresh(standing, report.pk)


@router.post(
    REPORT + "/submission",
    auth=write_auth,
    response={200: ReportOut, **ERROR_RESPONSES},
    summary="Submit the draft (the senior leader and the coach are told)",
)
def submit_report(
    request: HttpRequest, slug: str, team: str, month: Month, payload: ReportSubmitIn
):
    """Refused (422) when the self-score or achievements are missing, or when the text looks
    like a person-level record (a date of birth, a case number), as on the web form."""
    standing = get_standing_for_user(request.user, slug)
    _team, _period, report = _one(standing, team, month, write=True)
    if report is None:
        raise Http404("The team has not started a report for this month; save a draft first.")
    if report.edit_version != payload.edit_version:
        raise EditConflict(report, [])
    problems = [
        {
            "loc": ["body", name],
            "message": f"This looks like it contains {', '.join(found)}. Reports hold aggregate "
            "facts only; remove it before submitting.",
        }
        for name in TEXT_FIELDS
        if (found := personal_data_problems(getattr(report, name)))
    ]
    if problems:
        raise ApiError(422, "The report may hold personal data.", problems)
    do_submit_report(report, by=request.user)
    return _fresh(standing, report.pk)


@router.post(
    REPORT + "/reopening",
    auth=write_auth,
    response={200: ReportOut, **ERROR_RESPONSES},
    summary="Reopen a submitted report for correction, saying why (the submitted revision is kept)",
)
def reopen_report(request: HttpRequest, slug: str, team: str, month: Month, payload: ReopenIn):
    """422 when the report is not submitted; submit it again once corrected."""
    standing = get_standing_for_user(request.user, slug)
    report = _started(standing, team, month, write=True)
    if report.edit_version != payload.edit_version:
        raise EditConflict(report, [])
    do_reopen_report(report, by=request.user, reason=payload.reason)
    return _fresh(standing, report.pk)


@router.put(
    REPORT + "/skip",
    auth=write_auth,
    response={200: ReportOut, **ERROR_RESPONSES},
    summary="Record that the team does not report this month, and why (no more reminders)",
)
def skip_report(request: HttpRequest, slug: str, team: str, month: Month, payload: ReasonIn):
    """422 when the report is submitted: reopen it first."""
    standing = get_standing_for_user(request.user, slug)
    obj, period, _report = _one(standing, team, month, write=True)
    report = do_skip_report(obj, period, by=request.user, reason=payload.reason)
    return _fresh(standing, report.pk)


@router.delete(
    REPORT + "/skip",
    auth=write_auth,
    response={200: ReportOut, **ERROR_RESPONSES},
    summary="Undo a skip: the report is a draft again",
)
def unskip_report(request: HttpRequest, slug: str, team: str, month: Month):
    standing = get_standing_for_user(request.user, slug)
    report = _started(standing, team, month, write=True)
    do_unskip_report(report, by=request.user)
    return _fresh(standing, report.pk)


def _score_input(payload: ScoreIn) -> ScoreInput:
    return ScoreInput(
        score=Decimal(str(payload.score)),
        justification=payload.justification,
        comments=payload.comments,
        suggestions=payload.suggestions,
    )


@router.put(
    REPORT + "/scores/mine",
    auth=write_auth,
    response={200: ReportOut, **ERROR_RESPONSES},
    summary="Give or change your faculty score of a submitted report (assigned scorers)",
)
def score_report(request: HttpRequest, slug: str, team: str, month: Month, payload: ScoreIn):
    standing = get_standing_for_user(request.user, slug)
    report = get_scorable_report(standing, team, month)
    do_score_report(report, scorer=request.user, data=_score_input(payload))
    return _fresh(standing, report.pk)


@router.post(
    REPORT + "/scores/agreed",
    auth=write_auth,
    response={201: ReportOut, **ERROR_RESPONSES},
    summary="Record the agreed score and feedback once every scorer has scored (the team is told)",
)
def reconcile_report(request: HttpRequest, slug: str, team: str, month: Month, payload: ScoreIn):
    standing = get_standing_for_user(request.user, slug)
    report = get_scorable_report(standing, team, month)
    do_reconcile_report(report, by=request.user, data=_score_input(payload))
    return Status(201, _fresh(standing, report.pk))
