"""The monthly data-entry pages: a team's periods with their states, and one period's form."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.collaboratives.models import ReportingPeriod

from .access import can_enter_data, can_reopen_data, get_entry_team_for_user, get_period_for_month
from .actions import ValueConflict, ValueRow, ValueRowsInvalid
from .models import Measure, MeasureValue, Submission
from .submissions import (
    JumpsNeedConfirmation,
    SubmissionError,
    do_reopen_measures,
    do_save_draft,
    do_skip_measures,
    do_submit_measures,
    entry_measures,
    missing_values,
    month_of,
    submission_for,
)

NUMBER_FIELDS = ("numerator", "denominator", "value")


@dataclass
class EntryRow:
    """One line of the form: a measure's total or one stratum, with what was entered."""

    measure: Measure
    stratum: str
    label: str
    current: MeasureValue | None
    posted: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def name(self, part: str) -> str:
        return f"v|{self.measure.code}|{self.stratum}|{part}"

    @property
    def revision_name(self) -> str:
        return f"r|{self.measure.code}|{self.stratum}"

    def shown(self, part: str) -> str:
        if part in self.posted:
            return self.posted[part]
        if self.current is None:
            return ""
        x = getattr(self.current, part)
        if x is None:
            return ""
        return f"{x:g}" if isinstance(x, float) else str(x)

    @property
    def fields(self) -> list[dict]:
        parts = (
            ["numerator", "denominator"]
            if self.measure.has_denominator
            else []
            if self.measure.data_type == "text"
            else ["value"]
        )
        return [
            {
                "part": p,
                "name": self.name(p),
                "id": f"f-{self.measure.code}-{self.stratum or 'total'}-{p}".replace(":", "-"),
                "shown": self.shown(p),
                "errors": self.errors.get(p, []),
                "label": {
                    "numerator": "Numerator",
                    "denominator": "Denominator",
                    "value": "Count" if self.measure.data_type == "count" else "Value",
                }[p],
                "integer": p != "value" or self.measure.data_type == "count",
            }
            for p in parts
        ]

    @property
    def note(self) -> dict:
        return {
            "name": self.name("note"),
            "shown": self.shown("note"),
            "errors": self.errors.get("note", []),
        }

    @property
    def other_errors(self) -> list[str]:
        return [
            m for k, msgs in self.errors.items() if k not in {*NUMBER_FIELDS, "note"} for m in msgs
        ]


def shown_value(v: MeasureValue) -> str:
    if v.denominator is not None:
        return f"{v.numerator}/{v.denominator}"
    if v.value is not None:
        return f"{v.value:g}"
    return v.note[:40]


def build_rows(team, period) -> list[EntryRow]:
    current = {
        (v.measure_id, v.stratum): v for v in MeasureValue.objects.filter(team=team, period=period)
    }
    rows: list[EntryRow] = []
    for m in entry_measures(team):
        rows.append(EntryRow(m, "", "Total", current.get((m.pk, ""))))
        for s in m.stratifiers.all():
            for c in s.categories:
                key = f"{s.code}:{c['code']}"
                rows.append(EntryRow(m, key, f"{s.name}: {c['label']}", current.get((m.pk, key))))
    return rows


def parse_number(text: str, part: str, integer: bool) -> tuple[float | int | None, str]:
    """A typed number from the form, or the reason it is not one."""
    text = text.strip().replace(",", "")
    if not text:
        return None, ""
    try:
        number = float(text)
    except ValueError:
        return None, f"{text!r} is not a number; type digits only (e.g. 12)."
    if number != number or number in (float("inf"), float("-inf")):
        return None, f"{text!r} is not a number."
    if integer:
        if number < 0:
            return None, f"The {part} cannot be negative; got {text}."
        if number != int(number):
            return None, f"The {part} is a count of youth: a whole number, not {text}."
        return int(number), ""
    return number, ""


