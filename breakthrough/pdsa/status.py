"""Each team's status for each change idea, derived from its cycles (BRIEF §7.3 item 1).

| status        | when                                                                     |
|---------------|--------------------------------------------------------------------------|
| not_started   | the team has no cycle on the idea                                        |
| testing       | it has cycles, none adopted, and at least one ramp is still open         |
| implementing  | a cycle on the idea was decided "adopt"                                  |
| spreading     | adopted, and a later cycle takes the adopted change further              |
| abandoned     | every ramp on the idea was abandoned and none adopted                    |

Cycles recorded against any version of a node count for that node in the version looked at
(see changes.lineage). Everything comes from one query over the cycle-to-node links.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from breakthrough.changes.lineage import resolve_to_package
from breakthrough.changes.models import ChangeNode, ChangePackage
from breakthrough.teams.models import Team

from .models import PDSACycle, Ramp

STATUSES = ("not_started", "testing", "implementing", "spreading", "abandoned")
STATUS_LABELS = {
    "not_started": "Not started",
    "testing": "Testing",
    "implementing": "Implementing",
    "spreading": "Spreading",
    "abandoned": "Abandoned",
}
# How far along a status is, for roll-ups: the most advanced idea speaks for its component.
RANK = {"not_started": 0, "abandoned": 1, "testing": 2, "implementing": 3, "spreading": 4}


@dataclass(frozen=True)
class IdeaStatus:
    team_id: int
    node_id: int
    status: str
    cycles: int = 0
    ramps: int = 0
    predictions: int = 0  # predictions compared with results
    confirmed: int = 0
    partly: int = 0
    adopted_on: date | None = None
    last_activity: date | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def confirmed_share(self) -> float | None:
        """Share of compared predictions that held; a partly confirmed one counts half."""
        if not self.predictions:
            return None
        return (self.confirmed + 0.5 * self.partly) / self.predictions


@dataclass(frozen=True)
class ComponentStatus:
    team_id: int
    node_id: int
    status: str
    ideas: int
    by_status: dict[str, int] = field(default_factory=dict)
    cycles: int = 0
    predictions: int = 0
    confirmed: int = 0
    partly: int = 0

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def confirmed_share(self) -> float | None:
        if not self.predictions:
            return None
        return (self.confirmed + 0.5 * self.partly) / self.predictions


def current_package(collaborative_id: int) -> ChangePackage | None:
    """The published change package (the newest if several), else the newest version."""
    packages = ChangePackage.objects.filter(collaborative_id=collaborative_id)
    return (
        packages.filter(status=ChangePackage.Status.PUBLISHED)
        .order_by("-published_on", "-id")
        .first()
        or packages.order_by("-id").first()
    )


@dataclass
class _Acc:
    cycles: set = field(default_factory=set)
    ramps: dict = field(default_factory=dict)  # ramp id -> status
    predictions: int = 0
    confirmed: int = 0
    partly: int = 0
    adopted_on: date | None = None
    dates: list = field(default_factory=list)  # (cycle date, cycle id, decision)
    last: date | None = None


def _accumulate(team_ids, mapping: dict[int, int] | None) -> dict[tuple[int, int], _Acc]:
    rows = PDSACycle.nodes.through.objects.filter(
        pdsacycle__team_id__in=list(team_ids)
    ).values_list(
        "changenode_id",
        "pdsacycle_id",
        "pdsacycle__team_id",
        "pdsacycle__ramp_id",
        "pdsacycle__ramp__status",
        "pdsacycle__decision",
        "pdsacycle__decided_on",
        "pdsacycle__start",
        "pdsacycle__planned_start",
        "pdsacycle__created_at",
        "pdsacycle__n_compared",
        "pdsacycle__n_confirmed",
        "pdsacycle__n_partly",
    )
    acc: dict[tuple[int, int], _Acc] = defaultdict(_Acc)
    for (
        node_id,
        cycle_id,
        team_id,
        ramp_id,
        ramp_status,
        decision,
        decided_on,
        start,
        planned_start,
        created_at,
        compared,
        confirmed,
        partly,
    ) in rows:
        if mapping is not None:
            if node_id not in mapping:
                continue
            node_id = mapping[node_id]
        a = acc[(team_id, node_id)]
        if cycle_id in a.cycles:
            continue
        a.cycles.add(cycle_id)
        a.ramps[ramp_id] = ramp_status
        a.predictions += compared
        a.confirmed += confirmed
        a.partly += partly
        when = start or planned_start or timezone.localdate(created_at)
        a.dates.append((when, cycle_id))
        if decision == PDSACycle.Decision.ADOPT and decided_on:
            a.adopted_on = min(a.adopted_on or decided_on, decided_on)
        latest = decided_on or when
        a.last = max(a.last or latest, latest)
    return acc


def _status(a: _Acc) -> str:
    if a.adopted_on:
        later = any(when > a.adopted_on for when, _ in a.dates)
        return "spreading" if later else "implementing"
    if any(s == Ramp.Status.OPEN for s in a.ramps.values()):
        return "testing"
    if a.ramps and all(s == Ramp.Status.ABANDONED for s in a.ramps.values()):
        return "abandoned"
    return "testing"


def idea_statuses(
    team_ids, package: ChangePackage | None = None
) -> dict[tuple[int, int], IdeaStatus]:
    """(team id, node id) -> IdeaStatus for every node a team has tested.

    Node ids are those of `package` (default: the collaborative's current published package);
    cycles linked to earlier or later versions of a node count for it. Pairs without cycles are
    absent: read them as not started. Callers pass only teams the person may read.
    """
    team_ids = list(team_ids)
    if not team_ids:
        return {}
    if package is None:
        collaborative_id = (
            Team.objects.filter(pk=team_ids[0]).values_list("collaborative_id", flat=True).first()
        )
        package = current_package(collaborative_id) if collaborative_id else None
    mapping = resolve_to_package(package) if package else None
    out = {}
    for (team_id, node_id), a in _accumulate(team_ids, mapping).items():
        out[(team_id, node_id)] = IdeaStatus(
            team_id=team_id,
            node_id=node_id,
            status=_status(a),
            cycles=len(a.cycles),
            ramps=len(a.ramps),
            predictions=a.predictions,
            confirmed=a.confirmed,
            partly=a.partly,
            adopted_on=a.adopted_on,
            last_activity=a.last,
        )
    return out


def _component_of(nodes: list[ChangeNode]) -> dict[int, int]:
    """node id -> id of its top-level component (or primary driver)."""
    parent = {n.pk: n.parent_id for n in nodes}
    out = {}
    for n in nodes:
        current = n.pk
        while parent.get(current):
            current = parent[current]
        out[n.pk] = current
    return out


def roll_up(
    team_id: int, nodes: list[ChangeNode], statuses: dict[tuple[int, int], IdeaStatus]
) -> dict[int, ComponentStatus]:
    """Roll idea statuses of one team up to their components (nodes: the package's nodes)."""
    component_of = _component_of(nodes)
    components = [n for n in nodes if n.kind in ("component", "primary_driver")]
    ideas_under: dict[int, list[int]] = defaultdict(list)
    for n in nodes:
        if n.kind not in ("principle", "value", "component", "primary_driver") and not n.retired:
            ideas_under[component_of[n.pk]].append(n.pk)
    out = {}
    for comp in components:
        members = [*ideas_under[comp.pk], comp.pk]
        found = [statuses[(team_id, m)] for m in members if (team_id, m) in statuses]
        by_status = dict.fromkeys(STATUSES, 0)
        for m in ideas_under[comp.pk]:
            s = statuses.get((team_id, m))
            by_status[s.status if s else "not_started"] += 1
        best = max((s.status for s in found), key=RANK.__getitem__, default="not_started")
        out[comp.pk] = ComponentStatus(
            team_id=team_id,
            node_id=comp.pk,
            status=best,
            ideas=len(ideas_under[comp.pk]),
            by_status=by_status,
            cycles=sum(s.cycles for s in found),
            predictions=sum(s.predictions for s in found),
            confirmed=sum(s.confirmed for s in found),
            partly=sum(s.partly for s in found),
        )
    return out


def component_statuses(
    team_id: int, package: ChangePackage | None = None
) -> dict[int, ComponentStatus]:
    """component node id -> ComponentStatus for one team: its ideas rolled up.

    `status` is the most advanced status among the component's ideas; `by_status` counts the
    ideas in each status. Used by the monthly team report.
    """
    if package is None:
        collaborative_id = (
            Team.objects.filter(pk=team_id).values_list("collaborative_id", flat=True).first()
        )
        package = current_package(collaborative_id) if collaborative_id else None
    if package is None:
        return {}
    statuses = idea_statuses([team_id], package)
    return roll_up(team_id, list(package.nodes.all()), statuses)
