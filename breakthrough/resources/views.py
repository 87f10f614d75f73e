from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from breakthrough.changes.models import ChangeNode
from breakthrough.concurrency import EditConflict
from breakthrough.discussions.actions import discussion_audience
from breakthrough.discussions.forms import TAG_ORDER, current_nodes, node_filter

from .access import get_library_standing, get_resource_for_user, may_change_resource
from .actions import do_add_resource, do_delete_resource, do_update_resource
from .forms import ResourceForm
from .models import Resource
from .uploads import human_size


def _names(collaborative) -> list[str]:
    return list(discussion_audience(collaborative).values_list("full_name", flat=True))


@login_required
def resource_list(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_library_standing(request.user, slug)
    c = standing.collaborative
    resources = Resource.objects.filter(collaborative=c)
    q = request.GET.get("q", "").strip()
    if q:
        resources = resources.filter(
            Q(title__icontains=q) | Q(description__icontains=q) | Q(file_name__icontains=q)
        )
    kind = request.GET.get("kind", "")
    if kind in Resource.Kind.values:
        resources = resources.filter(kind=kind)
    nodes = current_nodes(c)
    node, node_ids = node_filter(nodes, request.GET.get("node"))
    if node_ids:
        resources = resources.filter(nodes__in=node_ids).distinct()
    team_slug = request.GET.get("team", "")
    if team_slug:
        resources = resources.filter(team__slug=team_slug)
    resources = resources.select_related("team", "uploaded_by", "collaborative").prefetch_related(
        Prefetch("nodes", queryset=ChangeNode.objects.order_by(*TAG_ORDER))
    )
    page = Paginator(resources, 30).get_page(request.GET.get("page"))
    for r in page.object_list:
        r.may_change = may_change_resource(standing, r)
    return render(
        request,
        "resources/resource_list.html",
        {
            "standing": standing,
            "collaborative": c,
            "page": page,
            "q": q,
            "kind": kind,
            "kinds": Resource.Kind.choices,
            "node": node,
            "nodes": nodes,
            "team_slug": team_slug,
            "teams": c.teams.all(),
            "may_add": standing.is_staff or standing.is_member,
            "filtered": bool(q or kind or node or team_slug),
        },
    )


@login_required
def resource_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_library_standing(request.user, slug)
    resource = get_resource_for_user(standing, pk)
    return render(
        request,
        "resources/resource_detail.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "resource": resource,
            "nodes": resource.nodes.order_by(*TAG_ORDER),
            "size": human_size(resource.size) if resource.size else "",
            "may_change": may_change_resource(standing, resource),
        },
    )


@login_required
def new_resource(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_library_standing(request.user, slug, write=True)
    c = standing.collaborative
    form = ResourceForm(
        request.POST or None, request.FILES or None, standing=standing, known_names=_names(c)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resource = do_add_resource(
            collaborative=c,
            added_by=request.user,
            title=data["title"],
            kind=data["kind"],
            description=data["description"],
            upload=data["file"],
            url=data["url"],
            nodes=data["nodes"],
            team=data["team"],
        )
        messages.success(request, f"“{resource.title}” is in the library.")
        return redirect(resource)
    return render(
        request,
        "resources/resource_form.html",
        {"standing": standing, "collaborative": c, "form": form, "resource": None},
        status=400 if form.errors else 200,
    )


@login_required
def edit_resource(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_library_standing(request.user, slug, write=True)
    resource = get_resource_for_user(standing, pk, write=True)
    c = standing.collaborative
    conflict = None
    if request.method == "POST":
        form = ResourceForm(
            request.POST, request.FILES, standing=standing, resource=resource, known_names=_names(c)
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                do_update_resource(
                    resource,
                    title=data["title"],
                    kind=data["kind"],
                    description=data["description"],
                    nodes=data["nodes"],
                    team=data["team"],
                    url=data.get("url", ""),
                    upload=data["file"],
                    expected_version=data["edit_version"] or 0,
                )
            except EditConflict as error:
                conflict = error
                post = request.POST.copy()
                post["edit_version"] = error.current.edit_version
                form = ResourceForm(
                    post, standing=standing, resource=resource, known_names=_names(c)
                )
            else:
                messages.success(request, "Saved.")
                return redirect(resource)
    else:
        form = ResourceForm(
            standing=standing,
            resource=resource,
            known_names=_names(c),
            initial={
                "title": resource.title,
                "kind": resource.kind,
                "description": resource.description,
                "url": resource.url,
                "team": resource.team,
                "nodes": list(resource.nodes.values_list("pk", flat=True)),
                "edit_version": resource.edit_version,
            },
        )
    return render(
        request,
        "resources/resource_form.html",
        {
            "standing": standing,
            "collaborative": c,
            "form": form,
            "resource": resource,
            "conflict": conflict,
        },
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@login_required
@require_POST
def delete_resource(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_library_standing(request.user, slug, write=True)
    resource = get_resource_for_user(standing, pk, write=True)
    title = resource.title
    do_delete_resource(resource)
    messages.success(request, f"“{title}” was removed from the library.")
    return redirect("resources:list", slug=standing.collaborative.slug)


@login_required
def download_resource(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The file, checked for access on every download (never served straight from storage)."""
    standing = get_library_standing(request.user, slug)
    resource = get_resource_for_user(standing, pk)
    if not resource.file:
        raise Http404("This resource is a link, not a file.")
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file of this resource is no longer stored.") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=resource.file_name or resource.file.name.rsplit("/", 1)[-1],
        content_type=resource.content_type or "application/octet-stream",
    )
