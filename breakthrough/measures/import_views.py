"""Upload, preview and commit measure files; download templates and exports."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from breakthrough.collaboratives.access import Standing, get_standing_for_user
from breakthrough.collaboratives.models import ReportingPeriod
from breakthrough.teams.models import Team

from .access import can_enter_data
from .imports import (
    EXPORT_COLUMNS,
    MAX_IMPORT_BYTES,
    TEMPLATE_COLUMNS,
    ImportFailed,
    ImportFileError,
    check_import,
    do_import_values,
    export_rows,
    read_table,
    template_rows,
    too_big_message,
    values_for_export,
    write_csv,
    write_xlsx,
)

PENDING_HOURS = 24


def entry_team_ids(standing: Standing) -> set[int] | None:
    """Teams whose data the person may import and export: None means every team (staff)."""
    if standing.is_staff:
        return None
    teams = Team.objects.filter(pk__in=standing.team_ids)
    ids = {t.pk for t in teams if can_enter_data(standing, t)}
    if not ids:
        raise PermissionDenied(
            "Only the team's data contacts and leads, and collaborative staff, import or export "
            "its data."
        )
    return ids


def _teams(standing: Standing, allowed: set[int] | None, team_slug: str) -> list[Team]:
    teams = Team.objects.filter(collaborative=standing.collaborative).order_by("name")
    if allowed is not None:
        teams = teams.filter(pk__in=allowed)
    if team_slug:
        teams = teams.filter(slug=team_slug)
        if not teams:
            raise Http404("No such team.")
    return list(teams)


def _pending_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports-pending"
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - PENDING_HOURS * 3600
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    return folder


def _pending_path(user, token: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}\.(csv|xlsx)", token):
        raise Http404("No such upload.")
    path = _pending_dir() / f"{user.pk}-{token}"
    if not path.exists():
        raise Http404("This upload has expired; upload the file again.")
    return path


def _download(data: bytes, name: str, fmt: str) -> HttpResponse:
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "csv")
    if fmt not in {"csv", "xlsx"}:
        raise Http404("The formats are csv and xlsx.")
    return fmt


@login_required
def import_values(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a file (POST) and see the preview: the column mapping and every problem."""
    standing = get_standing_for_user(request.user, slug)
    allowed = entry_team_ids(standing)
    teams = _teams(standing, allowed, "")
    ctx = {
        "standing": standing,
        "collaborative": standing.collaborative,
        "teams": teams,
        "team_slug": request.GET.get("team", ""),
        "max_mb": MAX_IMPORT_BYTES // 1024 // 1024,
        "template_columns": TEMPLATE_COLUMNS,
    }
    if request.method != "POST":
        return render(request, "measures/import_upload.html", ctx)
    upload = request.FILES.get("file")
    error = ""
    if upload is None:
        error = "Choose a CSV or Excel (.xlsx) file to upload."
    elif upload.size > MAX_IMPORT_BYTES:
        error = too_big_message(upload.size)
    if error:
        return render(request, "measures/import_upload.html", {**ctx, "error": error}, status=400)
    data = upload.read()
    try:
        table = read_table(upload.name, data)
    except ImportFileError as failure:
        return render(
            request,
            "measures/import_upload.html",
            {**ctx, "error": failure.message, "filename": upload.name},
            status=400,
        )
    checked = check_import(table, standing.collaborative, allowed_team_ids=allowed)
    token = ""
    if checked.ok and checked.n_values:
        token = f"{uuid.uuid4().hex}.{table.kind}"
        (_pending_dir() / f"{request.user.pk}-{token}").write_bytes(data)
    return render(
        request,
        "measures/import_preview.html",
        {
            **ctx,
            "filename": upload.name,
            "checked": checked,
            "token": token,
            "groups": sorted(
                (
                    (checked.teams[t].name, checked.periods[p], len(rows))
                    for (t, p), rows in checked.groups.items()
                ),
                key=lambda g: (g[0], g[1].start),
            )[:200],
        },
        status=200 if checked.ok else 400,
    )


@login_required
@require_POST
def import_commit(request: HttpRequest, slug: str) -> HttpResponse:
    """Write a previewed file: everything or, if anything is wrong, nothing."""
    standing = get_standing_for_user(request.user, slug)
    allowed = entry_team_ids(standing)
    token = request.POST.get("token", "")
    path = _pending_path(request.user, token)
    data = path.read_bytes()
    try:
        table = read_table(token, data)
        checked = check_import(table, standing.collaborative, allowed_team_ids=allowed)
        counts = do_import_values(checked, person=standing.user)
    except ImportFileError as failure:
        messages.error(request, failure.message)
        return redirect("measures:import", slug)
    except ImportFailed as failure:
        problems = "; ".join(str(p) for p in failure.problems[:5])
        messages.error(request, f"Nothing was imported: {problems}")
        return redirect("measures:import", slug)
    path.unlink(missing_ok=True)
    messages.success(
        request,
        f"Imported {counts['created']} new and {counts['updated']} changed values "
        f"({counts['unchanged']} unchanged) for {len(checked.groups)} team-months. "
        "The months are drafts until submitted.",
    )
    return redirect("measures:import", slug)


@login_required
def download_template(request: HttpRequest, slug: str) -> HttpResponse:
    """An empty file with one line per team, month, measure and stratum, ready to fill in."""
    standing = get_standing_for_user(request.user, slug)
    allowed = entry_team_ids(standing)
    fmt = _format(request)
    team_slug = request.GET.get("team", "")
    teams = _teams(standing, allowed, team_slug)
    periods = ReportingPeriod.objects.filter(collaborative=standing.collaborative)
    if month := request.GET.get("period", ""):
        periods = [p for p in periods if f"{p.start:%Y-%m}" == month]
        if not periods:
            raise Http404("No such reporting period.")
    else:
        today = timezone.localdate(timezone=standing.collaborative.tz)
        started = [p for p in periods if p.start <= today]
        periods = started[-1:] or list(periods)[-1:]
    rows = template_rows(teams, periods)
    name = (
        f"{slug}-{team_slug or 'all-teams'}-template-{periods[0].start:%Y-%m}" if periods else slug
    )
    if fmt == "xlsx":
        return _download(write_xlsx(TEMPLATE_COLUMNS, rows, title="values"), name, fmt)
    return _download(write_csv(TEMPLATE_COLUMNS, rows), name, fmt)


@login_required
def export_values(request: HttpRequest, slug: str) -> HttpResponse:
    """Every entered value (true counts: only the team's own data, or staff) as CSV or XLSX."""
    standing = get_standing_for_user(request.user, slug)
    allowed = entry_team_ids(standing)
    fmt = _format(request)
    team_slug = request.GET.get("team", "")
    team_ids = {t.pk for t in _teams(standing, allowed, team_slug)}
    rows = export_rows(values_for_export(standing.collaborative, team_ids))
    name = f"{slug}-{team_slug or 'all-teams'}-values-{timezone.localdate():%Y-%m-%d}"
    if fmt == "xlsx":
        return _download(write_xlsx(EXPORT_COLUMNS, rows), name, fmt)
    return _download(write_csv(EXPORT_COLUMNS, rows), name, fmt)
