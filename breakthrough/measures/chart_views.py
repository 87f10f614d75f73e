"""A team's measure chart page: the interactive chart, its table, notes, baselines, phases, goal.

Reading follows the team's sharing (`Standing.can_read_team`); notes, baselines and phases may be
changed by the team's members and collaborative staff; the team's goal by its leads and staff.
"""

from __future__ import annotations

import csv
import functools
import io
import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.collaboratives.models import ReportingPeriod
from breakthrough.concurrency import EditConflict
from breakthrough.teams.access import get_team_for_user

from . import chart_actions
from .access import get_measure_for_user
from .charts import ChartSpec, chart_rows, team_measure_charts
from .models import ChartNote, ChartPhase, MeasureValue, TeamMeasure

EXPORT_COLUMNS = [
    ("team", "Team"),
    ("measure", "Measure"),
    ("period", "Month"),
    ("date", "Month start"),
    ("value", "Value"),
    ("numerator", "Numerator"),
    ("denominator", "Denominator"),
    ("centre", "Centre line"),
    ("lower", "Lower limit"),
    ("upper", "Upper limit"),
    ("part", "Phase"),
    ("baseline", "Baseline"),
    ("signal", "Signal"),
    ("rules", "Rules"),
    ("explanation", "Explanation"),
    ("annotations", "Annotations"),
]


# --------------------------------------------------------------------------- the JS bundle


@functools.cache
def _bundle() -> str:
    """vega-embed + Vega-Lite + Vega from vl-convert (no Node, nothing downloaded), cached on
    disk in the data directory so a restart does not rebuild it."""
    import vl_convert as vlc

    path = settings.DATA_DIR / "cache" / f"vega-embed-vlc-{vlc.__version__}.js"
    try:
        return path.read_text()
    except OSError:
        pass
    text = vlc.javascript_bundle()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text)
        tmp.replace(path)
    except OSError:
        pass
    return text


@cache_control(public=True, max_age=86400)
def chart_js(request: HttpRequest) -> HttpResponse:
    """The chart library for the pages (built from the vl-convert Python package)."""
    return HttpResponse(_bundle(), content_type="text/javascript; charset=utf-8")


# --------------------------------------------------------------------------- forms


class NoteForm(forms.Form):
    period = forms.ModelChoiceField(queryset=ReportingPeriod.objects.none(), label="Month")
    text = forms.CharField(label="Note", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class NoteEditForm(forms.Form):
    text = forms.CharField(label="Note", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    edit_version = forms.IntegerField(widget=forms.HiddenInput)


class PhaseForm(forms.Form):
    kind = forms.ChoiceField(choices=ChartPhase.Kind.choices, label="What")
    period = forms.ModelChoiceField(queryset=ReportingPeriod.objects.none(), label="Month")
    reason = forms.CharField(label="Why", max_length=500)


class GoalForm(forms.Form):
    goal_override = forms.FloatField(
        label="Team goal", required=False, help_text="Leave empty to use the collaborative's goal."
    )
    goal_reason = forms.CharField(
        label="Why the team's goal differs", max_length=300, required=False
    )


# --------------------------------------------------------------------------- page


def _context(request, slug: str, team_slug: str, code: str):
    standing = get_standing_for_user(request.user, slug)
    team = get_team_for_user(standing, team_slug)
    if not standing.can_read_team(team):
        raise PermissionDenied(f"{team.name} keeps its charts to the team and faculty.")
    measure = get_measure_for_user(standing, code)
    tm = TeamMeasure.objects.filter(team=team, measure=measure).first()
    if tm is None or (measure.owner_team_id and measure.owner_team_id != team.pk):
        raise Http404(f"{team.name} does not report {measure.code}.")
    return standing, team, measure, tm


def _periods(team, measure):
    ids = MeasureValue.objects.filter(team=team, measure=measure, stratum="").values("period_id")
    return ReportingPeriod.objects.filter(pk__in=ids).order_by("start")


def _chart_url(team, measure) -> str:
    return reverse("measures:team_chart", args=[team.collaborative.slug, team.slug, measure.code])


@login_required
def team_chart(request: HttpRequest, slug: str, team_slug: str, code: str) -> HttpResponse:
    standing, team, measure, tm = _context(request, slug, team_slug, code)
    specs = team_measure_charts(team, viewer_standing=standing, measures=[measure])
    spec: ChartSpec | None = specs[0] if specs else None
    periods = _periods(team, measure)
    note_form = NoteForm(prefix="note")
    note_form.fields["period"].queryset = periods
    phase_form = PhaseForm(prefix="phase")
    phase_form.fields["period"].queryset = periods
    notes = list(
        ChartNote.objects.filter(team=team, measure=measure).select_related("period", "author")
    )
    earlier: dict[int, list] = {}
    for h in ChartNote.history.filter(id__in=[n.pk for n in notes]).order_by("-history_date"):
        earlier.setdefault(h.id, []).append(h)
    for n in notes:
        n.versions = earlier.get(n.pk, [])
    phases = list(
        ChartPhase.objects.filter(team=team, measure=measure).select_related(
            "period", "recorded_by"
        )
    )
    goal_history = list(tm.history.select_related("history_user")[:10])
    return render(
        request,
        "measures/chart_team.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "team": team,
            "measure": measure,
            "tm": tm,
            "spec": spec,
            "vega": spec.vega if spec else None,
            "rows": chart_rows(spec) if spec else [],
            "notes": notes,
            "phases": phases,
            "note_form": note_form,
            "phase_form": phase_form,
            "goal_form": GoalForm(
                initial={"goal_override": tm.goal_override, "goal_reason": tm.goal_reason}
            ),
            "goal_history": goal_history,
            "can_edit": standing.can_edit_team(team),
            "can_manage": standing.can_manage_team(team),
            "hidden_small": not standing.sees_true_counts(team),
        },
    )


def _editable(request, slug, team_slug, code, *, manage=False):
    standing, team, measure, tm = _context(request, slug, team_slug, code)
    allowed = standing.can_manage_team(team) if manage else standing.can_edit_team(team)
    if not allowed:
        who = "the team's leads" if manage else "members of the team"
        raise PermissionDenied(f"Only {who} and collaborative staff may change this chart.")
    return standing, team, measure, tm


def _form_errors(request, form) -> None:
    """Each problem of an invalid form as a message naming its field."""
    for name, errs in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}: " if field is not None and field.label else ""
        messages.error(request, f"{label}{' '.join(errs)}")


