"""Writes to the change package: nodes of a draft version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import ChangeNode, ChangePackage

EDITABLE_NODE_FIELDS = (
    "parent",
    "kind",
    "code",
    "title",
    "guiding_question",
    "description",
    "evidence_notes",
    "order",
    "retired",
    "tags",
)


def _check_draft(package: ChangePackage) -> None:
    if package.status != ChangePackage.Status.DRAFT:
        raise ValidationError(
            f"Version {package.version} is {package.get_status_display().lower()} and frozen; "
            "change a draft version instead."
        )


@transaction.atomic
def do_create_change_node(package: ChangePackage, **fields) -> ChangeNode:
    """Add a node to a draft version of the change package."""
    _check_draft(package)
    unknown = set(fields) - set(EDITABLE_NODE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    node = ChangeNode(package=package, **fields)
    node.full_clean()
    node.save()
    return node


@transaction.atomic
def do_update_change_node(node: ChangeNode, **changes) -> ChangeNode:
    """Change a node of a draft version (published versions are frozen)."""
    _check_draft(node.package)
    unknown = set(changes) - set(EDITABLE_NODE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(node, name, value)
    node.full_clean()
    if changes:
        node.save(update_fields=[("parent" if n == "parent" else n) for n in changes])
    return node
