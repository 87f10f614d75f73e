from __future__ import annotations

import hashlib
import io
import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .access import get_export_standing_for_user
from .actions import do_record_export
from .archive import write_archive
from .evaluator import write_evaluator_export
from .models import ExportRecord


@login_required
def exports(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_export_standing_for_user(request.user, slug)
    records = ExportRecord.objects.filter(collaborative=standing.collaborative).select_related(
        "person"
    )
    if not standing.is_staff:  # evaluators see their own downloads
        records = records.filter(person=request.user)
    return render(
        request,
        "archives/exports.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "records": records[:50],
        },
    )


def _send(request, standing, kind: str, write) -> FileResponse:
    c = standing.collaborative
    name = f"{c.slug}-{kind}-{timezone.now():%Y%m%d-%H%M%S}.zip"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        manifest = write(c, path)
        data = path.read_bytes()
    rows = (
        manifest["rows"]
        if kind == "evaluator"
        else sum(e["rows"] for e in manifest["entities"].values())
    )
    do_record_export(
        collaborative=c,
        kind=kind,
        filename=name,
        sha256=hashlib.sha256(data).hexdigest(),
        rows=rows,
        person=request.user,
        via="web",
    )
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name)


@login_required
@require_POST
def export_evaluator(request: HttpRequest, slug: str) -> FileResponse:
    standing = get_export_standing_for_user(request.user, slug)
    return _send(request, standing, "evaluator", write_evaluator_export)


@login_required
@require_POST
def export_archive(request: HttpRequest, slug: str) -> FileResponse:
    standing = get_export_standing_for_user(request.user, slug, archive=True)
    return _send(request, standing, "archive", write_archive)
