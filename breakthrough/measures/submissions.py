"""Monthly data submission: draft, submit, skip and reopen a team's values for one period.

Values are written only by `actions.do_upsert_measure_values`; this module moves the period's
`Submission` through its states, checks what is missing or unusual before submitting, and tells
the team's coaches by e-mail when data are submitted or reopened.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from breakthrough.notifications.actions import absolute_url, do_send_email

from .actions import UpsertResult, ValueRow, do_remove_measure_values, do_upsert_measure_values
from .models import Measure, MeasureValue, Submission, TeamMeasure

RECENT_MONTHS = 6
# A proportion that moves more than this many percentage points from the recent median, or a
# count/value/denominator more than this many times above or below it, is asked to be confirmed.
JUMP_POINTS = 0.30
JUMP_FACTOR = 3.0


class SubmissionError(Exception):
    """The submission cannot move to the asked state; the message says why."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Jump:
    """An unusual change against the team's recent months, to be confirmed before submitting."""

    measure: str
    stratum: str
    field: str
    value: float
    recent: float
    message: str

    @property
    def key(self) -> str:
        return f"{self.measure}|{self.stratum}|{self.field}"


class JumpsNeedConfirmation(SubmissionError):
    def __init__(self, jumps: list[Jump]):
        self.jumps = jumps
        super().__init__(
            f"{len(jumps)} value{'s' if len(jumps) != 1 else ''} changed unusually from recent "
            "months. Check them and confirm they are right to submit."
        )


def month_of(period) -> str:
    return f"{period.start:%Y-%m}"


def entry_url(team, period) -> str:
    return reverse("measures:entry", args=[team.collaborative.slug, team.slug, month_of(period)])


def submission_for(team, period) -> Submission:
    """The team's submission for the period; an unsaved 'not started' one before the first save."""
    found = Submission.objects.filter(team=team, period=period).first()
    return found or Submission(team=team, period=period)


def _locked(team, period) -> Submission:
    submission, _ = Submission.objects.select_for_update().get_or_create(team=team, period=period)
    return submission


def entry_measures(team) -> list[Measure]:
    """The measures the team enters each month, in order (derived measures are computed)."""
    return [
        tm.measure
        for tm in TeamMeasure.objects.filter(team=team, active=True)
        .exclude(measure__data_type=Measure.DataType.RATIO)
        .select_related("measure")
        .prefetch_related("measure__stratifiers")
    ]


def _touch(submission: Submission, person, state: str | None = None) -> None:
    if state:
        submission.state = state
    submission.updated_at = timezone.now()
    submission.updated_by = person
    submission.edit_version += 1


@transaction.atomic
def do_save_draft(
    team, period, *, rows: list[ValueRow], person, cleared: list[ValueRow] = ()
) -> UpsertResult:
    """Save values for an editable period; a period not started becomes a draft.

    `cleared` names values the person emptied: they are removed (the history keeps them), unless
    someone changed them since the revision the person saw (ValueConflict, nothing written).
    """
    submission = _locked(team, period)
    if not submission.is_editable:
        raise SubmissionError(
            f"{period.label} is {submission.get_state_display().lower()}; "
            + ("reopen it to change the values." if submission.state == "submitted" else "")
            + ("record it as reported again first." if submission.state == "skipped" else "")
        )
    result = do_upsert_measure_values(team=team, period=period, rows=rows, person=person)
    if cleared:
        result.removed = do_remove_measure_values(
            team=team, period=period, rows=list(cleared), person=person
        )
    _touch(submission, person, "draft" if submission.state == "not_started" else None)
    submission.save()
    return result


def missing_values(team, period) -> list[str]:
    """Numeric measures (codes) without a total for the period (narratives are optional here:
    the monthly report carries them)."""
    have = set(
        MeasureValue.objects.filter(team=team, period=period, stratum="").values_list(
            "measure__code", flat=True
        )
    )
    return [m.code for m in entry_measures(team) if m.is_numeric and m.code not in have]


def _rate(v: MeasureValue | dict) -> float | None:
    get = v.get if isinstance(v, dict) else lambda k: getattr(v, k)
    if get("denominator"):
        return (get("numerator") or 0) / get("denominator")
    return get("value")


def implausible_jumps(team, period) -> list[Jump]:
    """The period's values that move far from the team's recent months (same measure, stratum).

    A proportion is compared in percentage points; counts, values and denominators by factor.
    Fewer than three recent months: nothing is compared.
    """
    measures = {m.pk: m for m in entry_measures(team)}
    current = list(
        MeasureValue.objects.filter(team=team, period=period, measure_id__in=measures).values(
            "measure_id", "stratum", "value", "numerator", "denominator"
        )
    )
    if not current:
        return []
    earlier = (
        MeasureValue.objects.filter(
            team=team, measure_id__in=measures, period__start__lt=period.start
        )
        .order_by("-period__start")
        .values("measure_id", "stratum", "value", "numerator", "denominator", "period_id")
    )
    recent: dict[tuple[int, str], list[dict]] = {}
    for v in earlier:
        series = recent.setdefault((v["measure_id"], v["stratum"]), [])
        if len(series) < RECENT_MONTHS:
            series.append(v)
    jumps: list[Jump] = []
    for v in current:
        m = measures[v["measure_id"]]
        history = recent.get((v["measure_id"], v["stratum"]), [])
        if len(history) < 3:
            continue
        where = m.code + (f" ({v['stratum']})" if v["stratum"] else "")
        if m.data_type == "proportion":
            rates = [r for r in (_rate(h) for h in history) if r is not None]
            now = _rate(v)
            if now is not None and len(rates) >= 3:
                typical = median(rates)
                if abs(now - typical) > JUMP_POINTS:
                    jumps.append(
                        Jump(
                            m.code,
                            v["stratum"],
                            "rate",
                            now,
                            typical,
                            f"{where}: {now:.0%} this month against about {typical:.0%} in "
                            f"recent months.",
                        )
                    )
        fields = ["denominator"] if m.has_denominator else ["value"]
        for name in fields:
            now = v[name]
            past = [h[name] for h in history if h[name] is not None]
            if now is None or len(past) < 3:
                continue
            typical = median(past)
            if typical > 0 and (now > typical * JUMP_FACTOR or now < typical / JUMP_FACTOR):
                jumps.append(
                    Jump(
                        m.code,
                        v["stratum"],
                        name,
                        now,
                        typical,
                        f"{where}: {name} {now:g} this month against about {typical:g} in "
                        "recent months.",
                    )
                )
    return jumps


