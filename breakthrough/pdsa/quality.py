"""Quality flags for faculty (BRIEF §3.3, prompted by Taylor et al. 2014: most published PDSAs
have no prediction and no iteration).

- no_prediction: the plan has no prediction.
- no_data: the cycle reached Study without results or an attached tally.
- stuck: in one stage for more than 60 days; or adapt/expand decided 60+ days ago and no next
  cycle followed ("No follow-up").
- lone: the only cycle of its ramp, adopted after a single test, or an adapt/expand never
  followed up (60+ days).

Abandoning an idea after one test is a sound result and raises no flag. Time is measured up to
today, or up to the collaborative's end once it has closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import PDSACycle, stage_label

STALE_DAYS = 60


@dataclass(frozen=True)
class QualityFlag:
    code: str
    label: str
    detail: str


def as_of_date(collaborative) -> date:
    today = timezone.localdate()
    return min(today, collaborative.end) if collaborative.end else today


def with_flag_data(cycles: QuerySet[PDSACycle]) -> QuerySet[PDSACycle]:
    """Annotate what the flags need: ramp size, the ramp's last cycle number, attachments."""
    ramp_cycles = PDSACycle.objects.filter(ramp_id=OuterRef("ramp_id")).values("ramp_id")
    attachments = (
        PDSACycle.attachments.rel.related_model.objects.filter(cycle_id=OuterRef("pk"))
        .values("cycle_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return cycles.annotate(
        ramp_size=Subquery(ramp_cycles.annotate(n=Count("id")).values("n")),
        ramp_last_no=Subquery(ramp_cycles.annotate(n=Max("cycle_no")).values("n")),
        n_attachments=Coalesce(Subquery(attachments, output_field=IntegerField()), 0),
    )


def flags_for(cycle: PDSACycle, as_of: date, vocab: dict | None = None) -> list[QualityFlag]:
    """The flags of one cycle annotated by with_flag_data()."""
    flags = []
    stale = as_of - timedelta(days=STALE_DAYS)
    if not cycle.n_predictions:
        flags.append(
            QualityFlag("no_prediction", "No prediction", "The plan makes no prediction to test.")
        )
    if cycle.reached("studying") and not cycle.results.strip() and not cycle.n_attachments:
        flags.append(
            QualityFlag("no_data", "No data", "Reached Study without results or a tally attached.")
        )
    ramp_size = getattr(cycle, "ramp_size", None) or 1
    last_no = getattr(cycle, "ramp_last_no", None) or cycle.cycle_no
    unfollowed = (
        cycle.decision in PDSACycle.CONTINUING
        and cycle.cycle_no == last_no
        and cycle.decided_on is not None
        and cycle.decided_on < stale
    )
    if ramp_size == 1 and cycle.decision == PDSACycle.Decision.ADOPT:
        flags.append(
            QualityFlag(
                "lone",
                "Lone cycle",
                "Adopted after a single test; it never became a ramp of cycles.",
            )
        )
    elif ramp_size == 1 and unfollowed:
        flags.append(
            QualityFlag(
                "lone",
                "Lone cycle",
                f"Decided to {cycle.get_decision_display().lower()} on "
                f"{cycle.decided_on:%d %b %Y}; no next cycle followed.",
            )
        )
    elif unfollowed:
        flags.append(
            QualityFlag(
                "stuck",
                "No follow-up",
                f"Decided to {cycle.get_decision_display().lower()} on "
                f"{cycle.decided_on:%d %b %Y}; no next cycle followed.",
            )
        )
    if not cycle.is_closed:
        changed = timezone.localdate(cycle.state_changed_at)
        if changed < stale:
            days = (as_of - changed).days
            flags.append(
                QualityFlag(
                    "stuck",
                    "Stuck",
                    f"In the {stage_label(cycle.state, vocab or {})} stage for {days} days.",
                )
            )
    return flags


def flag_map(cycles, collaborative) -> dict[int, list[QualityFlag]]:
    as_of = as_of_date(collaborative)
    vocab = collaborative.vocab
    return {c.pk: flags_for(c, as_of, vocab) for c in cycles}
