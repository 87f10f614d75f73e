"""Learning sessions: agenda, presenting teams, attendance, materials and storyboards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.collaboratives.models import AgendaItem, Event
from breakthrough.teams.models import Membership, Team

from .actions import settings_for
from .forms import AgendaItemForm, MaterialForm, PresenterForm, StoryboardForm, StoryboardReviewForm
from .models import Assessment, MonthlyReport, Presenter, SessionMaterial, Storyboard
from .session_actions import (
    do_add_agenda_item,
    do_add_material,
    do_pick_presenter,
    do_record_attendance,
    do_remove_agenda_item,
    do_remove_presenter,
    do_review_storyboard,
    do_upload_storyboard,
)

SESSION_KINDS = ["certificate_program", "learning_session", "closing_congress"]


def _ctx(standing, **extra) -> dict:
    return {"standing": standing, "collaborative": standing.collaborative, **extra}


def get_session_for_user(standing, pk: int) -> Event:
    try:
        return Event.objects.select_related("collaborative").get(
            collaborative=standing.collaborative, pk=pk, kind__in=SESSION_KINDS
        )
    except Event.DoesNotExist:
        raise Http404("No such learning session.") from None


@login_required
def session_list(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    sessions = (
        Event.objects.filter(collaborative=standing.collaborative, kind__in=SESSION_KINDS)
        .prefetch_related(Prefetch("presenters", queryset=Presenter.objects.select_related("team")))
        .order_by("start")
    )
    return render(request, "reports/session_list.html", _ctx(standing, sessions=sessions))


def candidates(event: Event, limit: int = 8) -> list[dict]:
    """Teams faculty may pick to present: the highest agreed scores of the months before."""
    reports = (
        MonthlyReport.objects.filter(
            team__collaborative_id=event.collaborative_id,
            period__end__lt=event.start,
            assessments__kind=Assessment.Kind.RECONCILED,
        )
        .select_related("team", "period")
        .prefetch_related("assessments")
        .order_by("-period__start")
    )
    best: dict[int, dict] = {}
    for r in reports[:400]:
        if r.team_id in best:
            continue
        agreed = next((a for a in r.assessments.all() if a.kind == "reconciled"), None)
        if agreed:
            best[r.team_id] = {
                "team": r.team,
                "report": r,
                "score": agreed.score,
                "why": agreed.justification,
            }
    return sorted(best.values(), key=lambda d: (-d["score"], d["team"].name))[:limit]


@login_required
def session_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    event = get_session_for_user(standing, pk)
    c = standing.collaborative
    presenters = list(event.presenters.select_related("team", "report__period", "chosen_by"))
    storyboards = list(event.storyboards.select_related("team", "uploaded_by"))
    cfg = settings_for(c)
    from breakthrough.publications.models import TeamStoryboard

    def visible(board) -> bool:
        return (
            standing.is_staff
            or board.team_id in standing.team_ids
            or standing.can_read_team(board.team)
        )

    visible_storyboards = [s for s in storyboards if visible(s)]
    written = TeamStoryboard.objects.filter(event=event).select_related("team")
    generated = [b for b in written.order_by("team__name") if visible(b)]
    ctx = {
        "event": event,
        "agenda": event.agenda.all(),
        "presenters": presenters,
        "materials": event.materials.all(),
        "storyboards": visible_storyboards,
        "generated_storyboards": generated,
        "my_teams": Team.objects.filter(pk__in=standing.team_ids).order_by("name"),
        "storyboard_form": StoryboardForm(),
        "cfg": cfg,
    }
    if standing.is_staff:
        attendance = {a.person_id: a for a in event.attendance.all()}
        roster = []
        for team in (
            Team.objects.filter(collaborative=c)
            .order_by("name")
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=Membership.objects.filter(ended_on__isnull=True)
                    .select_related("person")
                    .order_by("-is_senior_leader", "-is_day_to_day_lead", "person__full_name"),
                )
            )
        ):
            roster.append(
                (
                    team,
                    [(m, attendance.get(m.person_id)) for m in team.memberships.all()],
                )
            )
        ctx.update(
            roster=roster,
            attended=sum(1 for a in attendance.values() if a.attended),
            candidates=[
                cand
                for cand in candidates(event)
                if cand["team"].pk not in {p.team_id for p in presenters}
            ],
            presenter_form=PresenterForm(collaborative=c),
            agenda_form=AgendaItemForm(),
            material_form=MaterialForm(),
            review_form=StoryboardReviewForm(),
        )
    return render(request, "reports/session_detail.html", _ctx(standing, **ctx))


def _staff_session(request, slug, pk):
    standing = get_standing_for_user(request.user, slug, staff=True)
    return standing, get_session_for_user(standing, pk)


@login_required
@require_POST
def add_presenter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing, event = _staff_session(request, slug, pk)
    form = PresenterForm(request.POST, collaborative=standing.collaborative)
    if form.is_valid():
        report = None
        if report_id := request.POST.get("report"):
            report = MonthlyReport.objects.filter(
                pk=report_id if report_id.isdigit() else 0, team=form.cleaned_data["team"]
            ).first()
        do_pick_presenter(
            event,
            team=form.cleaned_data["team"],
            by=request.user,
            report=report,
            topic=form.cleaned_data["topic"],
        )
        messages.success(request, f"{form.cleaned_data['team'].name} will present.")
    else:
        messages.error(request, "Choose a team of this collaborative.")
    return redirect("reports:session", slug, event.pk)


@login_required
@require_POST
def remove_presenter(request: HttpRequest, slug: str, pk: int, presenter_id: int) -> HttpResponse:
    _standing, event = _staff_session(request, slug, pk)
    presenter = get_object_or_404(Presenter, event=event, pk=presenter_id)
    do_remove_presenter(presenter)
    messages.success(request, f"{presenter.team.name} no longer presents.")
    return redirect("reports:session", slug, event.pk)


@login_required
@require_POST
def record_attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing, event = _staff_session(request, slug, pk)
    members = Membership.objects.filter(
        team__collaborative=standing.collaborative, ended_on__isnull=True
    ).values_list("person_id", "team_id")
    checked = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    present = {person: person in checked for person, _team in members}
    count = do_record_attendance(event, present=present, teams=dict(members))
    messages.success(request, f"Attendance saved: {count} present.")
    return redirect("reports:session", slug, event.pk)


@login_required
@require_POST
def add_agenda_item(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _standing, event = _staff_session(request, slug, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        do_add_agenda_item(event, **form.cleaned_data)
        messages.success(request, "Agenda item added.")
    else:
        messages.error(request, "An agenda item needs a title; dates and times must be valid.")
    return redirect("reports:session", slug, event.pk)


@login_required
@require_POST
def remove_agenda_item(request: HttpRequest, slug: str, pk: int, item_id: int) -> HttpResponse:
    _standing, event = _staff_session(request, slug, pk)
    do_remove_agenda_item(get_object_or_404(AgendaItem, event=event, pk=item_id))
    return redirect("reports:session", slug, event.pk)


@login_required
@require_POST
def add_material(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _standing, event = _staff_session(request, slug, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        do_add_material(
            event,
            title=form.cleaned_data["title"],
            file=form.cleaned_data.get("file"),
            url=form.cleaned_data.get("url") or "",
            by=request.user,
        )
        messages.success(request, "Material added.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("reports:session", slug, event.pk)


@login_required
@require_POST
def upload_storyboard(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    event = get_session_for_user(standing, pk)
    team = Team.objects.filter(
        collaborative=standing.collaborative, pk=request.POST.get("team") or 0
    ).first()
    if team is None or not standing.can_edit_team(team):
        raise PermissionDenied("Only the team's members and staff upload its storyboard.")
    form = StoryboardForm(request.POST, request.FILES)
    if form.is_valid():
        do_upload_storyboard(
            event,
            team=team,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
            by=request.user,
        )
        messages.success(request, f"Storyboard for {team.name} uploaded; faculty will review it.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("reports:session", slug, event.pk)


@login_required
@require_POST
def review_storyboard(request: HttpRequest, slug: str, pk: int, storyboard_id: int) -> HttpResponse:
    _standing, event = _staff_session(request, slug, pk)
    storyboard = get_object_or_404(Storyboard, event=event, pk=storyboard_id)
    form = StoryboardReviewForm(request.POST)
    if form.is_valid():
        do_review_storyboard(
            storyboard,
            status=form.cleaned_data["review_status"],
            notes=form.cleaned_data["review_notes"],
        )
        messages.success(request, f"Review of {storyboard.team.name}'s storyboard saved.")
    return redirect("reports:session", slug, event.pk)


@login_required
def download_material(request: HttpRequest, slug: str, pk: int, material_id: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    event = get_session_for_user(standing, pk)
    material = get_object_or_404(SessionMaterial, event=event, pk=material_id)
    if not material.file:
        raise Http404("This material is a link.")
    return FileResponse(
        material.file.open("rb"), as_attachment=True, filename=material.file.name.rsplit("/", 1)[-1]
    )


@login_required
def download_storyboard(
    request: HttpRequest, slug: str, pk: int, storyboard_id: int
) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    event = get_session_for_user(standing, pk)
    storyboard = get_object_or_404(
        Storyboard.objects.select_related("team"), event=event, pk=storyboard_id
    )
    team = storyboard.team
    if not (standing.is_staff or team.pk in standing.team_ids or standing.can_read_team(team)):
        raise Http404("No such storyboard.")
    return FileResponse(
        storyboard.file.open("rb"),
        as_attachment=True,
        filename=storyboard.file.name.rsplit("/", 1)[-1],
    )