def coaches_of(team) -> list:
    from breakthrough.collaboratives.access import active_membership_q
    from breakthrough.collaboratives.models import StaffRole

    seen, out = set(), []
    for role in (
        StaffRole.objects.filter(collaborative_id=team.collaborative_id, role="coach", teams=team)
        .filter(active_membership_q())
        .select_related("person")
    ):
        if role.person_id not in seen and role.person.email:
            seen.add(role.person_id)
            out.append(role.person)
    return out


def _notify_coaches(submission: Submission, *, kind: str, by, reason: str = "") -> None:
    team, period = submission.team, submission.period
    n = submission.history.count()
    for coach in coaches_of(team):
        do_send_email(
            to=coach.email,
            template=f"measures/email/{kind}",
            context={
                "team": team,
                "period": period,
                "submission": submission,
                "by": by,
                "reason": reason,
                "url": absolute_url(entry_url(team, period)),
                "resubmitted": submission.first_submitted_at != submission.submitted_at,
            },
            kind=f"measures_{kind}",
            collaborative=team.collaborative,
            person=coach,
            dedupe_key=f"measures-{kind}:{submission.pk}:h{n}:u{coach.pk}",
        )


@transaction.atomic
def do_submit_measures(team, period, *, person, confirmed: bool = False) -> Submission:
    """Submit the period's values: every measure has its total, unusual changes are confirmed.

    JumpsNeedConfirmation lists unusual changes when `confirmed` is False; the coaches are told.
    """
    submission = _locked(team, period)
    if not submission.is_editable:
        raise SubmissionError(
            f"{period.label} is already {submission.get_state_display().lower()}."
        )
    if missing := missing_values(team, period):
        raise SubmissionError(
            f"Before submitting, enter the total for {', '.join(missing)} (or skip the month "
            "with a reason)."
        )
    jumps = implausible_jumps(team, period)
    if jumps and not confirmed:
        raise JumpsNeedConfirmation(jumps)
    now = timezone.now()
    submission.confirmed_jumps = [j.message for j in jumps]
    submission.submitted_at = now
    submission.first_submitted_at = submission.first_submitted_at or now
    submission.submitted_by = person
    _touch(submission, person, Submission.State.SUBMITTED)
    submission.save()
    _notify_coaches(submission, kind="data_submitted", by=person)
    return submission


@transaction.atomic
def do_reopen_measures(team, period, *, person, reason: str) -> Submission:
    """Reopen submitted (or skipped) data for correction, recording who and why; coaches told."""
    reason = reason.strip()
    if not reason:
        raise SubmissionError("Say why the data are reopened.")
    submission = _locked(team, period)
    if submission.state not in {"submitted", "skipped"}:
        raise SubmissionError("Only submitted or skipped data can be reopened.")
    submission.reopened_at = timezone.now()
    submission.reopened_by = person
    submission.reopen_reason = reason[:300]
    submission.skip_reason = ""
    _touch(submission, person, Submission.State.REOPENED)
    submission.save()
    _notify_coaches(submission, kind="data_reopened", by=person, reason=submission.reopen_reason)
    return submission


@transaction.atomic
def do_skip_measures(team, period, *, person, reason: str) -> Submission:
    """Record that the team does not report its data for the period, and why."""
    reason = reason.strip()
    if not reason:
        raise SubmissionError("Give the reason the team does not report data this month.")
    submission = _locked(team, period)
    if submission.state == Submission.State.SUBMITTED:
        raise SubmissionError("Submitted data cannot be skipped; reopen them first.")
    submission.skip_reason = reason[:300]
    _touch(submission, person, Submission.State.SKIPPED)
    submission.save()
    return submission


def mark_drafts(team_period_ids: set[tuple[int, int]], person) -> None:
    """After an import: periods not started become drafts (one query to read, bulk writes)."""
    if not team_period_ids:
        return
    team_ids = {t for t, _ in team_period_ids}
    period_ids = {p for _, p in team_period_ids}
    existing = {
        (s.team_id, s.period_id): s
        for s in Submission.objects.filter(team_id__in=team_ids, period_id__in=period_ids)
    }
    now = timezone.now()
    new = [
        Submission(team_id=t, period_id=p, state="draft", updated_at=now, updated_by=person)
        for t, p in sorted(team_period_ids)
        if (t, p) not in existing
    ]
    changed = [
        s for key, s in existing.items() if key in team_period_ids and s.state == "not_started"
    ]
    for s in changed:
        _touch(s, person, "draft")
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    if new:
        bulk_create_with_history(new, Submission, default_user=person)
    if changed:
        bulk_update_with_history(
            changed,
            Submission,
            ["state", "updated_at", "updated_by", "edit_version"],
            default_user=person,
        )
