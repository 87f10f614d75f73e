"""Collaborative pages: reports home, faculty console, scores, the scale, settings, reminders."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.concurrency import EditConflict
from breakthrough.notifications.models import OutgoingEmail
from breakthrough.teams.models import Team

from . import charts
from .actions import do_save_scale, do_update_report_settings, scorers_for, settings_for
from .forms import ReportSettingsForm, ScaleLevelFormSet, ScaleMetaForm
from .grid import EXPORT_HEADER, build_grid, coach_team_ids, export_rows, month_key
from .models import Assessment, AssessmentScale, MonthlyReport
from .reminders import KIND_LABELS, ReminderPlanner, local_today
from .scale import current_scale


def _ctx(standing, **extra) -> dict:
    return {"standing": standing, "collaborative": standing.collaborative, **extra}


def _month(value: str) -> date | None:
    try:
        year, month = (int(p) for p in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


@login_required
def reports_home(request: HttpRequest, slug: str) -> HttpResponse:
    """The person's own teams' reports, month by month, with what is due next."""
    standing = get_standing_for_user(request.user, slug)
    c = standing.collaborative
    today = local_today(c)
    teams = list(Team.objects.filter(collaborative=c, pk__in=standing.team_ids).order_by("name"))
    periods = list(c.periods.filter(is_baseline=False).order_by("start"))
    reports = {
        (r.team_id, r.period_id): r
        for r in MonthlyReport.objects.filter(team__in=teams).only(
            "id", "team_id", "period_id", "state", "first_submitted_at", "reconciled_at"
        )
    }
    mine = []
    for team in teams:
        rows = []
        for p in periods:
            r = reports.get((team.pk, p.pk))
            rows.append(
                {
                    "period": p,
                    "month": month_key(p),
                    "report": r,
                    "overdue": (r is None or r.state == "draft") and today > p.due_on,
                    "current": p.due_on >= today and (r is None or r.is_editable),
                }
            )
        next_due = next((row for row in rows if row["current"]), None)
        mine.append({"team": team, "rows": rows, "next": next_due})
    return render(
        request,
        "reports/reports_home.html",
        _ctx(standing, mine=mine, today=today, scorer=request.user in scorers_for(c)),
    )


def _console_grid(request, standing):
    c = standing.collaborative
    teams = list(Team.objects.filter(collaborative=c).order_by("name"))
    chosen = [int(t) for t in request.GET.getlist("team") if t.isdigit()]
    mine = request.GET.get("coach") == "me"
    team_ids = chosen or None
    if mine:
        coached = coach_team_ids(standing)
        team_ids = [t for t in (team_ids or coached) if t in coached]
    start = _month(request.GET.get("from", ""))
    end = _month(request.GET.get("to", ""))
    grid = build_grid(standing, team_ids=team_ids, start=start, end=end)
    show = request.GET.get("show", "")
    if show == "attention":
        grid.rows = [
            r
            for r in grid.rows
            if any(cell.gap or cell.submission in {"missing", "late"} for cell in r.cells)
        ]
    return grid, {
        "teams": teams,
        "chosen": chosen,
        "coach_me": mine,
        "from": request.GET.get("from", ""),
        "to": request.GET.get("to", ""),
        "show": show,
        "is_coach": bool(coach_team_ids(standing)),
    }


@login_required
def console(request: HttpRequest, slug: str) -> HttpResponse:
    """The faculty console: every team x month with submission state, scores and signals."""
    standing = get_standing_for_user(request.user, slug, staff=True)
    grid, filters = _console_grid(request, standing)
    c = standing.collaborative
    all_periods = list(c.periods.filter(is_baseline=False).order_by("start"))
    return render(
        request,
        "reports/console.html",
        _ctx(
            standing,
            grid=grid,
            filters=filters,
            months=[(month_key(p), p.label) for p in all_periods],
            query=request.GET.urlencode(),
            cfg=settings_for(c),
        ),
    )


@login_required
def console_export(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug, staff=True)
    grid, _filters = _console_grid(request, standing)
    rows = export_rows(grid)
    fmt = request.GET.get("format", "csv")
    stamp = local_today(standing.collaborative).isoformat()
    name = f"{standing.collaborative.slug}-team-grid-{stamp}"
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "Team grid"
        ws.append(EXPORT_HEADER)
        for row in rows:
            ws.append(row)
        if standing.collaborative.is_demo:
            ws.append([])
            ws.append(["DEMO — FICTIONAL DATA"])
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    out = io.StringIO()
    writer = csv.writer(out)
    if standing.collaborative.is_demo:
        writer.writerow(["# DEMO — FICTIONAL DATA"])
    writer.writerow(EXPORT_HEADER)
    writer.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
def scores_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The collaborative view: agreed scores per month and the share of teams at 4.0 or above."""
    standing = get_standing_for_user(request.user, slug)
    c = standing.collaborative
    periods = list(c.periods.filter(is_baseline=False).order_by("start"))
    rows = Assessment.objects.filter(
        kind=Assessment.Kind.RECONCILED, report__team__collaborative=c
    ).values_list("report__period_id", "score")
    # How long faculty take to return a score: timely feedback drives participation.
    waits: dict[int, list[float]] = {p.pk: [] for p in periods}
    for period_id, submitted, agreed in MonthlyReport.objects.filter(
        team__collaborative=c, reconciled_at__isnull=False, first_submitted_at__isnull=False
    ).values_list("period_id", "first_submitted_at", "reconciled_at"):
        if period_id in waits:
            waits[period_id].append((agreed - submitted).total_seconds() / 86400)
    per_period: dict[int, Counter] = {p.pk: Counter() for p in periods}
    for period_id, score in rows:
        if period_id in per_period:
            per_period[period_id][score] += 1
    table = []
    dist_rows, share_rows = [], []
    for p in periods:
        counts = per_period[p.pk]
        total = sum(counts.values())
        at_four = sum(n for s, n in counts.items() if s >= 4)
        share = round(100 * at_four / total) if total else None
        table.append(
            {
                "period": p,
                "total": total,
                "at_four": at_four,
                "share": share,
                "median": _median(counts),
                "feedback_days": round(statistics.median(waits[p.pk]), 1) if waits[p.pk] else None,
            }
        )
        for score, n in sorted(counts.items()):
            dist_rows.append((month_key(p), f"{p.start:%b %y}", score, n))
        share_rows.append((month_key(p), f"{p.start:%b %y}", share))
    teams = Team.objects.filter(collaborative=c).count()
    dist_chart = share_chart = None
    if dist_rows:
        dist_chart = charts.render(charts.distribution_spec(dist_rows, demo=c.is_demo, width=1000))
        share_chart = charts.render(charts.share_spec(share_rows, demo=c.is_demo, width=1000))
    levels = [(lv.value, lv.label) for lv in current_scale(c).levels]
    return render(
        request,
        "reports/scores_overview.html",
        _ctx(
            standing,
            table=table,
            dist_chart=dist_chart,
            share_chart=share_chart,
            teams=teams,
            levels=levels,
        ),
    )


