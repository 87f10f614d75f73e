"""The evidence of each practice of the practice model: lessons, adopted cycles, teams, the
fidelity measure and the charts of its effect (computed at render, as in `content`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .content import Chart, _contract, _from_contract


@dataclass
class PracticeEvidence:
    practice: object
    lessons: list
    adopted: list  # adopted cycles on the practice's change ideas
    teams: list[str]
    fidelity: object
    charts: list[Chart]


def practice_evidence(model, standing, *, charts: bool = True) -> dict[int, PracticeEvidence]:
    """practice id -> its provenance: lessons, adopted cycles and the teams that adopted them,
    the fidelity measure and the charts of its effect."""
    from breakthrough.changes.lineage import family_roots
    from breakthrough.pdsa.models import PDSACycle

    from .models import Practice

    practices = list(
        Practice.objects.filter(phase__model=model)
        .select_related("fidelity_measure", "phase")
        .prefetch_related("nodes", "lessons__teams", "lessons__measures")
    )
    roots = family_roots(model.collaborative_id)
    family: dict[int, set] = defaultdict(set)
    for node_id, root in roots.items():
        family[root].add(node_id)
    wanted = {}
    for p in practices:
        ids = set()
        for n in p.nodes.all():
            ids |= family.get(roots.get(n.pk, n.pk), {n.pk})
        wanted[p.pk] = ids
    all_ids = set().union(*wanted.values()) if wanted else set()
    adopted_by_node: dict[int, list] = defaultdict(list)
    seen = {}
    for cycle in (
        PDSACycle.objects.filter(
            nodes__in=all_ids, decision="adopt", team__collaborative_id=model.collaborative_id
        )
        .select_related("team")
        .prefetch_related("nodes")
        .distinct()
        .order_by("decided_on", "id")
    ):
        seen[cycle.pk] = cycle
        for n in cycle.nodes.all():
            adopted_by_node[n.pk].append(cycle)
    mc = _contract("breakthrough.measures.charts")
    out = {}
    for p in practices:
        cycles = {}
        for node_id in wanted[p.pk]:
            for cy in adopted_by_node.get(node_id, []):
                cycles[cy.pk] = cy
        adopted = sorted(cycles.values(), key=lambda cy: (cy.decided_on or cy.end, cy.pk))
        drawn = []
        measures = [m for lesson in p.lessons.all() for m in lesson.measures.all()]
        if p.fidelity_measure_id:
            measures.insert(0, p.fidelity_measure)
        if charts and mc is not None and hasattr(mc, "pooled_chart"):
            for m in {m.pk: m for m in measures}.values():
                spec = mc.pooled_chart(model.collaborative, m, viewer_standing=standing)
                if spec is not None and spec.vega:  # no values yet: no chart
                    drawn.append(_from_contract(spec, f"{m.code}: all teams pooled."))
        out[p.pk] = PracticeEvidence(
            practice=p,
            lessons=list(p.lessons.all()),
            adopted=adopted,
            teams=sorted({cy.team.name for cy in adopted}),
            fidelity=p.fidelity_measure,
            charts=drawn,
        )
    return out
