from __future__ import annotations

from django.http import Http404

from breakthrough.collaboratives.access import Standing

from .models import ChangePackage


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
