"""Pages of one team's monthly reports: write, submit, reopen, score, reconcile, PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.concurrency import EditConflict
from breakthrough.teams.access import get_team_for_user

from . import charts, evidence
from .access import (
    can_read_narrative,
    can_read_scores,
    get_report_for_user,
    get_scorable_report,
    score_view,
)
from .actions import (
    ReportError,
    ScoreInput,
    do_acknowledge_report,
    do_reconcile_report,
    do_reopen_report,
    do_save_report_draft,
    do_score_report,
    do_skip_report,
    do_start_report,
    do_submit_report,
    do_unskip_report,
    missing_for_submission,
    settings_for,
    suggested_statuses,
)
from .forms import ReasonForm, ReportForm, ScoreForm
from .grid import month_key
from .models import ComponentStatus, MonthlyReport
from .scale import current_scale


def _ctx(standing, **extra) -> dict:
    return {"standing": standing, "collaborative": standing.collaborative, **extra}


def _month(period) -> str:
    return month_key(period)


def trajectory(team, reports, *, show_self: bool = True) -> list[tuple]:
    """(month key, label, self score, agreed faculty score) per submitted report, in order."""
    points = []
    for r in reports:
        by_kind = {a.kind: a.score for a in r.assessments.all() if a.kind != "faculty"}
        if r.state in {"submitted", "reopened"} or by_kind:
            points.append(
                (
                    _month(r.period),
                    f"{r.period.start:%b %y}",
                    by_kind.get("self") if show_self else None,
                    by_kind.get("reconciled"),
                )
            )
    return points


@login_required
def team_reports(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    team = get_team_for_user(standing, team_slug)
    c = standing.collaborative
    cfg = settings_for(c)
    if not can_read_narrative(standing, team, cfg):
        raise Http404("No such team's reports.")
    show_scores = can_read_scores(standing, team, cfg)
    reports = {
        r.period_id: r
        for r in MonthlyReport.objects.filter(team=team)
        .select_related("period")
        .prefetch_related("assessments")
    }
    periods = list(c.periods.filter(is_baseline=False).order_by("start"))
    today = timezone.localdate(timezone=c.tz)
    rows = []
    for p in periods:
        r = reports.get(p.pk)
        scores = {a.kind: a.score for a in r.assessments.all()} if r else {}
        rows.append(
            {
                "period": p,
                "month": _month(p),
                "report": r,
                "self": scores.get("self") if show_scores else None,
                "agreed": scores.get("reconciled") if show_scores else None,
                "overdue": (r is None or r.state == "draft") and today > p.due_on,
                "late": bool(r and r.first_submitted_at and r.submitted_late(c.tz)),
            }
        )
    chart = None
    points = []
    if show_scores:
        ordered = [reports[p.pk] for p in periods if p.pk in reports]
        points = trajectory(team, ordered)
        if points:
            chart = charts.render(charts.score_trajectory_spec(points, demo=c.is_demo, width=980))
    return render(
        request,
        "reports/team_reports.html",
        _ctx(
            standing,
            team=team,
            rows=rows,
            chart=chart,
            points=points,
            show_scores=show_scores,
            can_edit=standing.can_edit_team(team),
            gap_threshold=cfg.gap_threshold,
        ),
    )


def _report_context(standing, team, period, report, *, for_pdf: bool = False) -> dict:
    c = standing.collaborative
    cfg = settings_for(c)
    scale = current_scale(c)
    assessments = list(report.assessments.select_related("assessor")) if report else []
    scores = score_view(standing, report, assessments) if report else None
    show_scores = can_read_scores(standing, team, cfg)
    statuses = list(report.component_statuses.select_related("node")) if report else []
    values = evidence.period_values(team, period)
    if not standing.sees_true_counts(team):
        threshold = c.suppression_threshold
        for v in values:
            if (v.numerator is not None and 0 < v.numerator < threshold) or (
                v.denominator is not None and 0 < v.denominator < threshold
            ):
                v.numerator = v.denominator = v.value = None
                v.suppressed = True
                v.threshold = threshold
    measure_charts = evidence.measure_charts(team, period, standing, fmt="svg")
    gap = None
    if scores and show_scores and scores.gap is not None and scores.gap >= cfg.gap_threshold:
        gap = scores.gap
    is_leader = team.memberships.filter(
        person=standing.user, is_senior_leader=True, ended_on__isnull=True
    ).exists()
    return {
        "team": team,
        "period": period,
        "month": _month(period),
        "report": report,
        "scale": scale,
        "scores": scores,
        "show_scores": show_scores,
        "show_self": bool(show_scores and (scores is None or scores.show_self)),
        "statuses": statuses,
        "values": values,
        "measure_charts": measure_charts,
        "gap": gap,
        "late": bool(report and report.first_submitted_at and report.submitted_late(c.tz)),
        "overdue": (report is None or report.state in {"draft", "reopened"})
        and timezone.localdate(timezone=c.tz) > period.due_on,
        "can_edit": standing.can_edit_team(team),
        "is_leader": is_leader,
        "revisions": list(report.revisions.select_related("submitted_by", "reopened_by"))
        if report
        else [],
        "self_level": scale.level(scores.self_assessment.score)
        if scores and scores.self_assessment
        else None,
    }


@login_required
def report_detail(request: HttpRequest, slug: str, team_slug: str, month: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    team, period, report = get_report_for_user(standing, team_slug, month)
    ctx = _report_context(standing, team, period, report)
    scale = ctx["scale"]
    scores = ctx["scores"]
    if scores and scores.can_score:
        mine = scores.mine
        ctx["score_form"] = ScoreForm(
            scale=scale,
            initial={
                "score": f"{mine.score:.1f}" if mine else "",
                "justification": mine.justification if mine else "",
                "comments": mine.comments if mine else "",
                "suggestions": mine.suggestions if mine else "",
            },
        )
    if scores and scores.can_reconcile:
        ctx["reconcile_form"] = ScoreForm(scale=scale, prefix="agreed")
    ctx["reopen_form"] = ReasonForm()
    return render(request, "reports/report_detail.html", _ctx(standing, **ctx))


def _form_for(standing, team, period, report, data=None):
    scale = current_scale(standing.collaborative)
    if report is None:
        rows, derived = suggested_statuses(team)
        statuses = [
            ComponentStatus(
                node=n,
                status=derived.get(n.pk, "not_started"),
                suggested_status=derived.get(n.pk, ""),
            )
            for n in rows
        ]
        instance = MonthlyReport(team=team, period=period)
    else:
        statuses = list(report.component_statuses.select_related("node"))
        instance = report
    form = ReportForm(
        data,
        instance=instance,
        scale=scale,
        statuses=statuses,
        initial={
            "edit_version": instance.edit_version,
            "self_score": f"{instance.self_score:.1f}" if instance.self_score is not None else "",
        },
    )
    return form, scale


def _save(standing, team, period, report, form) -> MonthlyReport:
    if report is None:
        report = do_start_report(team, period, by=standing.user)
        expected = report.edit_version
    else:
        expected = form.cleaned_data["edit_version"]
    data = {
        name: form.cleaned_data[name]
        for name in [
            "achievements",
            "learning",
            "barriers",
            "help_needed",
            "self_score",
            "self_justification",
        ]
    }
    return do_save_report_draft(
        report,
        data=data,
        statuses=form.statuses(),
        expected_version=expected,
        by=standing.user,
    )


@login_required
def edit_report(request: HttpRequest, slug: str, team_slug: str, month: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    team, period, report = get_report_for_user(standing, team_slug, month, write=True)
    if report is not None and not report.is_editable:
        messages.info(
            request,
            f"This report is {report.get_state_display().lower()}; reopen it to change it.",
        )
        return redirect(report)
    conflict = None
    status = 200
    if request.method == "POST":
        form, scale = _form_for(standing, team, period, report, request.POST)
        submitting = "submit" in request.POST
        if form.is_valid() and (not submitting or form.check_personal_data()):
            try:
                report = _save(standing, team, period, report, form)
            except EditConflict as error:
                conflict = error
                status = 409
                data = request.POST.copy()
                data["edit_version"] = error.current.edit_version
                form, scale = _form_for(standing, team, period, error.current, data)
                form.is_valid()
            else:
                if not submitting:
                    messages.success(request, "Draft saved.")
                    return redirect("reports:edit", slug, team.slug, month)
                try:
                    do_submit_report(report, by=standing.user)
                except ReportError as error:
                    form.add_error(None, error.message)
                    status = 400
                    form.instance = report
                else:
                    messages.success(
                        request,
                        "Report submitted. The senior leader and the coach have been told.",
                    )
                    return redirect(report)
        else:
            status = 400
    else:
        form, scale = _form_for(standing, team, period, report)
    return render(
        request,
        "reports/report_edit.html",
        _ctx(
            standing,
            team=team,
            period=period,
            month=month,
            report=report,
            form=form,
            scale=scale,
            conflict=conflict,
            missing=missing_for_submission(report)
            if report
            else ["the self-assessment score", "achievements"],
            late=timezone.localdate(timezone=standing.collaborative.tz) > period.due_on,
            values=evidence.period_values(team, period),
            measure_charts=evidence.measure_charts(team, period, standing, fmt="svg"),
        ),
        status=status,
    )


@login_required
@require_POST
def autosave_report(request: HttpRequest, slug: str, team_slug: str, month: str) -> JsonResponse:
    standing = get_standing_for_user(request.user, slug)
    team, period, report = get_report_for_user(standing, team_slug, month, write=True)
    if report is not None and not report.is_editable:
        return JsonResponse(
            {"message": f"Not saved: the report is {report.get_state_display().lower()}."},
            status=409,
        )
    form, _scale = _form_for(standing, team, period, report, request.POST)
    if not form.is_valid():
        return JsonResponse(
            {
                "message": "Not saved yet: "
                + "; ".join(e for errs in form.errors.values() for e in errs)
            },
            status=400,
        )
    try:
        report = _save(standing, team, period, report, form)
    except EditConflict as error:
        who = error.changed_by.display_name if error.changed_by else "Someone else"
        return JsonResponse(
            {
                "message": f"Not saved: {who} saved this report meanwhile. Reload to see their "
                "changes (copy your text first)."
            },
            status=409,
        )
    local = timezone.localtime(report.updated_at, standing.collaborative.tz)
    return JsonResponse(
        {"message": f"Draft saved {local:%H:%M}", "edit_version": report.edit_version}
    )


def _post_action(request, slug, team_slug, month, *, write=True):
    standing = get_standing_for_user(request.user, slug)
    team, period, report = get_report_for_user(standing, team_slug, month, write=write)
    return standing, team, period, report


@login_required
@require_POST
def reopen_report(request: HttpRequest, slug: str, team_slug: str, month: str) -> HttpResponse:
    standing, team, _period, report = _post_action(request, slug, team_slug, month)
    if report is None:
        raise Http404("No such report.")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the report is reopened.")
        return redirect(report)
    try:
        do_reopen_report(report, by=standing.user, reason=form.cleaned_data["reason"])
    except ReportError as error:
        messages.error(request, error.message)
        return redirect(report)
    messages.success(request, "Report reopened. Correct it and submit it again.")
    return redirect("reports:edit", slug, team.slug, month)


@login_required
@require_POST
def skip_report(request: HttpRequest, slug: str, team_slug: str, month: str) -> HttpResponse:
    standing, team, period, report = _post_action(request, slug, team_slug, month)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the reason the team does not report this month.")
        return redirect("reports:edit", slug, team.slug, month)
    try:
        report = do_skip_report(team, period, by=standing.user, reason=form.cleaned_data["reason"])
    except ReportError as error:
        messages.error(request, error.message)
        return redirect("reports:detail", slug, team.slug, month)
    messages.success(request, f"{period.label} recorded as skipped; no more reminders for it.")
    return redirect(report)


@login_required
@require_POST
def unskip_report(request: HttpRequest, slug: str, team_slug: str, month: str) -> HttpResponse:
    standing, team, _period, report = _post_action(request, slug, team_slug, month)
    if report is None:
        raise Http404("No such report.")
    try:
        do_unskip_report(report, by=standing.user)
    except ReportError as error:
        messages.error(request, error.message)
        return redirect(report)
    return redirect("reports:edit", slug, team.slug, month)


@login_required
@require_POST
def acknowledge_report(request: HttpRequest, slug: str, team_slug: str, month: str) -> HttpResponse:
    standing, team, _period, report = _post_action(request, slug, team_slug, month, write=False)
    if report is None:
        raise Http404("No such report.")
    if not team.memberships.filter(
        person=standing.user, is_senior_leader=True, ended_on__isnull=True
    ).exists():
        return HttpResponse("Only the team's senior leader acknowledges its reports.", status=403)
    try:
        do_acknowledge_report(report, by=standing.user)
    except ReportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Thank you: the team sees that you read its report.")
    return redirect(report)


def _score_input(form) -> ScoreInput:
    d = form.cleaned_data
    return ScoreInput(d["score"], d["justification"], d["comments"], d["suggestions"])


@login_required
@require_POST
def score_report(request: HttpRequest, slug: str, team_slug: str, month: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    report = get_scorable_report(standing, team_slug, month)
    scale = current_scale(standing.collaborative)
    form = ScoreForm(request.POST, scale=scale)
    if form.is_valid():
        try:
            do_score_report(report, scorer=standing.user, data=_score_input(form))
        except ReportError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your score is saved.")
            return redirect(report)
    team, period = report.team, report.period
    ctx = _report_context(standing, team, period, report)
    ctx["score_form"] = form
    ctx["reopen_form"] = ReasonForm()
    if ctx["scores"].can_reconcile:
        ctx["reconcile_form"] = ScoreForm(scale=scale, prefix="agreed")
    return render(request, "reports/report_detail.html", _ctx(standing, **ctx), status=400)


@login_required
@require_POST
def reconcile_report(request: HttpRequest, slug: str, team_slug: str, month: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    report = get_scorable_report(standing, team_slug, month)
    scale = current_scale(standing.collaborative)
    form = ScoreForm(request.POST, scale=scale, prefix="agreed")
    if form.is_valid():
        try:
            do_reconcile_report(report, by=standing.user, data=_score_input(form))
        except ReportError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Agreed score recorded; the team has been told.")
            return redirect(report)
    ctx = _report_context(standing, report.team, report.period, report)
    ctx["reconcile_form"] = form
    ctx["reopen_form"] = ReasonForm()
    return render(request, "reports/report_detail.html", _ctx(standing, **ctx), status=400)


def render_report_pdf(standing, team, period, report) -> bytes:
    """The one-page PDF of a report for the senior leader (WeasyPrint from an HTML template)."""
    return report_document(standing, team, period, report).write_pdf()


def report_document(standing, team, period, report):
    """The laid-out report (a WeasyPrint document: `.pages`, `.write_pdf()`)."""
    import base64
    import logging

    import weasyprint

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

    ctx = _report_context(standing, team, period, report, for_pdf=True)
    ctx["measure_charts"] = [
        (label, base64.b64encode(svg.encode() if isinstance(svg, str) else svg).decode())
        for label, svg in ctx["measure_charts"]
    ]
    c = standing.collaborative
    show = ctx["show_scores"]
    if show:
        reports = list(
            MonthlyReport.objects.filter(team=team, period__start__lte=period.start)
            .select_related("period")
            .prefetch_related("assessments")
            .order_by("period__start")
        )
        points = trajectory(team, reports, show_self=ctx["show_self"])
        if points:
            svg = charts.render(
                charts.score_trajectory_spec(points, width=300, height=120, demo=c.is_demo)
            )
            ctx["trajectory"] = base64.b64encode(svg.encode()).decode()
    ctx["long_text"] = any(
        len(getattr(report, f)) > 600
        for f in ("achievements", "learning", "barriers", "help_needed")
    )
    html = render_to_string(
        "reports/report_pdf.html",
        {**ctx, "collaborative": c, "generated": timezone.localtime(timezone=c.tz)},
    )
    return weasyprint.HTML(string=html).render()


@login_required
def report_pdf(request: HttpRequest, slug: str, team_slug: str, month: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    team, period, report = get_report_for_user(standing, team_slug, month)
    if report is None or report.state == MonthlyReport.State.SKIPPED:
        raise Http404("There is no report to print for this month.")
    pdf = render_report_pdf(standing, team, period, report)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{team.slug}-report-{month}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
