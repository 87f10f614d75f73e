"""Pages of the publications: the final report, storyboards, the practice model, exports and the
public dissemination page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from breakthrough.collaboratives.access import get_standing_for_user, standing_for
from breakthrough.collaboratives.models import Collaborative
from breakthrough.concurrency import EditConflict

from . import actions, documents
from .access import (
    get_build_for_user,
    get_final_report_for_user,
    get_practice_model_for_user,
    get_section_for_user,
    get_storyboard_team_for_user,
    may_edit_publications,
)
from .forms import (
    BuildForm,
    ModelSettingsForm,
    PackageVersionForm,
    PhaseForm,
    PracticeForm,
    ReportSettingsForm,
    SectionForm,
    StoryboardForm,
)
from .models import Build, Phase, Practice, TeamStoryboard

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def _ctx(standing, **extra) -> dict:
    return {"standing": standing, "collaborative": standing.collaborative, **extra}


def _errors(exc: ValidationError, form) -> None:
    if hasattr(exc, "error_dict"):
        for name, errs in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errs)
    else:
        form.add_error(None, exc)


def _history(obj, limit: int = 12) -> list:
    return list(obj.history.select_related("history_user").order_by("-history_date")[:limit])


# --------------------------------------------------------------------------------------------
# Final report


@login_required
def final_report(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    report = get_final_report_for_user(standing)
    may_edit = may_edit_publications(standing)
    ctx = _ctx(standing, report=report, may_edit=may_edit)
    if report is not None:
        ctx.update(documents.final_context(standing.collaborative, standing))
        if may_edit:
            ctx["settings_form"] = ReportSettingsForm(
                instance=report, initial={"edit_version": report.edit_version}
            )
            ctx["builds"] = list(
                Build.objects.filter(collaborative=standing.collaborative)
                .defer("output")
                .order_by("-requested_at")[:6]
            )
    return render(request, "publications/final.html", ctx)


@login_required
@require_POST
def generate_final(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    get_final_report_for_user(standing, write=True)
    actions.do_create_final_report(standing.collaborative, by=request.user)
    messages.success(request, "The final report is generated; edit its sections below.")
    return redirect("publications:final", slug)


@login_required
@require_POST
def final_settings(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    report = get_final_report_for_user(standing, write=True)
    if report is None:
        raise Http404("The final report has not been generated.")
    form = ReportSettingsForm(request.POST, instance=report)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_update_final_report(
                report,
                expected_version=d["edit_version"],
                title=d["title"],
                subtitle=d["subtitle"],
                status=d["status"],
                public_page=d["public_page"],
                by=request.user,
            )
        except EditConflict:
            messages.error(request, "Someone else changed these settings; look and try again.")
            return redirect("publications:final", slug)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
            return redirect("publications:final", slug)
        messages.success(request, "Saved.")
        return redirect("publications:final", slug)
    messages.error(request, "; ".join(f"{k}: {v[0]}" for k, v in form.errors.items()))
    return redirect("publications:final", slug)


@login_required
def edit_section(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    section = get_section_for_user(standing, pk, write=True)
    conflict = None
    if request.method == "POST":
        form = SectionForm(request.POST, instance=section)
        if form.is_valid():
            try:
                actions.do_update_section(
                    section,
                    expected_version=form.cleaned_data["edit_version"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    by=request.user,
                )
            except EditConflict as exc:
                conflict = exc
                form = SectionForm(
                    request.POST.copy() | {"edit_version": exc.current.edit_version},
                    instance=exc.current,
                )
                form.is_valid()
            except ValidationError as exc:
                _errors(exc, form)
            else:
                messages.success(request, f"“{section.title}” saved.")
                return redirect(reverse("publications:final", args=[slug]) + f"#s-{section.key}")
        status = 409 if conflict else 400
    else:
        form = SectionForm(instance=section, initial={"edit_version": section.edit_version})
        status = 200
    return render(
        request,
        "publications/section_edit.html",
        _ctx(
            standing,
            section=section,
            form=form,
            conflict=conflict,
            history=_history(section),
            autosave_url=reverse("publications:section-autosave", args=[slug, section.pk]),
        ),
        status=status,
    )


@login_required
@require_POST
def autosave_section(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    standing = get_standing_for_user(request.user, slug)
    section = get_section_for_user(standing, pk, write=True)
    form = SectionForm(request.POST, instance=section)
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[k].label if k in form.fields else k}: {v[0]}"
            for k, v in form.errors.items()
        )
        return JsonResponse({"message": "Draft not saved yet: " + errors}, status=400)
    try:
        actions.do_update_section(
            section,
            expected_version=form.cleaned_data["edit_version"],
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            by=request.user,
        )
    except EditConflict:
        return JsonResponse(
            {"message": "Someone else saved this section; reload the page to see their text."},
            status=409,
        )
    except ValidationError as exc:
        return JsonResponse(
            {"message": "Draft not saved yet: " + " ".join(exc.messages)}, status=400
        )
    now = timezone.localtime()
    return JsonResponse(
        {"message": f"Draft saved {now:%H:%M}", "edit_version": section.edit_version}
    )


# --------------------------------------------------------------------------------------------
# Exports (builds)


@login_required
@require_POST
def start_build(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    form = BuildForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            "Choose a document (final or model) and a format (pdf, docx or html).", status=400
        )
    kind, fmt = form.cleaned_data["kind"], form.cleaned_data["format"]
    if kind == "final":
        found = get_final_report_for_user(standing, write=True)
    else:
        found = get_practice_model_for_user(standing, write=True)
    if found is None:
        raise Http404("Generate it first.")
    build = actions.do_request_build(standing.collaborative, kind=kind, fmt=fmt, by=request.user)
    actions.start_build(build, background=not getattr(settings, "PUBLICATIONS_BUILD_INLINE", False))
    if request.htmx:
        return render(request, "publications/build.html#status", _ctx(standing, build=build))
    return redirect("publications:build", slug, build.pk)


@login_required
def build_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    build = get_build_for_user(standing, pk)
    template = "publications/build.html#status" if request.htmx else "publications/build.html"
    return render(request, template, _ctx(standing, build=build))


@login_required
def build_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    build = get_build_for_user(standing, pk)
    if build.state != Build.State.DONE or build.output is None:
        raise Http404("This export is not ready.")
    response = HttpResponse(bytes(build.output), content_type=CONTENT_TYPES[build.format])
    disposition = "inline" if build.format in {"pdf", "html"} else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{build.filename}"'
    return response


# --------------------------------------------------------------------------------------------
# Storyboards


@login_required
def storyboards(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    teams = [
        t
        for t in standing.collaborative.teams.select_related("collaborative").order_by("name")
        if standing.can_read_team(t)
    ]
    boards = {
        b.team_id: b for b in TeamStoryboard.objects.filter(team__in=teams).select_related("event")
    }
    rows = [(t, boards.get(t.pk), standing.can_edit_team(t)) for t in teams]
    return render(request, "publications/storyboards.html", _ctx(standing, rows=rows))


@login_required
def storyboard(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    team = get_storyboard_team_for_user(standing, team_slug)
    board = actions.storyboard_for(team)
    ctx = documents.storyboard_context(board, standing)
    return render(
        request,
        "publications/storyboard.html",
        _ctx(
            standing,
            **ctx,
            may_edit=standing.can_edit_team(team),
            history=_history(board) if board.pk else [],
        ),
    )


@login_required
def edit_storyboard(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    team = get_storyboard_team_for_user(standing, team_slug, write=True)
    board = actions.storyboard_for(team)
    conflict = None
    status = 200
    if request.method == "POST":
        form = StoryboardForm(request.POST, instance=board, team=team)
        if form.is_valid():
            try:
                _save_storyboard(team, form, request.user)
            except EditConflict as exc:
                conflict = exc
                status = 409
                data = request.POST.copy()
                data["edit_version"] = exc.current.edit_version
                form = StoryboardForm(data, instance=exc.current, team=team)
                form.is_valid()
            except ValidationError as exc:
                _errors(exc, form)
                status = 400
            else:
                messages.success(request, "Storyboard saved.")
                return redirect("publications:storyboard", slug, team.slug)
        else:
            status = 400
    else:
        form = StoryboardForm(
            instance=board,
            team=team,
            initial={"edit_version": board.edit_version if board.pk else ""},
        )
    return render(
        request,
        "publications/storyboard_edit.html",
        _ctx(
            standing,
            team=team,
            board=board,
            form=form,
            conflict=conflict,
            autosave_url=reverse("publications:storyboard-autosave", args=[slug, team.slug]),
        ),
        status=status,
    )


def _save_storyboard(team, form, by) -> TeamStoryboard:
    d = form.cleaned_data
    return actions.do_save_storyboard(
        team,
        expected_version=d.get("edit_version"),
        by=by,
        event=d.get("event"),
        until_period=d.get("until_period"),
        **{f: d.get(f) or "" for f in TeamStoryboard.TEXT_FIELDS},
    )


@login_required
@require_POST
def autosave_storyboard(request: HttpRequest, slug: str, team_slug: str) -> JsonResponse:
    standing = get_standing_for_user(request.user, slug)
    team = get_storyboard_team_for_user(standing, team_slug, write=True)
    form = StoryboardForm(request.POST, instance=actions.storyboard_for(team), team=team)
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[k].label if k in form.fields else k}: {v[0]}"
            for k, v in form.errors.items()
        )
        return JsonResponse({"message": "Draft not saved yet: " + errors}, status=400)
    try:
        board = _save_storyboard(team, form, request.user)
    except EditConflict:
        return JsonResponse(
            {"message": "Someone else saved this storyboard; reload the page to see their text."},
            status=409,
        )
    except ValidationError as exc:
        return JsonResponse(
            {"message": "Draft not saved yet: " + " ".join(exc.messages)}, status=400
        )
    now = timezone.localtime()
    return JsonResponse({"message": f"Draft saved {now:%H:%M}", "edit_version": board.edit_version})


@login_required
def export_storyboard(request: HttpRequest, slug: str, team_slug: str, fmt: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    team = get_storyboard_team_for_user(standing, team_slug)
    if fmt not in CONTENT_TYPES:
        raise Http404("Unknown format.")
    data = documents.storyboard_file(actions.storyboard_for(team), standing, fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    disposition = "attachment" if fmt == "docx" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{team.slug}-storyboard.{fmt}"'
    return response


# --------------------------------------------------------------------------------------------
# Practice model


@login_required
def practice_model(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    model = get_practice_model_for_user(standing)
    may_edit = may_edit_publications(standing)
    ctx = _ctx(standing, model=model, may_edit=may_edit)
    if model is not None:
        ctx.update(documents.model_context(standing.collaborative, standing))
        if may_edit:
            ctx["settings_form"] = ModelSettingsForm(
                instance=model, initial={"edit_version": model.edit_version}
            )
            ctx["phase_form"] = PhaseForm()
            ctx["version_form"] = PackageVersionForm()
    return render(request, "publications/model.html", ctx)


@login_required
@require_POST
def create_model(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    get_practice_model_for_user(standing, write=True)
    actions.do_create_practice_model(standing.collaborative, by=request.user)
    return redirect("publications:model", slug)


@login_required
@require_POST
def model_settings(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    model = get_practice_model_for_user(standing, write=True)
    if model is None:
        raise Http404("There is no practice model yet.")
    form = ModelSettingsForm(request.POST, instance=model)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_update_practice_model(
                model,
                expected_version=d["edit_version"],
                title=d["title"],
                introduction=d["introduction"],
                status=d["status"],
            )
            messages.success(request, "Saved.")
        except EditConflict:
            messages.error(request, "Someone else changed the model; look and try again.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "; ".join(f"{k}: {v[0]}" for k, v in form.errors.items()))
    return redirect("publications:model", slug)


@login_required
def edit_phase(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    model = get_practice_model_for_user(standing, write=True)
    if model is None:
        raise Http404("There is no practice model yet.")
    phase = get_object_or_404(Phase, pk=pk, model=model) if pk else None
    conflict = None
    status = 200
    if request.method == "POST":
        form = PhaseForm(request.POST, instance=phase)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.do_save_phase(
                    model,
                    phase,
                    expected_version=d.get("edit_version"),
                    code=d["code"],
                    title=d["title"],
                    description=d["description"],
                    order=d.get("order"),
                )
            except EditConflict as exc:
                conflict, status = exc, 409
            except ValidationError as exc:
                _errors(exc, form)
                status = 400
            else:
                return redirect("publications:model", slug)
        else:
            status = 400
    else:
        form = PhaseForm(
            instance=phase, initial={"edit_version": phase.edit_version if phase else ""}
        )
    return render(
        request,
        "publications/phase_edit.html",
        _ctx(standing, model=model, phase=phase, form=form, conflict=conflict),
        status=status,
    )


@login_required
def edit_practice(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    model = get_practice_model_for_user(standing, write=True)
    if model is None:
        raise Http404("There is no practice model yet.")
    practice = get_object_or_404(Practice, pk=pk, phase__model=model) if pk else None
    conflict = None
    status = 200
    if request.method == "POST":
        if practice and request.POST.get("delete"):
            actions.do_delete_practice(practice)
            messages.success(request, "Practice removed.")
            return redirect("publications:model", slug)
        form = PracticeForm(request.POST, instance=practice, model=model)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.do_save_practice(
                    d["phase"],
                    practice,
                    expected_version=d.get("edit_version"),
                    area=d["area"],
                    title=d["title"],
                    description=d["description"],
                    nodes=d["nodes"],
                    lessons=d["lessons"],
                    fidelity_measure=d["fidelity_measure"],
                    order=d.get("order"),
                )
            except EditConflict as exc:
                conflict, status = exc, 409
            except ValidationError as exc:
                _errors(exc, form)
                status = 400
            else:
                messages.success(request, "Practice saved.")
                return redirect("publications:model", slug)
        else:
            status = 400
    else:
        initial = {"edit_version": practice.edit_version if practice else ""}
        if not practice and request.GET.get("phase"):
            initial["phase"] = request.GET["phase"]
        form = PracticeForm(instance=practice, model=model, initial=initial)
    return render(
        request,
        "publications/practice_edit.html",
        _ctx(
            standing,
            model=model,
            practice=practice,
            form=form,
            conflict=conflict,
            history=_history(practice) if practice else [],
        ),
        status=status,
    )


@login_required
@require_POST
def model_to_package(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    model = get_practice_model_for_user(standing, write=True)
    if model is None:
        raise Http404("There is no practice model yet.")
    form = PackageVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the new change-package version a number, e.g. 3.0.")
        return redirect("publications:model", slug)
    try:
        draft = actions.do_model_to_package(
            model, version=form.cleaned_data["version"], by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("publications:model", slug)
    messages.success(request, f"Change package version {draft.version} drafted from the model.")
    return redirect(draft.get_absolute_url())


# --------------------------------------------------------------------------------------------
# Public dissemination page


def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The published final report and practice model, for anyone, small counts hidden."""
    from .models import FinalReport, PracticeModel

    collaborative = get_object_or_404(Collaborative, slug=slug)
    report = FinalReport.objects.filter(
        collaborative=collaborative, status=FinalReport.Status.PUBLISHED, public_page=True
    ).first()
    if report is None:
        raise Http404("This collaborative has no public page.")
    # Everyone sees the outsider's view here: counts under the threshold are hidden.
    viewer = standing_for(None, collaborative)
    ctx = {"public": True, **documents.final_context(collaborative, viewer)}
    model = PracticeModel.objects.filter(
        collaborative=collaborative, status=PracticeModel.Status.PUBLISHED
    ).first()
    if model is not None:
        ctx.update(documents.model_context(collaborative, viewer))
    return render(request, "publications/public.html", ctx)
