"""Build the change package tree from one query of its nodes."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import ChangeNode


@dataclass
class TreeNode:
    node: ChangeNode
    children: list[TreeNode] = field(default_factory=list)

    @property
    def ideas(self) -> list[ChangeNode]:
        """All change ideas under this node, depth first."""
        out: list[ChangeNode] = []
        for child in self.children:
            if child.node.kind == ChangeNode.Kind.IDEA:
                out.append(child.node)
            out.extend(child.ideas)
        return out


def build_tree(nodes: list[ChangeNode]) -> list[TreeNode]:
    by_id = {n.pk: TreeNode(n) for n in nodes}
    roots: list[TreeNode] = []
    for n in sorted(nodes, key=lambda n: (n.order, n.pk)):
        item = by_id[n.pk]
        if n.parent_id and n.parent_id in by_id:
            by_id[n.parent_id].children.append(item)
        else:
            roots.append(item)
    return roots
