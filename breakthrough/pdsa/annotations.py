"""Chart markers for tests of change: when a cycle started, and when a change was adopted.

The measurement pages put these on every chart of a measure the cycle is linked to (BRIEF §3.3,
§7.3 item 4). They are derived from the cycles, so they never go stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.urls import reverse

from .models import PDSACycle


@dataclass(frozen=True)
class ChartAnnotation:
    team_id: int
    measure_id: int
    on: date
    kind: Literal["pdsa_start", "pdsa_adopt"]
    text: str
    url: str
    cycle_id: int


def _label(cycle: PDSACycle) -> str:
    code = cycle.ramp.change_node.code
    return f"PDSA {code} cycle {cycle.cycle_no}" if code else f"PDSA cycle {cycle.cycle_no}"


def chart_annotations(team_ids: Iterable[int], measure_ids: Iterable[int]) -> list[ChartAnnotation]:
    """Start and adoption markers of the cycles of `team_ids` linked to `measure_ids`.

    A cycle gives a "pdsa_start" marker on the day its Do stage started and, when it was decided
    "adopt", a "pdsa_adopt" marker on the decision date. Sorted by date. One query.
    Callers pass only teams whose work the person may read.

    >>> chart_annotations([bw.id], [m3.id])[0].text  # doctest: +SKIP
    'PDSA 1.3 cycle 1 started: CW liaison before detention, 1 officer, 3 youth'
    """
    team_ids, measure_ids = list(team_ids), list(measure_ids)
    if not team_ids or not measure_ids:
        return []
    links = (
        PDSACycle.measures.through.objects.filter(
            pdsacycle__team_id__in=team_ids, measure_id__in=measure_ids
        )
        .filter(pdsacycle__start__isnull=False)
        .select_related("pdsacycle__ramp__change_node", "pdsacycle__team__collaborative")
        .only(
            "measure_id",
            "pdsacycle__id",
            "pdsacycle__team_id",
            "pdsacycle__cycle_no",
            "pdsacycle__title",
            "pdsacycle__scale",
            "pdsacycle__start",
            "pdsacycle__decision",
            "pdsacycle__decided_on",
            "pdsacycle__ramp__id",
            "pdsacycle__ramp__change_node__id",
            "pdsacycle__ramp__change_node__code",
            "pdsacycle__team__id",
            "pdsacycle__team__collaborative__id",
            "pdsacycle__team__collaborative__slug",
        )
    )
    out = []
    for link in links:
        cycle = link.pdsacycle
        url = reverse("pdsa:detail", args=[cycle.team.collaborative.slug, cycle.pk])
        label = _label(cycle)
        scale = f", {cycle.scale}" if cycle.scale else ""
        out.append(
            ChartAnnotation(
                team_id=cycle.team_id,
                measure_id=link.measure_id,
                on=cycle.start,
                kind="pdsa_start",
                text=f"{label} started: {cycle.title}{scale}",
                url=url,
                cycle_id=cycle.pk,
            )
        )
        if cycle.decision == PDSACycle.Decision.ADOPT and cycle.decided_on:
            out.append(
                ChartAnnotation(
                    team_id=cycle.team_id,
                    measure_id=link.measure_id,
                    on=cycle.decided_on,
                    kind="pdsa_adopt",
                    text=f"{label} adopted: {cycle.title}{scale}",
                    url=url,
                    cycle_id=cycle.pk,
                )
            )
    out.sort(key=lambda a: (a.on, a.team_id, a.measure_id, a.kind != "pdsa_start", a.cycle_id))
    return out
