"""Read-only facts about reports and scores for other parts (final report, storyboards, API).

These return plain values and ignore who is asking: callers apply their own access rules (for
example `breakthrough.reports.access.can_read_scores`) before showing a team's scores.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from breakthrough.collaboratives.models import ReportingPeriod

from .models import Assessment, MonthlyReport


@dataclass(frozen=True)
class ScorePoint:
    period: ReportingPeriod
    self_score: Decimal | None
    faculty_score: Decimal | None  # the agreed (reconciled) score


def score_series(collaborative, team_ids: list[int] | None = None) -> dict[int, list[ScorePoint]]:
    """Team id -> its self and agreed faculty scores by month, in order (months with a score)."""
    periods = {p.pk: p for p in collaborative.periods.all()}
    rows = Assessment.objects.filter(
        report__team__collaborative=collaborative, kind__in=["self", "reconciled"]
    )
    if team_ids is not None:
        rows = rows.filter(report__team_id__in=team_ids)
    by_team: dict[int, dict[int, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for team_id, period_id, kind, score in rows.values_list(
        "report__team_id", "report__period_id", "kind", "score"
    ):
        by_team[team_id][period_id][kind] = score
    return {
        team_id: [
            ScorePoint(periods[pid], kinds.get("self"), kinds.get("reconciled"))
            for pid, kinds in sorted(months.items(), key=lambda item: periods[item[0]].start)
        ]
        for team_id, months in by_team.items()
    }


def score_distribution(collaborative) -> list[tuple[ReportingPeriod, Counter]]:
    """Per reporting month, how many teams got each agreed score."""
    periods = list(collaborative.periods.filter(is_baseline=False).order_by("start"))
    counts: dict[int, Counter] = {p.pk: Counter() for p in periods}
    for period_id, score in Assessment.objects.filter(
        kind="reconciled", report__team__collaborative=collaborative
    ).values_list("report__period_id", "score"):
        if period_id in counts:
            counts[period_id][score] += 1
    return [(p, counts[p.pk]) for p in periods]


def share_at_or_above(collaborative, threshold: Decimal = Decimal("4.0")) -> list[tuple]:
    """Per reporting month, the share (0-1) of scored teams at `threshold` or above, or None."""
    out = []
    for period, counts in score_distribution(collaborative):
        total = sum(counts.values())
        above = sum(n for score, n in counts.items() if score >= threshold)
        out.append((period, above / total if total else None))
    return out


def reporting_compliance(collaborative) -> dict[int, tuple[int, int]]:
    """Team id -> (reports submitted, reports due so far), skipped months not counted as due."""
    from django.utils import timezone

    today = timezone.localdate(timezone=collaborative.tz)
    due = list(
        collaborative.periods.filter(is_baseline=False, due_on__lt=today).values_list(
            "pk", flat=True
        )
    )
    states = MonthlyReport.objects.filter(
        team__collaborative=collaborative, period_id__in=due
    ).values_list("team_id", "state", "first_submitted_at")
    submitted: Counter = Counter()
    skipped: Counter = Counter()
    for team_id, state, first in states:
        if state == "skipped":
            skipped[team_id] += 1
        elif first is not None:
            submitted[team_id] += 1
    return {
        team.pk: (submitted[team.pk], len(due) - skipped[team.pk])
        for team in collaborative.teams.all()
    }