def _median(counts: Counter):
    values = sorted(counts.elements())
    if not values:
        return None
    mid = len(values) // 2
    if len(values) % 2:
        return values[mid]
    return (values[mid - 1] + values[mid]) / 2


@login_required
def scale_detail(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    c = standing.collaborative
    scale = current_scale(c)
    versions = list(
        AssessmentScale.objects.filter(collaborative=c)
        .select_related("created_by")
        .prefetch_related("levels")
    )
    shown = scale
    version = request.GET.get("version", "")
    old = next((v for v in versions if str(v.version) == version), None)
    return render(
        request,
        "reports/scale.html",
        _ctx(standing, scale=shown, versions=versions, old=old),
    )


@login_required
def edit_scale(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug, manage=True)
    c = standing.collaborative
    scale = current_scale(c)
    initial = [
        {
            "value": lv.value,
            "label": lv.label,
            "definition": lv.definition,
            "local_notes": lv.local_notes,
        }
        for lv in scale.levels
    ]
    if request.method == "POST":
        formset = ScaleLevelFormSet(request.POST, initial=initial)
        meta = ScaleMetaForm(request.POST)
        values_ok = formset.is_valid() and [f.cleaned_data["value"] for f in formset.forms] == [
            lv.value for lv in scale.levels
        ]
        if formset.is_valid() and meta.is_valid() and values_ok:
            new = do_save_scale(
                c,
                levels=[f.cleaned_data for f in formset.forms],
                by=request.user,
                note=meta.cleaned_data["note"],
            )
            messages.success(request, f"Saved as version {new.version}; earlier versions are kept.")
            return redirect("reports:scale", slug)
        if formset.is_valid() and not values_ok:
            meta.add_error(None, "The scale's values cannot change; edit labels and definitions.")
    else:
        formset = ScaleLevelFormSet(initial=initial)
        meta = ScaleMetaForm()
    return render(
        request,
        "reports/scale_edit.html",
        _ctx(standing, scale=scale, formset=formset, meta=meta),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def report_settings(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug, manage=True)
    c = standing.collaborative
    cfg = settings_for(c)
    conflict = None
    initial = {"edit_version": cfg.edit_version}
    if not cfg.pk or not cfg.scorers.exists():
        initial["scorers"] = [p.pk for p in scorers_for(c)]  # the default, shown as ticked
    if request.method == "POST":
        form = ReportSettingsForm(request.POST, instance=cfg, collaborative=c)
        if form.is_valid():
            data = {
                k: v for k, v in form.cleaned_data.items() if k not in {"scorers", "edit_version"}
            }
            try:
                do_update_report_settings(
                    c,
                    expected_version=form.cleaned_data["edit_version"],
                    scorers=form.cleaned_data["scorers"],
                    **data,
                )
            except EditConflict as error:
                conflict = error
            else:
                messages.success(request, "Settings saved.")
                return redirect("reports:settings", slug)
    else:
        form = ReportSettingsForm(instance=cfg, collaborative=c, initial=initial)
    return render(
        request,
        "reports/settings.html",
        _ctx(standing, form=form, conflict=conflict),
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@login_required
def reminders(request: HttpRequest, slug: str) -> HttpResponse:
    """Which reminders the person will receive; for staff, every message sent and planned."""
    standing = get_standing_for_user(request.user, slug)
    c = standing.collaborative
    today = local_today(c)
    planner = ReminderPlanner.load(c)
    upcoming = planner.for_person(request.user, today, days=45)
    ctx = {
        "upcoming": upcoming,
        "today": today,
        "enabled": planner.enabled(),
        "cfg": planner.settings,
        "kinds": KIND_LABELS,
        "received": OutgoingEmail.objects.filter(collaborative=c, person=request.user)
        .filter(kind__startswith="reminder_")
        .order_by("-created_at")[:20],
    }
    if standing.is_staff:
        kind = request.GET.get("kind", "")
        log = OutgoingEmail.objects.filter(collaborative=c).select_related("person")
        log = (
            log.filter(kind__startswith="reminder_")
            if kind != "all"
            else log.filter(kind__startswith="report") | log.filter(kind__startswith="reminder_")
        )
        ctx["log"] = Paginator(log.order_by("-created_at", "-id"), 50).get_page(
            request.GET.get("page")
        )
        ctx["log_kind"] = kind
        ctx["today_plan"] = planner.for_day(today)
    return render(request, "reports/reminders.html", _ctx(standing, **ctx))


@login_required
def reminder_message(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    message = OutgoingEmail.objects.filter(collaborative=standing.collaborative, pk=pk).first()
    if message is None or not (standing.is_staff or message.person_id == request.user.pk):
        raise PermissionDenied("Only staff and the recipient read a message.")
    return render(request, "reports/message.html", _ctx(standing, message=message))