def _errors(request, error: ValidationError) -> None:
    for _field, problems in getattr(error, "message_dict", {"": error.messages}).items():
        for p in problems:
            messages.error(request, p)


@login_required
@require_POST
def note_add(request: HttpRequest, slug: str, team_slug: str, code: str) -> HttpResponse:
    _standing, team, measure, _tm = _editable(request, slug, team_slug, code)
    form = NoteForm(request.POST, prefix="note")
    form.fields["period"].queryset = _periods(team, measure)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            chart_actions.do_add_note(
                team,
                measure,
                form.cleaned_data["period"],
                text=form.cleaned_data["text"],
                author=request.user,
            )
            messages.success(request, f"Note added to {form.cleaned_data['period'].label}.")
        except ValidationError as error:
            _errors(request, error)
    return redirect(_chart_url(team, measure) + "#notes")


@login_required
@require_POST
def note_edit(request: HttpRequest, slug: str, team_slug: str, code: str, pk: int) -> HttpResponse:
    _standing, team, measure, _tm = _editable(request, slug, team_slug, code)
    note = get_object_or_404(ChartNote, pk=pk, team=team, measure=measure)
    if request.POST.get("delete"):
        chart_actions.do_delete_note(note)
        messages.success(request, "Note deleted.")
        return redirect(_chart_url(team, measure) + "#notes")
    form = NoteEditForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            chart_actions.do_edit_note(
                note,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["edit_version"],
            )
            messages.success(request, "Note saved.")
        except EditConflict as error:
            messages.error(
                request,
                f"Someone else changed this note meanwhile; it now reads “{error.current.text}”. "
                f"Your text was: “{form.cleaned_data['text']}”.",
            )
        except ValidationError as error:
            _errors(request, error)
    return redirect(_chart_url(team, measure) + "#notes")


@login_required
@require_POST
def phase_add(request: HttpRequest, slug: str, team_slug: str, code: str) -> HttpResponse:
    _standing, team, measure, _tm = _editable(request, slug, team_slug, code)
    form = PhaseForm(request.POST, prefix="phase")
    form.fields["period"].queryset = _periods(team, measure)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            p = chart_actions.do_record_phase(
                team,
                measure,
                form.cleaned_data["period"],
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            messages.success(request, f"{p.get_kind_display()}: {p.period.label}.")
        except ValidationError as error:
            _errors(request, error)
    return redirect(_chart_url(team, measure) + "#phases")


@login_required
@require_POST
def phase_withdraw(
    request: HttpRequest, slug: str, team_slug: str, code: str, pk: int
) -> HttpResponse:
    _standing, team, measure, _tm = _editable(request, slug, team_slug, code)
    phase = get_object_or_404(ChartPhase, pk=pk, team=team, measure=measure, withdrawn=False)
    chart_actions.do_withdraw_phase(phase)
    messages.success(request, f"Withdrawn: {phase.get_kind_display()} at {phase.period.label}.")
    return redirect(_chart_url(team, measure) + "#phases")


@login_required
@require_POST
def goal_set(request: HttpRequest, slug: str, team_slug: str, code: str) -> HttpResponse:
    _standing, team, measure, tm = _editable(request, slug, team_slug, code, manage=True)
    form = GoalForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            chart_actions.do_set_team_goal(
                tm,
                goal=form.cleaned_data["goal_override"],
                reason=form.cleaned_data["goal_reason"],
            )
            messages.success(request, "Team goal saved.")
        except ValidationError as error:
            _errors(request, error)
    return redirect(_chart_url(team, measure) + "#goal")


# --------------------------------------------------------------------------- exports


def export_response(rows: list[dict], fmt: str, filename: str, title: str) -> HttpResponse:
    """CSV or XLSX of chart rows with their centre lines, limits and signals."""
    header = [label for _key, label in EXPORT_COLUMNS]

    def cells(row):
        out = []
        for key, _label in EXPORT_COLUMNS:
            v = row.get(key)
            if key == "value" and row.get("suppressed"):
                v = "suppressed (small count)"
            out.append("" if v is None else v)
        return out

    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in rows:
            writer.writerow(cells(row))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = title[:31]
        ws.append(header)
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in rows:
            ws.append(cells(row))
        ws.freeze_panes = "A2"
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404("Export as csv or xlsx.")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
def team_export(request: HttpRequest, slug: str, team_slug: str, fmt: str) -> HttpResponse:
    """Every chart of the team: values with centre lines, limits and signals."""
    standing = get_standing_for_user(request.user, slug)
    team = get_team_for_user(standing, team_slug)
    if not standing.can_read_team(team):
        raise PermissionDenied(f"{team.name} keeps its charts to the team and faculty.")
    rows = []
    for spec in team_measure_charts(team, viewer_standing=standing):
        for row in chart_rows(spec):
            rows.append({**row, "team": team.name, "measure": spec.measure.code})
    return export_response(rows, fmt, f"{team.slug}-measures", team.name)


def spec_json(vega: dict | None) -> str:
    return json.dumps(vega or {})
