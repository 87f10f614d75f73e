"""The change package: versions and their tree of nodes."""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from breakthrough.changes.access import get_package_for_user, packages_for_standing
from breakthrough.changes.actions import do_add_node, do_retire_node, do_update_node
from breakthrough.changes.models import ChangeNode, ChangePackage
from breakthrough.collaboratives.access import get_standing_for_user

from ..auth import write_auth
from ..errors import ERROR_RESPONSES, ApiError, reject_nulls
from ..schemas import (
    ChangeNodeIn,
    ChangeNodeOut,
    ChangeNodePatch,
    ChangePackageOut,
    NodeKind,
    ObjectId,
)

router = Router(tags=["Change package"])


def package_out(p: ChangePackage) -> dict:
    return {
        "version": p.version,
        "title": p.title,
        "status": p.status,
        "goals": p.goals,
        "published_on": p.published_on,
        "based_on": p.based_on.version if p.based_on_id else None,
    }


def node_out(n: ChangeNode, version: str) -> dict:
    return {
        "id": n.pk,
        "package": version,
        "parent": n.parent_id,
        "lineage": n.lineage_id,
        "kind": n.kind,
        "code": n.code,
        "title": n.title,
        "guiding_question": n.guiding_question,
        "description": n.description,
        "evidence_notes": n.evidence_notes,
        "order": n.order,
        "retired": n.retired,
        "tags": [str(t) for t in (n.tags or [])],
        "edit_version": n.edit_version,
    }


@router.get(
    "/collaboratives/{slug}/change-packages",
    response={200: list[ChangePackageOut], **ERROR_RESPONSES},
    summary="Versions of the change package (drafts for staff only)",
)
@paginate
def list_packages(request: HttpRequest, slug: str):
    standing = get_standing_for_user(request.user, slug)
    packages = packages_for_standing(standing)
    return [package_out(p) for p in packages.select_related("based_on").order_by("pk")]


@router.get(
    "/collaboratives/{slug}/change-packages/{version}/nodes",
    response={200: list[ChangeNodeOut], **ERROR_RESPONSES},
    summary="Nodes of a change package version, parents before children",
)
@paginate
def list_nodes(request: HttpRequest, slug: str, version: str, kind: NodeKind | None = None):
    standing = get_standing_for_user(request.user, slug)
    package = get_package_for_user(standing, version)
    nodes = package.nodes.all()
    if kind:
        nodes = nodes.filter(kind=kind)
    return [node_out(n, package.version) for n in _tree_order(list(nodes))]


def _tree_order(nodes: list[ChangeNode]) -> list[ChangeNode]:
    children: dict[int | None, list[ChangeNode]] = {}
    ids = {n.pk for n in nodes}
    for n in nodes:
        children.setdefault(n.parent_id if n.parent_id in ids else None, []).append(n)
    out: list[ChangeNode] = []

    def walk(parent: int | None) -> None:
        for n in sorted(children.get(parent, []), key=lambda n: (n.order, n.pk)):
            out.append(n)
            walk(n.pk)

    walk(None)
    return out


def _package_for_write(request, slug: str, version: str):
    standing = get_standing_for_user(request.user, slug, manage=True)
    return get_package_for_user(standing, version)


def _parent(package: ChangePackage, parent_id: int | None) -> ChangeNode | None:
    if parent_id is None:
        return None
    parent = package.nodes.filter(pk=parent_id).first()
    if parent is None:
        raise ApiError(
            422,
            "Unknown parent.",
            [
                {
                    "loc": ["body", "parent"],
                    "message": f"Version {package.version} has no node {parent_id}.",
                }
            ],
        )
    return parent


@router.post(
    "/collaboratives/{slug}/change-packages/{version}/nodes",
    auth=write_auth,
    response={201: ChangeNodeOut, **ERROR_RESPONSES},
    summary="Add a node to a draft version (managers)",
)
def create_node(request: HttpRequest, slug: str, version: str, payload: ChangeNodeIn):
    package = _package_for_write(request, slug, version)
    fields = payload.model_dump()
    fields["parent"] = _parent(package, fields["parent"])
    node = do_add_node(package, by=request.user, **fields)
    return Status(201, node_out(node, package.version))


@router.patch(
    "/collaboratives/{slug}/change-packages/{version}/nodes/{node_id}",
    auth=write_auth,
    response={200: ChangeNodeOut, **ERROR_RESPONSES},
    summary="Change a node of a draft version (managers)",
)
def patch_node(
    request: HttpRequest, slug: str, version: str, node_id: ObjectId, payload: ChangeNodePatch
):
    package = _package_for_write(request, slug, version)
    node = package.nodes.filter(pk=node_id).first()
    if node is None:
        raise ApiError(404, "No such node in this version.")
    changes = reject_nulls(payload.model_dump(exclude_unset=True), nullable=set())
    expected = changes.pop("edit_version")
    retired = changes.pop("retired", None)
    if changes or retired is None:
        do_update_node(node, expected_version=expected, by=request.user, **changes)
    elif node.edit_version != expected:
        raise ApiError(409, "Someone else changed this node meanwhile; fetch it again.")
    if retired is not None:
        do_retire_node(node, retired=retired, by=request.user)
        node.refresh_from_db()
    return node_out(node, package.version)
