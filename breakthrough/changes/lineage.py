"""Follow a change-package node across versions.

Drafting version 2 copies every node of version 1 and points each copy's `lineage` at its
original, so a node and its copies form one family. Cycles, lessons and statuses recorded against
any member of the family belong to the node of whichever version is being looked at.
"""

from __future__ import annotations

from .models import ChangeNode, ChangePackage


def family_roots(collaborative_id: int) -> dict[int, int]:
    """node id -> id of the first version of that node, for every node of the collaborative.

    One query; the chains are short (one link per version).
    """
    return _roots(_rows(collaborative_id))


def _rows(collaborative_id: int) -> list[tuple[int, int | None, int]]:
    return list(
        ChangeNode.objects.filter(package__collaborative_id=collaborative_id).values_list(
            "id", "lineage_id", "package_id"
        )
    )


def _roots(rows: list[tuple[int, int | None, int]]) -> dict[int, int]:
    parents = {node_id: lineage_id for node_id, lineage_id, _ in rows}
    roots: dict[int, int] = {}

    def root_of(node_id: int) -> int:
        chain = []
        current = node_id
        while current not in roots:
            parent = parents.get(current)
            if parent is None or parent not in parents or parent in chain:
                roots[current] = current
                break
            chain.append(current)
            current = parent
        for n in chain:
            roots[n] = roots[current]
        return roots[node_id]

    for node_id in parents:
        root_of(node_id)
    return roots


def resolve_to_package(package: ChangePackage) -> dict[int, int]:
    """Any node id of the collaborative -> the id of the same node in `package` (if it has one)."""
    rows = _rows(package.collaborative_id)
    roots = _roots(rows)
    package_ids = {node_id for node_id, _, package_id in rows if package_id == package.pk}
    by_root = {roots[n]: n for n in package_ids if n in roots}
    return {node_id: by_root[root] for node_id, root in roots.items() if root in by_root}


def family_ids(node: ChangeNode) -> set[int]:
    """The ids of every version of this node (itself included)."""
    roots = family_roots(node.package.collaborative_id)
    root = roots.get(node.pk, node.pk)
    return {n for n, r in roots.items() if r == root} | {node.pk}