def read_form(rows: list[EntryRow], data: QueryDict) -> tuple[list[ValueRow], bool, list[ValueRow]]:
    """ValueRows for every line with something typed in, whether any number was unreadable, and
    the lines that held a value and were emptied (to remove).

    Entirely blank lines are left out (nothing entered yet).
    """
    out: list[ValueRow] = []
    cleared: list[ValueRow] = []
    bad = False
    for row in rows:
        typed = {f["part"]: data.get(f["name"], "") for f in row.fields}
        note = data.get(row.name("note"), "")
        if row.name("note") not in data and not any(f["name"] in data for f in row.fields):
            continue  # the line was not on the page that was sent: leave it as it is
        row.posted = {**typed, "note": note}
        sent_revision = data.get(row.revision_name, "")
        revision = int(sent_revision) if sent_revision.isdigit() else None
        if not any(t.strip() for t in typed.values()) and not note.strip():
            if row.current is not None:
                cleared.append(
                    ValueRow(measure=row.measure.code, stratum=row.stratum, revision=revision)
                )
            continue
        numbers: dict[str, float | int | None] = {}
        for f in row.fields:
            number, problem = parse_number(typed[f["part"]], f["part"], f["integer"])
            if problem:
                row.errors.setdefault(f["part"], []).append(problem)
                bad = True
            numbers[f["part"]] = number
        out.append(
            ValueRow(
                measure=row.measure.code,
                stratum=row.stratum,
                note=note.strip(),
                revision=revision,
                **numbers,
            )
        )
    return out, bad, cleared


def attach_errors(rows: list[EntryRow], sent: list[ValueRow], errors) -> None:
    index = {(r.measure.code, r.stratum): r for r in rows}
    for i, part, message in errors:
        target = index[(sent[i].measure, sent[i].stratum)]
        target.errors.setdefault(part, []).append(message)


def _context(standing, team, period, submission, rows, **extra) -> dict:
    return {
        "standing": standing,
        "collaborative": standing.collaborative,
        "team": team,
        "period": period,
        "month": month_of(period),
        "submission": submission,
        "rows": rows,
        "can_enter": can_enter_data(standing, team),
        "can_reopen": can_reopen_data(standing, team),
        "editable": submission.is_editable,
        "history": list(submission.history.select_related("history_user")[:20])
        if submission.pk
        else [],
        **extra,
    }


def _save(standing, team, period, rows, data) -> tuple[int, str, list[ValueRow]]:
    """Save a draft from the form: (HTTP status, message, rows sent)."""
    sent, bad, cleared = read_form(rows, data)
    if bad:
        return 400, "Not saved: some numbers cannot be read; see the marked fields.", sent
    if not sent and not cleared:
        return 200, "Nothing entered yet.", sent
    try:
        result = do_save_draft(team, period, rows=sent, person=standing.user, cleared=cleared)
    except ValueRowsInvalid as error:
        attach_errors(rows, sent, error.errors)
        return 400, f"Not saved: {error}", sent
    except ValueConflict as error:
        names = ", ".join(
            f"{v.measure.code}{' ' + v.stratum if v.stratum else ''} (now {shown_value(v)}"
            f"{', by ' + v.entered_by.display_name if v.entered_by else ''})"
            for _i, v in error.rows
        )
        return 409, f"Not saved: someone else changed {names} meanwhile. Reload to see them.", sent
    except SubmissionError as error:
        return 409, f"Not saved: {error.message}", sent
    n = len(result.created) + len(result.updated) + len(result.removed)
    local = timezone.localtime(timezone.now(), standing.collaborative.tz)
    return 200, f"Draft saved {local:%H:%M} ({n} value{'s' if n != 1 else ''} changed).", sent


@login_required
def entry_index(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    """The team's reporting periods with the state of each month's data."""
    standing = get_standing_for_user(request.user, slug)
    team = get_entry_team_for_user(standing, team_slug)
    periods = list(ReportingPeriod.objects.filter(collaborative=standing.collaborative))
    states = {
        s.period_id: s for s in Submission.objects.filter(team=team).select_related("submitted_by")
    }
    counts: dict[int, int] = {}
    for pid in MeasureValue.objects.filter(
        team=team, stratum="", measure__data_type__in=Measure.NUMERIC_TYPES
    ).values_list("period_id", flat=True):
        counts[pid] = counts.get(pid, 0) + 1
    today = timezone.localdate(timezone=standing.collaborative.tz)
    lines = [
        {
            "period": p,
            "month": month_of(p),
            "submission": states.get(p.pk) or Submission(team=team, period=p),
            "n_values": counts.get(p.pk, 0),
            "overdue": p.due_on < today
            and getattr(states.get(p.pk), "state", "not_started") in Submission.EDITABLE_STATES,
        }
        for p in reversed(periods)
    ]
    return render(
        request,
        "measures/entry_index.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "team": team,
            "lines": lines,
            "n_measures": sum(1 for m in entry_measures(team) if m.is_numeric),
            "can_enter": can_enter_data(standing, team),
        },
    )


