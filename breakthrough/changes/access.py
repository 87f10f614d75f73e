from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from breakthrough.collaboratives.access import Standing

from .models import ChangeNode, ChangePackage, Lesson


def packages_for_standing(standing: Standing):
    """Versions of the change package the person may see (drafts: staff only)."""
    packages = ChangePackage.objects.filter(collaborative=standing.collaborative)
    if not standing.is_staff:
        packages = packages.exclude(status=ChangePackage.Status.DRAFT)
    return packages


def get_package_for_user(standing: Standing, version: str | None = None) -> ChangePackage:
    """A version of the change package; without a version, the current published one.

    Drafts are visible to staff only: teams work from published versions.
    """
    packages = packages_for_standing(standing)
    if version is None:
        package = packages.filter(status=ChangePackage.Status.PUBLISHED).first() or packages.first()
    else:
        package = packages.filter(version=version).first()
    if package is None:
        raise Http404("No such change package version.")
    return package


def get_node_for_user(standing: Standing, package: ChangePackage, node_id: int) -> ChangeNode:
    try:
        return package.nodes.select_related("parent", "lineage__package").get(pk=node_id)
    except ChangeNode.DoesNotExist:
        raise Http404("No such node in this version.") from None


def get_draft_for_user(standing: Standing, version: str) -> ChangePackage:
    """A draft version staff are preparing (403 for others, 404 if it is not a draft)."""
    if not standing.is_staff:
        raise PermissionDenied("Only collaborative staff may edit the change package.")
    package = get_package_for_user(standing, version)
    if package.status != ChangePackage.Status.DRAFT:
        raise PermissionDenied("Only a draft version can be edited; draft the next version.")
    return package


def visible_lessons(
    standing: Standing, lessons: QuerySet[Lesson] | None = None
) -> QuerySet[Lesson]:
    """Endorsed lessons for everyone in the collaborative; drafts for staff, their authors and
    the teams they cite."""
    if lessons is None:
        lessons = Lesson.objects.all()
    lessons = lessons.filter(collaborative=standing.collaborative)
    if standing.is_staff:
        return lessons
    mine = Lesson.teams.through.objects.filter(team_id__in=list(standing.team_ids)).values(
        "lesson_id"
    )
    return lessons.filter(
        Q(status=Lesson.Status.ENDORSED) | Q(created_by=standing.user) | Q(pk__in=mine)
    )


def get_lesson_for_user(standing: Standing, lesson_id: int, *, write: bool = False) -> Lesson:
    """A lesson the person may read; with write, one they may change (staff, or its author
    while it is a draft)."""
    try:
        lesson = visible_lessons(standing).get(pk=lesson_id)
    except Lesson.DoesNotExist:
        raise Http404("No such lesson.") from None
    if write and not can_edit_lesson(standing, lesson):
        raise PermissionDenied("Only staff, or the author while it is a draft, may change it.")
    return lesson


def can_edit_lesson(standing: Standing, lesson: Lesson) -> bool:
    if standing.is_staff:
        return True
    return (
        lesson.status == Lesson.Status.DRAFT
        and lesson.created_by_id == getattr(standing.user, "pk", None)
        and standing.is_member
    )
