"""Writes on the measure charts: period notes, baselines and phases, a team's own goal.

Each keeps its history (django-simple-history); notes and goals are saved with optimistic
concurrency, so two people editing at once are told rather than overwritten.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from breakthrough.concurrency import save_versioned

from .models import ChartNote, ChartPhase, TeamMeasure


def _check_period(team, period) -> None:
    if period.collaborative_id != team.collaborative_id:
        raise ValidationError({"period": "That month is not one of this collaborative's months."})


@transaction.atomic
def do_add_note(team, measure, period, *, text: str, author) -> ChartNote:
    """A note on one month of a team's chart."""
    _check_period(team, period)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the note (up to 500 characters)."})
    note = ChartNote(team=team, measure=measure, period=period, text=text, author=author)
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def do_edit_note(note: ChartNote, *, text: str, expected_version: int) -> ChartNote:
    """Change a note's text; EditConflict if someone changed it meanwhile."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "A note cannot be empty; delete it instead."})
    note.text = text
    note.full_clean()
    save_versioned(note, expected_version, ["text"])
    return note


@transaction.atomic
def do_delete_note(note: ChartNote) -> None:
    note.delete()


@transaction.atomic
def do_record_phase(team, measure, period, *, kind: str, reason: str, by) -> ChartPhase:
    """Freeze the baseline at a month, or start a new phase at a month: who, when and why."""
    _check_period(team, period)
    if kind not in ChartPhase.Kind.values:
        raise ValidationError({"kind": f"Choose baseline or phase, not {kind!r}."})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why (for example the change that was adopted)."})
    if ChartPhase.objects.filter(
        team=team, measure=measure, period=period, kind=kind, withdrawn=False
    ).exists():
        raise ValidationError({"period": f"There is already a {kind} at {period.label}."})
    phase = ChartPhase(
        team=team,
        measure=measure,
        period=period,
        kind=kind,
        reason=reason,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    phase.full_clean()
    phase.save()
    return phase


@transaction.atomic
def do_withdraw_phase(phase: ChartPhase) -> ChartPhase:
    """Withdraw a baseline or phase: it stays in the record and no longer shapes the chart."""
    phase.withdrawn = True
    phase.save(update_fields=["withdrawn"])
    return phase


@transaction.atomic
def do_set_team_goal(tm: TeamMeasure, *, goal: float | None, reason: str) -> TeamMeasure:
    """Set (or clear, with None) the team's own goal for a measure, with the reason."""
    reason = (reason or "").strip()
    if goal is not None and not reason:
        raise ValidationError({"goal_reason": "Say why the team's goal differs."})
    current = TeamMeasure.objects.select_for_update().get(pk=tm.pk)
    current.goal_override = goal
    current.goal_reason = reason if goal is not None else ""
    current.save(update_fields=["goal_override", "goal_reason"])
    return current
