"""Writes to the change package and its lessons: draft the next version, edit, add and retire
nodes (each keeping its lineage), publish; write, edit and endorse lessons."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from breakthrough.concurrency import EditConflict, FieldChange, save_versioned

from .models import ChangeNode, ChangePackage, Lesson

NODE_FIELDS = ("code", "title", "guiding_question", "description", "evidence_notes", "order")


@transaction.atomic
def do_draft_package(package: ChangePackage, *, version: str, title: str = "", by=None):
    """Draft the next version from `package`: every node is copied, pointing back at its
    original through `lineage`, so its history and evidence follow it."""
    version = (version or "").strip()
    if not version:
        raise ValidationError("Give the new version a number, e.g. 2.0.")
    collaborative = package.collaborative
    if ChangePackage.objects.filter(collaborative=collaborative, version=version).exists():
        raise ValidationError(f"Version {version} already exists.")
    if ChangePackage.objects.filter(
        collaborative=collaborative, status=ChangePackage.Status.DRAFT
    ).exists():
        raise ValidationError("A draft version is already being prepared; finish it first.")
    draft = ChangePackage.objects.create(
        collaborative=collaborative,
        version=version,
        title=(title or package.title).strip(),
        status=ChangePackage.Status.DRAFT,
        goals=package.goals,
        based_on=package,
    )
    copies: dict[int, ChangeNode] = {}
    nodes = sorted(package.nodes.all(), key=lambda n: (n.parent_id is not None, n.pk))
    pending = list(nodes)
    while pending:  # parents before children, whatever the depth
        rest = []
        for node in pending:
            if node.parent_id and node.parent_id not in copies:
                rest.append(node)
                continue
            copies[node.pk] = ChangeNode.objects.create(
                package=draft,
                parent=copies.get(node.parent_id),
                kind=node.kind,
                code=node.code,
                title=node.title,
                guiding_question=node.guiding_question,
                description=node.description,
                evidence_notes=node.evidence_notes,
                order=node.order,
                retired=node.retired,
                lineage=node,
                tags=node.tags,
            )
        if len(rest) == len(pending):
            raise ValidationError("The change package tree has a loop.")
        pending = rest
    return draft


def _require_draft(package: ChangePackage) -> None:
    if package.status != ChangePackage.Status.DRAFT:
        raise ValidationError("Only a draft version can be changed; draft the next version.")


@transaction.atomic
def do_update_node(node: ChangeNode, *, expected_version: int, by=None, **fields) -> ChangeNode:
    """Edit a node of a draft version; EditConflict if someone saved it meanwhile."""
    _require_draft(node.package)
    unknown = set(fields) - set(NODE_FIELDS)
    if unknown:
        raise ValueError(f"Not node fields: {sorted(unknown)}")
    if "title" in fields and not (fields["title"] or "").strip():
        raise ValidationError("A node needs a title.")
    for name, value in fields.items():
        setattr(node, name, value.strip() if isinstance(value, str) else value)
    save_versioned(node, expected_version, list(fields))
    return node


@transaction.atomic
def do_add_node(
    package: ChangePackage,
    *,
    kind: str,
    title: str,
    parent: ChangeNode | None = None,
    code: str = "",
    guiding_question: str = "",
    description: str = "",
    evidence_notes: str = "",
    by=None,
) -> ChangeNode:
    """Add a new node (no lineage: it is new in this version) to a draft version."""
    _require_draft(package)
    siblings = package.nodes.filter(parent=parent)
    node = ChangeNode(
        package=package,
        parent=parent,
        kind=kind,
        code=(code or "").strip(),
        title=(title or "").strip(),
        guiding_question=(guiding_question or "").strip(),
        description=(description or "").strip(),
        evidence_notes=(evidence_notes or "").strip(),
        order=(siblings.aggregate(n=Max("order"))["n"] or 0) + 1,
    )
    if not node.title:
        raise ValidationError("A node needs a title.")
    node.full_clean(exclude=["lineage", "tags"])
    node.save()
    return node


@transaction.atomic
def do_retire_node(node: ChangeNode, *, retired: bool = True, by=None) -> ChangeNode:
    """Retire a node of a draft version (it stays, struck through, with its evidence), or
    bring it back. Retiring a component retires what sits under it."""
    _require_draft(node.package)
    stack = [node]
    while stack:
        current = stack.pop()
        if current.retired != retired:
            current.retired = retired
            current.edit_version += 1
            current.save(update_fields=["retired", "edit_version"])
        if retired:
            stack.extend(current.children.all())
    return node


@transaction.atomic
def do_publish_package(package: ChangePackage, *, by=None, on: date | None = None):
    """Publish a draft; the version it replaces becomes superseded."""
    _require_draft(package)
    ChangePackage.objects.filter(
        collaborative=package.collaborative, status=ChangePackage.Status.PUBLISHED
    ).update(status=ChangePackage.Status.SUPERSEDED)
    package.status = ChangePackage.Status.PUBLISHED
    package.published_on = on or timezone.localdate()
    package.save(update_fields=["status", "published_on"])
    return package


# Lessons ----------------------------------------------------------------------------------------


def _check_lesson(collaborative, nodes, cycles, teams, measures, strength) -> None:
    if not nodes:
        raise ValidationError("Link the lesson to at least one node of the change package.")
    if any(n.package.collaborative_id != collaborative.pk for n in nodes):
        raise ValidationError("A node belongs to another collaborative.")
    if any(c.team.collaborative_id != collaborative.pk for c in cycles):
        raise ValidationError("A cycle belongs to another collaborative.")
    if any(t.collaborative_id != collaborative.pk for t in teams):
        raise ValidationError("A team belongs to another collaborative.")
    if any(m.collaborative_id != collaborative.pk for m in measures):
        raise ValidationError("A measure belongs to another collaborative.")
    if strength not in Lesson.Strength.values:
        raise ValidationError(f"Unknown strength {strength!r}.")


@transaction.atomic
def do_create_lesson(
    *,
    collaborative,
    author,
    statement: str,
    nodes: Iterable[ChangeNode],
    detail: str = "",
    cycles: Iterable = (),
    teams: Iterable = (),
    measures: Iterable = (),
    strength: str = Lesson.Strength.TESTED,
    source_cycle=None,
    endorsed_by=None,
    endorsed_on: date | None = None,
) -> Lesson:
    """Write a lesson (a draft until staff endorse it). The teams of the cited cycles are
    added to its teams."""
    statement = (statement or "").strip()
    if not statement:
        raise ValidationError("Write the lesson.")
    nodes, cycles, teams, measures = list(nodes), list(cycles), list(teams), list(measures)
    if source_cycle is not None and source_cycle not in cycles:
        cycles.insert(0, source_cycle)
    teams = list(dict.fromkeys([*teams, *(c.team for c in cycles)]))
    _check_lesson(collaborative, nodes, cycles, teams, measures, strength)
    lesson = Lesson.objects.create(
        collaborative=collaborative,
        statement=statement,
        detail=(detail or "").strip(),
        strength=strength,
        source_cycle=source_cycle,
        created_by=author,
        status=Lesson.Status.ENDORSED if endorsed_by else Lesson.Status.DRAFT,
        endorsed_by=endorsed_by,
        endorsed_on=(endorsed_on or timezone.localdate()) if endorsed_by else None,
    )
    lesson.nodes.set(nodes)
    lesson.cycles.set(cycles)
    lesson.teams.set(teams)
    lesson.measures.set(measures)
    return lesson


@transaction.atomic
def do_update_lesson(
    lesson: Lesson,
    *,
    expected_version: int,
    statement: str,
    detail: str,
    strength: str,
    nodes: Iterable[ChangeNode],
    cycles: Iterable,
    teams: Iterable,
    measures: Iterable,
    by=None,
) -> Lesson:
    """Change a lesson; EditConflict (with what changed) if someone saved it meanwhile."""
    nodes, cycles, teams, measures = list(nodes), list(cycles), list(teams), list(measures)
    teams = list(dict.fromkeys([*teams, *(c.team for c in cycles)]))
    _check_lesson(lesson.collaborative, nodes, cycles, teams, measures, strength)
    if not (statement or "").strip():
        raise ValidationError("Write the lesson.")
    lesson.statement = statement.strip()
    lesson.detail = (detail or "").strip()
    lesson.strength = strength
    try:
        save_versioned(lesson, expected_version, ["statement", "detail", "strength"])
    except EditConflict as conflict:
        theirs = {n.pk for n in conflict.current.nodes.all()}
        if theirs != {n.pk for n in nodes}:
            conflict.changes.append(
                FieldChange(
                    "nodes",
                    "change-package nodes",
                    ", ".join(str(n) for n in conflict.current.nodes.all()),
                    ", ".join(str(n) for n in nodes),
                )
            )
        raise
    lesson.nodes.set(nodes)
    lesson.cycles.set(cycles)
    lesson.teams.set(teams)
    lesson.measures.set(measures)
    return lesson


@transaction.atomic
def do_endorse_lesson(lesson: Lesson, *, by, endorse: bool = True) -> Lesson:
    """Staff endorse a lesson (or return it to draft)."""
    lesson.status = Lesson.Status.ENDORSED if endorse else Lesson.Status.DRAFT
    lesson.endorsed_by = by if endorse else None
    lesson.endorsed_on = timezone.localdate() if endorse else None
    lesson.edit_version += 1
    lesson.save(update_fields=["status", "endorsed_by", "endorsed_on", "edit_version"])
    return lesson
