from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from breakthrough.changes.models import ChangeNode
from breakthrough.concurrency import EditConflict
from breakthrough.discussions.actions import discussion_audience
from breakthrough.pdsa.models import stage_label

from . import actions
from .access import (
    capstone_or_none,
    enrolments_for_staff,
    get_capstone_team,
    get_certificate_for_user,
    get_program_for_user,
    get_program_standing,
    may_manage_program,
    programs_for_standing,
)
from .completion import progress_for
from .documents import certificate_pdf
from .forms import (
    CapstoneForm,
    EnrolForm,
    ModuleForm,
    PlannedCycleFormSet,
    ProgramForm,
    ReviewForm,
    RevokeForm,
    SessionForm,
    VerifyForm,
)
from .models import Capstone, Certificate, Enrolment, Module, normalise_code


def _ctx(standing, **extra) -> dict:
    return {"standing": standing, "collaborative": standing.collaborative, **extra}


def _my_enrolment(program, user):
    return (
        program.enrolments.filter(
            Q(person=user) | Q(person__isnull=True, invitation__accepted_by=user)
        )
        .select_related("team", "agency", "person", "invitation__accepted_by")
        .first()
    )


# Programs ---------------------------------------------------------------------------------------


@login_required
def program_list(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_program_standing(request.user, slug)
    programs = (
        programs_for_standing(standing)
        .select_related("collaborative")
        .annotate(
            module_count=Count("modules", distinct=True),
            session_count=Count("sessions", distinct=True),
            enrolled=Count("enrolments", filter=Q(enrolments__status="enrolled"), distinct=True),
            certified=Count("enrolments__certificate", distinct=True),
        )
        .order_by("-start", "title")
    )
    return render(
        request,
        "certificates/program_list.html",
        _ctx(standing, programs=programs, may_create=standing.can_manage),
    )


@login_required
def program_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_program_standing(request.user, slug)
    program = get_program_for_user(standing, pk)
    modules = program.modules.prefetch_related(
        Prefetch("components", queryset=ChangeNode.objects.order_by("order", "id"))
    )
    sessions = list(
        program.sessions.select_related("event__collaborative", "module").annotate(
            present=Count("event__attendance", filter=Q(event__attendance__attended=True))
        )
    )
    mine = _my_enrolment(program, request.user)
    progress = progress_for(program, [mine])[mine.pk] if mine else None
    my_certificate = Certificate.objects.filter(enrolment=mine).first() if mine else None
    teams = standing.collaborative.teams.all()
    capstones = {c.team_id: c for c in program.capstones.select_related("team")}
    team_rows = [
        (team, capstones.get(team.pk))
        for team in teams
        if team.pk in standing.team_ids or standing.can_read_team(team)
    ]
    summary = None
    if standing.is_staff:
        enrolments = enrolments_for_staff(standing, program)
        summary = {
            "enrolled": enrolments.filter(status="enrolled").count(),
            "pending": enrolments.filter(
                status="enrolled", person__isnull=True, invitation__accepted_by__isnull=True
            ).count(),
            "certified": enrolments.filter(certificate__isnull=False).count(),
        }
    return render(
        request,
        "certificates/program_detail.html",
        _ctx(
            standing,
            program=program,
            modules=modules,
            sessions=sessions,
            sponsors=program.ordered_sponsors(),
            mine=mine,
            progress=progress,
            my_certificate=my_certificate,
            team_rows=team_rows,
            summary=summary,
            may_manage=may_manage_program(standing, program),
            required=program.sessions_required(len(sessions)),
        ),
    )


@login_required
def program_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    standing = get_program_standing(request.user, slug)
    program = get_program_for_user(standing, pk, manage=True) if pk else None
    if program is None and not standing.can_manage:
        raise PermissionDenied("Only the collaborative's director, faculty or staff may.")
    c = standing.collaborative
    conflict = None
    if request.method == "POST":
        form = ProgramForm(request.POST, standing=standing)
        if form.is_valid():
            data = dict(form.cleaned_data)
            sponsors = data.pop("sponsors")
            shared = data.pop("shared_with", None)
            version = data.pop("edit_version")
            try:
                if program is None:
                    program = actions.do_create_program(
                        collaborative=c, sponsors=sponsors, shared_with=shared or [], **data
                    )
                    messages.success(request, "The program is set up. Add its modules next.")
                else:
                    actions.do_update_program(
                        program,
                        sponsors=sponsors,
                        shared_with=shared if shared is not None else program.shared_with.all(),
                        expected_version=version or 0,
                        **data,
                    )
                    messages.success(request, "Saved.")
            except EditConflict as error:
                conflict = error
                post = request.POST.copy()
                post["edit_version"] = error.current.edit_version
                form = ProgramForm(post, standing=standing)
            else:
                return redirect(program)
    elif program is not None:
        form = ProgramForm(
            standing=standing,
            initial={
                **{f: getattr(program, f) for f in actions.PROGRAM_FIELDS},
                "sponsors": list(program.sponsors.all()),
                "shared_with": list(program.shared_with.all()),
                "edit_version": program.edit_version,
            },
        )
    else:
        form = ProgramForm(
            standing=standing,
            initial={"sponsors": list(c.organisations.all()), "capstone_required": True},
        )
    return render(
        request,
        "certificates/program_form.html",
        _ctx(standing, form=form, program=program, conflict=conflict),
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@login_required
def module_form(
    request: HttpRequest, slug: str, pk: int, module_pk: int | None = None
) -> HttpResponse:
    standing = get_program_standing(request.user, slug)
    program = get_program_for_user(standing, pk, manage=True)
    module = get_object_or_404(Module, program=program, pk=module_pk) if module_pk else None
    conflict = None
    if request.method == "POST":
        form = ModuleForm(request.POST, collaborative=program.collaborative)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.do_save_module(
                    program,
                    module=module,
                    order=data["order"],
                    title=data["title"],
                    objectives=data["objectives"],
                    materials=data["materials"],
                    components=data["components"],
                    expected_version=data["edit_version"],
                )
            except EditConflict as error:
                conflict = error
                post = request.POST.copy()
                post["edit_version"] = error.current.edit_version
                form = ModuleForm(post, collaborative=program.collaborative)
            else:
                messages.success(request, f"Module “{data['title']}” saved.")
                return redirect(program)
    elif module is not None:
        form = ModuleForm(
            collaborative=program.collaborative,
            initial={
                "order": module.order,
                "title": module.title,
                "objectives": module.objectives,
                "materials": module.materials,
                "components": list(module.components.values_list("pk", flat=True)),
                "edit_version": module.edit_version,
            },
        )
    else:
        form = ModuleForm(
            collaborative=program.collaborative,
            initial={"order": program.modules.count() + 1},
        )
    return render(
        request,
        "certificates/module_form.html",
        _ctx(standing, form=form, program=program, module=module, conflict=conflict),
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@login_required
def session_form(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_program_standing(request.user, slug)
    program = get_program_for_user(standing, pk, manage=True)
    form = SessionForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        module = data["module"]
        session = actions.do_add_session(
            program,
            title=data["title"] or (str(module) if module else ""),
            start=data["start"],
            end=data["end"],
            location=data["location"],
            module=module,
        )
        messages.success(request, f"Session “{session.event.title}” is on the calendar.")
        return redirect(program)
    return render(
        request,
        "certificates/session_form.html",
        _ctx(standing, form=form, program=program),
        status=400 if form.errors else 200,
    )


# Participants and attendance --------------------------------------------------------------------


@login_required
def participants(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_program_standing(request.user, slug)
    program = get_program_for_user(standing, pk)
    form = None
    if standing.is_staff:
        form = EnrolForm(request.POST or None, standing=standing, program=program)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                enrolment = actions.do_enrol_participant(
                    program=program,
                    enrolled_by=request.user,
                    team=data["team"],
                    agency=data["agency"],
                    full_name=data["full_name"],
                    email=data["email"],
                )
            except actions.EnrolmentError as error:
                form.add_error(None, str(error))
            else:
                how = "invited to join the team and " if enrolment.invitation_id else ""
                messages.success(request, f"{enrolment.full_name} was {how}enrolled.")
                return redirect("certificates:participants", slug=slug, pk=program.pk)
    elif request.method == "POST":
        raise PermissionDenied("Only collaborative staff enrol participants.")
    enrolments = list(
        (enrolments_for_staff(standing, program) if standing.is_staff else program.enrolments)
        .select_related("team", "agency", "person", "invitation__accepted_by", "certificate")
        .order_by("team__name", "agency__name", "full_name")
    )
    if not standing.is_staff:
        enrolments = [e for e in enrolments if e.status == Enrolment.Status.ENROLLED]
    progress = progress_for(program, enrolments) if standing.is_staff else {}
    for e in enrolments:
        e.progress = progress.get(e.pk)
    by_team = [
        (team, [(agency, list(rows)) for agency, rows in groupby(items, key=lambda e: e.agency)])
        for team, items in groupby(enrolments, key=lambda e: e.team)
    ]
    return render(
        request,
        "certificates/participants.html",
        _ctx(standing, program=program, by_team=by_team, form=form, count=len(enrolments)),
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, slug: str, pk: int, enrolment_pk: int) -> HttpResponse:
    standing = get_program_standing(request.user, slug)
    program = get_program_for_user(standing, pk, staff=True)
    enrolment = get_object_or_404(enrolments_for_staff(standing, program), pk=enrolment_pk)
    actions.do_withdraw_enrolment(enrolment)
    messages.success(request, f"{enrolment.full_name} was withdrawn from the program.")
    return redirect("certificates:participants", slug=slug, pk=program.pk)


@login_required
def attendance(request: HttpRequest, slug: str, pk: int, session_pk: int) -> HttpResponse:
    standing = get_program_standing(request.user, slug)
    program = get_program_for_user(standing, pk, staff=True)
    session = get_object_or_404(program.sessions.select_related("event", "module"), pk=session_pk)
    enrolments = list(
        enrolments_for_staff(standing, program)
        .filter(status=Enrolment.Status.ENROLLED)
        .select_related("team", "agency", "person", "invitation__accepted_by")
        .order_by("team__name", "full_name")
    )
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        issued = actions.do_record_attendance(
            session, enrolments=enrolments, present_ids=present, recorded_by=request.user
        )
        messages.success(
            request,
            f"Attendance saved: {len(present & {e.pk for e in enrolments})} present."
            + (
                f" {len(issued)} certificate{'s' if len(issued) != 1 else ''} issued."
                if issued
                else ""
            ),
        )
        return redirect(program)
    marked = dict(session.event.attendance.values_list("person_id", "attended"))
    rows = []
    for e in enrolments:
        person = e.participant
        rows.append((e, person, bool(person and marked.get(person.pk))))
    return render(
        request,
        "certificates/attendance.html",
        _ctx(standing, program=program, session=session, rows=rows, recorded=bool(marked)),
    )


# Capstones --------------------------------------------------------------------------------------


def _capstone_forms(request, program, capstone, data=None):
    collaborative = program.collaborative
    initial_cycles = (
        [
            {
                "title": c.title,
                "node": c.node_id,
                "objective": c.objective,
                "planned_start": c.planned_start,
            }
            for c in capstone.cycles.all()
        ]
        if capstone
        else []
    )
    names = list(discussion_audience(collaborative).values_list("full_name", flat=True))
    form = CapstoneForm(
        data,
        known_names=names,
        initial={
            "title": capstone.title if capstone else "Our action plan",
            "summary": capstone.summary if capstone else "",
            "edit_version": capstone.edit_version if capstone else 0,
        },
    )
    # A posted formset is compared with no initial rows: otherwise a row left as it was loaded
    # would count as unchanged and be dropped, whatever INITIAL_FORMS the page was built with.
    formset = PlannedCycleFormSet(
        data,
        prefix="cycles",
        initial=None if data is not None else initial_cycles,
        form_kwargs={"collaborative": collaborative},
    )
    return form, formset


def _save_capstone(program, team, capstone, form, formset):
    return actions.do_save_capstone(
        program=program,
        team=team,
        capstone=capstone,
        title=form.cleaned_data["title"],
        summary=form.cleaned_data["summary"],
        cycles=formset.cycles,
        expected_version=form.cleaned_data["edit_version"],
    )


def _planned_cycles(plan, standing) -> list:
    """The capstone's planned cycles, each with the stage of its cycle on the PDSA board."""
    if plan is None:
        return []
    cycles = list(plan.cycles.select_related("node", "pdsa_cycle__team__collaborative"))
    for c in cycles:
        c.stage = stage_label(c.pdsa_cycle.state, standing.vocab) if c.pdsa_cycle else ""
    return cycles


@login_required
def capstone(request: HttpRequest, slug: str, pk: int, team_slug: str) -> HttpResponse:
    standing = get_program_standing(request.user, slug)
    program = get_program_for_user(standing, pk)
    team = get_capstone_team(standing, program, team_slug)
    plan = capstone_or_none(program, team)
    may_edit = standing.can_edit_team(team) and (plan is None or plan.is_editable)
    conflict = None
    status = 200
    form = formset = None
    if may_edit:
        form, formset = _capstone_forms(
            request, program, plan, request.POST if request.method == "POST" else None
        )
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("This capstone cannot be changed now.")
        if form.is_valid() and formset.is_valid():
            try:
                plan = _save_capstone(program, team, plan, form, formset)
            except EditConflict as error:
                conflict = error
                status = 409
            else:
                if request.POST.get("submit") == "1":
                    try:
                        actions.do_submit_capstone(plan, by=request.user)
                    except actions.CapstoneError as error:
                        messages.error(request, str(error))
                    else:
                        messages.success(request, "The capstone is submitted for review.")
                else:
                    messages.success(request, "The capstone draft is saved.")
                return redirect(plan)
        else:
            status = 400
    review_form = None
    if standing.is_staff and plan and plan.status == Capstone.Status.SUBMITTED:
        review_form = ReviewForm()
    cycles = _planned_cycles(plan, standing)
    return render(
        request,
        "certificates/capstone.html",
        _ctx(
            standing,
            program=program,
            team=team,
            capstone=plan,
            cycles=cycles,
            form=form,
            formset=formset,
            may_edit=may_edit,
            review_form=review_form,
            conflict=conflict,
        ),
        status=status,
    )


@login_required
@require_POST
def capstone_autosave(request: HttpRequest, slug: str, pk: int, team_slug: str) -> JsonResponse:
    """Save the capstone draft while the team types; answers JSON for app.js."""
    standing = get_program_standing(request.user, slug)
    program = get_program_for_user(standing, pk)
    team = get_capstone_team(standing, program, team_slug, write=True)
    plan = capstone_or_none(program, team)
    if plan is not None and not plan.is_editable:
        return JsonResponse({"message": "This capstone is submitted; it is not saved."}, status=409)
    form, formset = _capstone_forms(request, program, plan, request.POST)
    if not (form.is_valid() and formset.is_valid()):
        errors = [str(e) for e in form.non_field_errors()] + [
            f"{form.fields[name].label or name}: {err[0]}"
            for name, err in form.errors.items()
            if name != "__all__"
        ]
        if not formset.is_valid():
            errors.append("A planned cycle is incomplete (cycle, change idea and objective).")
        return JsonResponse({"message": "Draft not saved yet: " + "; ".join(errors)}, status=400)
    try:
        plan = _save_capstone(program, team, plan, form, formset)
    except EditConflict:
        return JsonResponse(
            {"message": "Someone else saved this capstone; reload the page to see their version."},
            status=409,
        )
    now = timezone.localtime()
    return JsonResponse({"message": f"Draft saved {now:%H:%M}", "edit_version": plan.edit_version})


@login_required
@require_POST
def capstone_review(request: HttpRequest, slug: str, pk: int, team_slug: str) -> HttpResponse:
    standing = get_program_standing(request.user, slug)
    program = get_program_for_user(standing, pk, staff=True)
    team = get_capstone_team(standing, program, team_slug)
    plan = capstone_or_none(program, team)
    if plan is None:
        raise Http404("This team has no capstone yet.")
    form = ReviewForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            actions.do_review_capstone(
                plan, by=request.user, accept=accept, note=form.cleaned_data["note"]
            )
        except actions.CapstoneError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                "Accepted: the planned cycles are on the team's PDSA board."
                if accept
                else "Returned to the team with your note.",
            )
        return redirect(plan)
    cycles = _planned_cycles(plan, standing)
    return render(
        request,
        "certificates/capstone.html",
        _ctx(
            standing,
            program=program,
            team=team,
            capstone=plan,
            cycles=cycles,
            may_edit=False,
            review_form=form,
        ),
        status=400,
    )


# Certificates -----------------------------------------------------------------------------------


@login_required
@require_POST
def issue_certificates(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_program_standing(request.user, slug)
    program = get_program_for_user(standing, pk, staff=True)
    issued = actions.do_issue_certificates(program, issued_by=request.user)
    messages.success(
        request,
        f"{len(issued)} certificate{'s' if len(issued) != 1 else ''} issued."
        if issued
        else "Nobody else has completed the program yet.",
    )
    return redirect("certificates:participants", slug=slug, pk=program.pk)


@login_required
def download_certificate(request: HttpRequest, code: str) -> HttpResponse:
    certificate = get_certificate_for_user(request.user, normalise_code(code))
    if not certificate.is_valid:
        raise Http404("This certificate was revoked.")
    pdf = certificate_pdf(certificate)
    name = "".join(ch for ch in certificate.holder_name if ch.isalnum() or ch in " -")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="Certificate {name.strip()} {certificate.code}.pdf"'
    )
    return response


@login_required
@require_POST
def revoke_certificate(request: HttpRequest, code: str) -> HttpResponse:
    certificate = get_certificate_for_user(request.user, normalise_code(code))
    program = certificate.enrolment.program
    standing = get_program_standing(request.user, program.collaborative.slug)
    if not may_manage_program(standing, program):
        raise PermissionDenied("Only the running collaborative's managers revoke certificates.")
    form = RevokeForm(request.POST)
    if form.is_valid():
        actions.do_revoke_certificate(certificate, reason=form.cleaned_data["reason"])
        messages.success(request, f"Certificate {certificate.code} is revoked.")
    else:
        messages.error(request, "Give the reason for revoking the certificate.")
    return redirect("certificates:participants", slug=program.collaborative.slug, pk=program.pk)


def verify(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The one public page: says whether a certificate is valid, whose it is, and for which
    program, and nothing more."""
    form = VerifyForm(request.GET or None)
    if code is None and form.is_valid():
        return redirect("certificates:verify-code", code=normalise_code(form.cleaned_data["code"]))
    certificate = None
    if code is not None:
        certificate = (
            Certificate.objects.filter(code=normalise_code(code))
            .only("code", "holder_name", "program_title", "revoked_at")
            .first()
        )
    return render(
        request,
        "certificates/verify.html",
        {"form": form, "code": code, "certificate": certificate},
        status=404 if code is not None and certificate is None else 200,
    )
