from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.concurrency import EditConflict
from breakthrough.measures.access import can_read_entry
from breakthrough.measures.charts import team_measure_charts
from breakthrough.measures.models import TeamMeasure

from .access import get_team_for_user
from .actions import do_update_team
from .forms import TeamForm


@login_required
def team_detail(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    team = get_team_for_user(standing, team_slug)
    # Current and former members in one query.
    everyone = list(
        team.memberships.select_related("person", "agency").order_by(
            "agency__name", "-is_senior_leader", "-is_day_to_day_lead", "person__full_name"
        )
    )
    memberships = [m for m in everyone if m.ended_on is None]
    past_members = sorted(
        (m for m in everyone if m.ended_on is not None),
        key=lambda m: (
            not m.is_senior_leader,
            not m.is_day_to_day_lead,
            not m.is_data_contact,
            m.pk,
        ),
    )
    by_agency = [(agency, list(ms)) for agency, ms in groupby(memberships, key=lambda m: m.agency)]
    team_measures = (
        TeamMeasure.objects.filter(team=team, active=True)
        .select_related("measure")
        .filter(Q(measure__owner_team__isnull=True) | Q(measure__owner_team=team))
    )
    return render(
        request,
        "teams/team_detail.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "team": team,
            "by_agency": by_agency,
            "past_members": past_members,
            "agreements": team.jurisdiction.agreements.prefetch_related("agencies"),
            "team_measures": team_measures,
            "measure_charts": team_measure_charts(team, viewer_standing=standing, size="small"),
            "coaches": team.coaches.select_related("person"),
            "can_read_work": standing.can_read_team(team),
            "can_read_data": can_read_entry(standing, team),
            "can_edit": standing.can_edit_team(team),
            "can_manage": standing.can_manage_team(team),
            "sees_private": standing.is_staff,
        },
    )


@login_required
def edit_team(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    team = get_team_for_user(standing, team_slug, manage=True)
    conflict = None
    if request.method == "POST":
        form = TeamForm(request.POST, instance=team)
        if form.is_valid():
            try:
                do_update_team(
                    team,
                    aim=form.cleaned_data["aim"],
                    data_visibility=form.cleaned_data["data_visibility"],
                    expected_version=form.cleaned_data["edit_version"],
                )
            except EditConflict as error:
                conflict = error
                form = TeamForm(
                    data={**request.POST.dict(), "edit_version": error.current.edit_version},
                    instance=error.current,
                )
            else:
                messages.success(request, f"{team.name} saved.")
                return redirect(team)
    else:
        form = TeamForm(instance=team, initial={"edit_version": team.edit_version})
    return render(
        request,
        "teams/team_edit.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "team": team,
            "form": form,
            "conflict": conflict,
        },
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )
