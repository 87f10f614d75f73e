"""Who uses the resource library.

Staff, team members and sponsor observers read it (evaluators see aggregates only). Staff and
team members add resources; a resource is changed by staff, the person who added it, or the
members of the team that shared it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from breakthrough.collaboratives.access import Standing, get_standing_for_user

from .models import Resource


def get_library_standing(user, slug: str, *, write: bool = False) -> Standing:
    standing = get_standing_for_user(user, slug)
    if not (standing.is_staff or standing.is_member or standing.is_observer):
        raise PermissionDenied("Evaluators see aggregate data only, not the library.")
    if write and not (standing.is_staff or standing.is_member):
        raise PermissionDenied("Only staff and team members add to the library.")
    return standing


def may_change_resource(standing: Standing, resource: Resource) -> bool:
    return (
        standing.is_staff
        or resource.uploaded_by_id == standing.user.pk
        or (resource.team_id is not None and resource.team_id in standing.team_ids)
    )


def get_resource_for_user(standing: Standing, pk: int, *, write: bool = False) -> Resource:
    try:
        resource = Resource.objects.select_related("team", "uploaded_by", "collaborative").get(
            collaborative=standing.collaborative, pk=pk
        )
    except Resource.DoesNotExist:
        raise Http404("No such resource.") from None
    if write and not may_change_resource(standing, resource):
        raise PermissionDenied(
            "Only the person who added it, their team and collaborative staff may change it."
        )
    return resource