@login_required
def entry_edit(request: HttpRequest, slug: str, team_slug: str, month: str) -> HttpResponse:
    """One period's data-entry form: save a draft, or save and submit."""
    standing = get_standing_for_user(request.user, slug)
    may = "enter" if request.method == "POST" else "read"
    team = get_entry_team_for_user(standing, team_slug, may=may)
    period = get_period_for_month(standing, month)
    submission = submission_for(team, period)
    rows = build_rows(team, period)
    status, jumps, problem = 200, [], ""
    if request.method == "POST":
        if not submission.is_editable:
            messages.error(request, f"{period.label} is {submission.get_state_display().lower()}.")
            return redirect("measures:entry", slug, team.slug, month)
        status, message, _sent = _save(standing, team, period, rows, request.POST)
        if status == 200 and "submit" in request.POST:
            try:
                do_submit_measures(
                    team, period, person=standing.user, confirmed="confirm_jumps" in request.POST
                )
            except JumpsNeedConfirmation as error:
                jumps, problem, status = error.jumps, error.message, 400
            except SubmissionError as error:
                problem, status = error.message, 400
            else:
                messages.success(
                    request, f"{period.label} submitted. The team's coach has been told."
                )
                return redirect("measures:entry", slug, team.slug, month)
        elif status == 200:
            messages.success(request, message)
            return redirect("measures:entry", slug, team.slug, month)
        else:
            problem = message
        submission = submission_for(team, period)
        if status == 400 and not problem:
            problem = message
        if status != 200:
            # Show the person's input again with fresh revisions of what was saved.
            fresh = {(r.measure.code, r.stratum): r.current for r in build_rows(team, period)}
            for r in rows:
                r.current = fresh[(r.measure.code, r.stratum)]
    return render(
        request,
        "measures/entry_edit.html",
        _context(
            standing,
            team,
            period,
            submission,
            rows,
            jumps=jumps,
            problem=problem,
            missing=missing_values(team, period) if submission.is_editable else [],
        ),
        status=status,
    )


@login_required
@require_POST
def entry_autosave(request: HttpRequest, slug: str, team_slug: str, month: str) -> JsonResponse:
    """Save the draft in the background (static/breakthrough/app.js); JSON message back."""
    standing = get_standing_for_user(request.user, slug)
    team = get_entry_team_for_user(standing, team_slug, may="enter")
    period = get_period_for_month(standing, month)
    rows = build_rows(team, period)
    status, message, _sent = _save(standing, team, period, rows, request.POST)
    errors = {f["id"]: f["errors"] for r in rows for f in [*r.fields] if f["errors"]} | {
        f"{r.measure.code}-{r.stratum or 'total'}": r.other_errors for r in rows if r.other_errors
    }
    revisions = {}
    if status == 200:
        revisions = {
            f"r|{code}|{stratum}": rev
            for code, stratum, rev in MeasureValue.objects.filter(
                team=team, period=period
            ).values_list("measure__code", "stratum", "revision")
        }
    return JsonResponse({"message": message, "errors": errors, "fields": revisions}, status=status)


def _transition(request, slug, team_slug, month, may: str):
    standing = get_standing_for_user(request.user, slug)
    team = get_entry_team_for_user(standing, team_slug, may=may)
    period = get_period_for_month(standing, month)
    return standing, team, period


@login_required
@require_POST
def entry_reopen(request: HttpRequest, slug: str, team_slug: str, month: str) -> HttpResponse:
    standing, team, period = _transition(request, slug, team_slug, month, "reopen")
    try:
        do_reopen_measures(
            team, period, person=standing.user, reason=request.POST.get("reason", "")
        )
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{period.label} reopened; the coach has been told. Correct and submit again."
        )
    return redirect("measures:entry", slug, team.slug, month)


@login_required
@require_POST
def entry_skip(request: HttpRequest, slug: str, team_slug: str, month: str) -> HttpResponse:
    standing, team, period = _transition(request, slug, team_slug, month, "reopen")
    try:
        do_skip_measures(team, period, person=standing.user, reason=request.POST.get("reason", ""))
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{period.label} recorded as skipped.")
    return redirect("measures:entry", slug, team.slug, month)
