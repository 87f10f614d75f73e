"""Pages across teams: the change package × team matrix and the cross-team PDSA library."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from breakthrough.changes.access import get_package_for_user
from breakthrough.changes.lineage import resolve_to_package
from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.teams.access import teams_for_standing

from .access import clone_target_teams, readable_cycles
from .forms import LibraryFilterForm, MatrixFilterForm
from .library import is_postgres, search, snippet
from .matrix import build_matrix, matrix_csv, matrix_xlsx
from .models import STATES, stage_label
from .status import STATUS_LABELS, STATUSES, current_package
from .views import _context, _linked_to, _subtree_ids

PAGE_SIZE = 20


def _matrix(request: HttpRequest, slug: str):
    standing = get_standing_for_user(request.user, slug)
    version = request.GET.get("version") or None
    package = (
        get_package_for_user(standing, version)
        if version
        else current_package(standing.collaborative.pk)
    )
    if package is not None and package.status == "draft" and not standing.is_staff:
        raise Http404("No such change package version.")
    all_teams = list(teams_for_standing(standing))
    teams = [t for t in all_teams if standing.can_read_team(t)]
    components = (
        [
            n
            for n in package.nodes.all()
            if n.parent_id is None and n.kind in ("component", "primary_driver")
        ]
        if package
        else []
    )
    form = MatrixFilterForm(request.GET or None, components=components)
    filters = form.cleaned_data if form.is_valid() else {}
    matrix = build_matrix(
        standing.collaborative,
        package,
        teams,
        component_id=filters.get("component"),
        status=filters.get("status") or None,
        tested_only=bool(filters.get("tested_only")),
    )
    return standing, matrix, form, len(all_teams) - len(teams)


@login_required
def matrix(request: HttpRequest, slug: str) -> HttpResponse:
    """Rows: change ideas by component; columns: teams; cells: status and cycles."""
    standing, m, form, hidden = _matrix(request, slug)
    query = request.GET.urlencode()
    return render(
        request,
        "pdsa/matrix.html",
        _context(
            standing,
            matrix=m,
            form=form,
            hidden_teams=hidden,
            statuses=[(s, STATUS_LABELS[s]) for s in STATUSES],
            query=f"?{query}" if query else "",
        ),
    )


@login_required
def matrix_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    standing, m, _, _ = _matrix(request, slug)
    c = standing.collaborative
    name = f"{slugify(c.slug)}-change-package-matrix"
    if m.package is not None:
        name += f"-v{m.package.version}"
    if fmt == "csv":
        response = HttpResponse(
            matrix_csv(m, demo=c.is_demo), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        title = f"{c.name}: change package × {standing.vocab['teams'].lower()}"
        response = HttpResponse(
            matrix_xlsx(m, demo=c.is_demo, title=title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404("Unknown export format.")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def library(request: HttpRequest, slug: str) -> HttpResponse:
    """Search every cycle the person may read, across teams; clone one into one's own team."""
    standing = get_standing_for_user(request.user, slug)
    package = current_package(standing.collaborative.pk)
    nodes = list(package.nodes.all()) if package else []
    components = [
        n for n in nodes if n.parent_id is None and n.kind in ("component", "primary_driver")
    ]
    ideas = [n for n in nodes if n.kind == "idea"]
    all_teams = list(teams_for_standing(standing))
    teams = [t for t in all_teams if standing.can_read_team(t)]
    form = LibraryFilterForm(
        request.GET or None, components=components, ideas=ideas, teams=teams, vocab=standing.vocab
    )
    cycles = readable_cycles(standing)
    data = form.cleaned_data if form.is_valid() else {}
    query = (data.get("q") or "").strip()
    node_by_id = {n.pk: n for n in nodes}
    selected = node_by_id.get(data.get("idea")) or node_by_id.get(data.get("component"))
    if selected is not None:
        mapping = resolve_to_package(package)
        wanted = _subtree_ids(selected, nodes)
        linked = [a for a, p in mapping.items() if p in wanted]
        cycles = cycles.filter(pk__in=_linked_to(linked))
    if data.get("team"):
        cycles = cycles.filter(team_id=data["team"])
    if data.get("decision") == "none":
        cycles = cycles.filter(decision="")
    elif data.get("decision"):
        cycles = cycles.filter(decision=data["decision"])
    if data.get("state"):
        cycles = cycles.filter(state=data["state"])
    if data.get("date_from"):
        d = data["date_from"]
        cycles = cycles.filter(Q(start__gte=d) | Q(start__isnull=True, planned_start__gte=d))
    if data.get("date_to"):
        d = data["date_to"]
        cycles = cycles.filter(Q(start__lte=d) | Q(start__isnull=True, planned_start__lte=d))
    cycles = search(cycles, query)
    if not query:
        cycles = cycles.order_by(F("start").desc(nulls_last=True), "-id")
    cycles = (
        cycles.select_related("team", "ramp__change_node")
        .prefetch_related("nodes")
        .defer("tasks", "data_plan", "implementation_note")
    )
    page = Paginator(cycles, PAGE_SIZE).get_page(request.GET.get("page"))
    vocab = standing.vocab
    results = [
        (c, snippet(c.search_text, query) if query else snippet(c.objective or c.search_text, ""))
        for c in page.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "pdsa/library.html",
        _context(
            standing,
            form=form,
            page=page,
            results=results,
            query=query,
            params=params.urlencode(),
            clone_teams=clone_target_teams(standing),
            stage_labels={s: stage_label(s, vocab) for s in STATES},
            engine="PostgreSQL full-text search" if is_postgres() else "word match",
            hidden_teams=len(all_teams) - len(teams),
        ),
    )
