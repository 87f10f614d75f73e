from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from breakthrough.accounts.actions import do_invite_person, do_revoke_invitation
from breakthrough.accounts.models import Invitation
from breakthrough.teams.models import Membership, Team

from . import history
from .access import collaboratives_for_user, get_standing_for_user
from .actions import do_restore_version
from .forms import InviteForm
from .models import CollaborativeOrganisation, Event, StaffRole


@login_required
def home(request: HttpRequest) -> HttpResponse:
    collaboratives = collaboratives_for_user(request.user).prefetch_related(
        Prefetch(
            "collaborativeorganisation_set",
            queryset=CollaborativeOrganisation.objects.select_related("organisation"),
        )
    )
    return render(request, "collaboratives/home.html", {"collaboratives": collaboratives})


def _teams_with_members(collaborative):
    return (
        Team.objects.filter(collaborative=collaborative)
        .select_related("jurisdiction")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("person", "agency")
                .filter(ended_on__isnull=True)
                .order_by("agency__name", "-is_senior_leader", "-is_day_to_day_lead", "id"),
            )
        )
    )


@login_required
def collaborative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    c = standing.collaborative
    today = timezone.localdate()
    upcoming = list(
        c.events.filter(Q(end__gte=today) | Q(end__isnull=True, start__gte=today))
        .exclude(kind=Event.Kind.ACTION_PERIOD)
        .order_by("start")[:5]
    )
    recent = list(
        c.events.filter(start__lt=today, kind__in=Event.CONVENINGS).order_by("-start")[:2]
    )
    rank = {role: i for i, role in enumerate(StaffRole.Role.values)}
    staff = sorted(
        StaffRole.objects.filter(collaborative=c)
        .exclude(role__in=["observer", "evaluator"])
        .select_related("person"),
        key=lambda r: (rank[r.role], r.person.full_name),
    )
    next_period = c.periods.filter(due_on__gte=today, is_baseline=False).first()
    return render(
        request,
        "collaboratives/collaborative_detail.html",
        {
            "standing": standing,
            "collaborative": c,
            "sponsors": c.collaborativeorganisation_set.select_related("organisation"),
            "aims": c.aims.select_related("measure"),
            "teams": _teams_with_members(c),
            "staff": staff,
            "upcoming": upcoming,
            "recent_events": recent,
            "next_period": next_period,
            "activity": history.recent_changes(c.pk, limit=12) if standing.is_staff else [],
        },
    )


@login_required
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    c = standing.collaborative
    kind = request.GET.get("kind", "")
    events = c.events.select_related("host_team").order_by("start", "id")
    if kind in Event.Kind.values:
        events = events.filter(kind=kind)
    months = [
        (month, list(items))
        for month, items in groupby(events, key=lambda e: e.start.replace(day=1))
    ]
    return render(
        request,
        "collaboratives/calendar.html",
        {
            "standing": standing,
            "collaborative": c,
            "months": months,
            "kinds": Event.Kind.choices,
            "kind": kind,
            "periods": c.periods.all(),
            "today": timezone.localdate(),
        },
    )


@login_required
def event_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    event = get_object_or_404(
        Event.objects.select_related("host_team"), collaborative=standing.collaborative, pk=pk
    )
    attendance = event.attendance.select_related("person", "team").order_by(
        "team__name", "person__full_name"
    )
    return render(
        request,
        "collaboratives/event_detail.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "event": event,
            "agenda": event.agenda.all(),
            "attendance": attendance if standing.is_staff else None,
            "attended_count": sum(1 for a in attendance if a.attended),
        },
    )


@login_required
def people(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug, manage=True)
    c = standing.collaborative
    form = InviteForm(request.POST or None, collaborative=c)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitation = do_invite_person(
            inviter=request.user,
            collaborative=c,
            email=data["email"],
            full_name=data["full_name"],
            staff_role=data["staff_role"],
            team=data["team"],
            team_roles=data["team_roles"],
            partner=data["partner"],
            agency=data["agency"],
        )
        messages.success(
            request, f"Invitation sent to {invitation.email} ({invitation.role_description})."
        )
        return redirect("collaboratives:people", slug=c.slug)
    return render(
        request,
        "collaboratives/people.html",
        {
            "standing": standing,
            "collaborative": c,
            "form": form,
            "staff": sorted(
                StaffRole.objects.filter(collaborative=c)
                .select_related("person")
                .prefetch_related("teams"),
                key=lambda r: (StaffRole.Role.values.index(r.role), r.person.full_name),
            ),
            "teams": _teams_with_members(c),
            "invitations": Invitation.objects.filter(collaborative=c).select_related(
                "team", "invited_by"
            )[:100],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug, manage=True)
    invitation = get_object_or_404(Invitation, collaborative=standing.collaborative, pk=pk)
    if invitation.status == "pending":
        do_revoke_invitation(invitation)
        messages.success(request, f"The invitation for {invitation.email} was withdrawn.")
    else:
        messages.error(request, f"That invitation is {invitation.status}; it cannot be withdrawn.")
    return redirect("collaboratives:people", slug=standing.collaborative.slug)


@login_required
def history_list(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug, staff=True)
    label = request.GET.get("model", "")
    labels = [label] if label in history.TRACKED else None
    changes = history.recent_changes(standing.collaborative.pk, limit=100, labels=labels)
    models = sorted(
        (
            (key, str(model._meta.verbose_name_plural))
            for key, (model, _) in history.TRACKED.items()
        ),
        key=lambda item: item[1],
    )
    return render(
        request,
        "collaboratives/history_list.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "changes": changes,
            "models": models,
            "model": label,
        },
    )


@login_required
def history_record(request: HttpRequest, slug: str, label: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug, staff=True)
    if label not in history.TRACKED:
        raise Http404("No history for that kind of record.")
    record = get_object_or_404(
        history.history_queryset(label, standing.collaborative.pk).select_related("history_user"),
        history_id=pk,
    )
    if request.method == "POST":
        do_restore_version(record, reason=request.POST.get("reason", "")[:100])
        messages.success(
            request, f"Restored {record.instance_type._meta.verbose_name} “{record.instance}”."
        )
        return redirect("collaboratives:history", slug=standing.collaborative.slug)
    versions = (
        history.history_queryset(label, standing.collaborative.pk)
        .filter(id=record.id)
        .select_related("history_user")
        .order_by("-history_date")
    )
    return render(
        request,
        "collaboratives/history_record.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "change": history.Change(record, label),
            "fields": history.describe_changes(record),
            "versions": versions,
            "label": label,
        },
    )
