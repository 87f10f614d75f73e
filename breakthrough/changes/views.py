from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from breakthrough.collaboratives.access import get_standing_for_user

from .access import get_package_for_user
from .models import ChangeNode, ChangePackage
from .tree import build_tree


@login_required
def package_detail(request: HttpRequest, slug: str, version: str | None = None) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    package = get_package_for_user(standing, version)
    roots = build_tree(list(package.nodes.all()))
    versions = ChangePackage.objects.filter(collaborative=standing.collaborative)
    if not standing.is_staff:
        versions = versions.exclude(status=ChangePackage.Status.DRAFT)
    return render(
        request,
        "changes/package_detail.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "package": package,
            "principles": [t for t in roots if t.node.kind == ChangeNode.Kind.PRINCIPLE],
            "values": [t for t in roots if t.node.kind == ChangeNode.Kind.VALUE],
            "components": [
                t
                for t in roots
                if t.node.kind in {ChangeNode.Kind.COMPONENT, ChangeNode.Kind.PRIMARY_DRIVER}
            ],
            "versions": versions,
        },
    )
