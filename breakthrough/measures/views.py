from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.concurrency import EditConflict

from .access import (
    can_enter_data,
    get_entry_team_for_user,
    get_measure_for_user,
    measures_for_standing,
)
from .actions import do_create_custom_measure, do_set_team_measure, do_update_measure
from .forms import CustomMeasureForm, MeasureDefinitionForm
from .models import Measure, TeamMeasure


@login_required
def measure_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The collaborative's measure set with operational definitions."""
    standing = get_standing_for_user(request.user, slug)
    measures = (
        measures_for_standing(standing)
        .select_related("owner_team")
        .prefetch_related("stratifiers")
        .annotate(n_teams=Count("team_measures", filter=Q(team_measures__active=True)))
    )
    from breakthrough.teams.models import Team

    entry_teams = list(Team.objects.filter(pk__in=standing.team_ids).order_by("name"))
    return render(
        request,
        "measures/measure_list.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "measures": measures,
            "entry_teams": entry_teams,
            "can_import": standing.is_staff
            or any(can_enter_data(standing, t) for t in entry_teams),
        },
    )


def _can_choose_measures(standing, team) -> bool:
    return standing.is_staff or team.pk in standing.lead_team_ids


@login_required
def team_measures(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    """The measures a team reports: switch optional ones on or off, add the team's own."""
    standing = get_standing_for_user(request.user, slug)
    team = get_entry_team_for_user(standing, team_slug)
    may_change = _can_choose_measures(standing, team)
    form = CustomMeasureForm()
    status = 200
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("Only the team's leads and collaborative staff choose measures.")
        if "code" in request.POST:
            form = CustomMeasureForm(request.POST)
            if form.is_valid():
                fields = {k: v for k, v in form.cleaned_data.items() if k != "code"}
                try:
                    measure = do_create_custom_measure(
                        team, code=form.cleaned_data["code"], by=standing.user, **fields
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, f"{measure.code} added to {team.name}'s measures.")
                    return redirect("measures:team", slug, team.slug)
            status = 400
        else:
            measure = (
                measures_for_standing(standing).filter(code=request.POST.get("measure", "")).first()
            )
            if measure is None:
                raise Http404("No such measure.")
            active = request.POST.get("active") == "1"
            try:
                do_set_team_measure(team, measure, active=active, by=standing.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    f"{measure.code} {'on' if active else 'off'} for {team.name}.",
                )
            return redirect("measures:team", slug, team.slug)
    active = set(
        TeamMeasure.objects.filter(team=team, active=True).values_list("measure_id", flat=True)
    )
    measures = (
        Measure.objects.filter(collaborative=standing.collaborative)
        .filter(Q(owner_team__isnull=True) | Q(owner_team=team))
        .prefetch_related("stratifiers")
    )
    return render(
        request,
        "measures/team_measures.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "team": team,
            "measures": [(m, m.pk in active) for m in measures],
            "may_change": may_change,
            "form": form,
        },
        status=status,
    )


@login_required
def edit_measure(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Staff change a measure's definitions and the collaborative goal (versioned)."""
    standing = get_standing_for_user(request.user, slug, staff=True)
    measure = get_measure_for_user(standing, code)
    conflict = None
    status = 200
    if request.method == "POST":
        form = MeasureDefinitionForm(request.POST, instance=Measure.objects.get(pk=measure.pk))
        if form.is_valid():
            changes = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name != "edit_version"
            }
            try:
                do_update_measure(
                    measure, expected_version=form.cleaned_data["edit_version"], **changes
                )
            except EditConflict as error:
                conflict = error
                form.data = form.data.copy()
                form.data["edit_version"] = error.current.edit_version
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                note = f" Definition version {measure.version}." if measure.version > 1 else ""
                messages.success(request, f"{measure.code} saved.{note}")
                return redirect(f"{reverse('measures:list', args=[slug])}#measure-{measure.code}")
        else:
            status = 400
    else:
        form = MeasureDefinitionForm(
            instance=measure, initial={"edit_version": measure.edit_version}
        )
    return render(
        request,
        "measures/measure_edit.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "measure": measure,
            "form": form,
            "conflict": conflict,
            "versions": measure.history.order_by("-history_date")[:30],
        },
        status=status,
    )
