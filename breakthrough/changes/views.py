from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.concurrency import EditConflict
from breakthrough.teams.models import Team

from .access import (
    can_edit_lesson,
    get_draft_for_user,
    get_lesson_for_user,
    get_node_for_user,
    get_package_for_user,
    visible_lessons,
)
from .actions import (
    NODE_FIELDS,
    do_add_node,
    do_create_lesson,
    do_draft_package,
    do_endorse_lesson,
    do_publish_package,
    do_retire_node,
    do_update_lesson,
    do_update_node,
)
from .forms import AddNodeForm, DraftVersionForm, LessonForm, NodeForm
from .lineage import family_ids, resolve_to_package
from .models import ChangeNode, ChangePackage, Lesson
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
            "editable": standing.is_staff and package.status == ChangePackage.Status.DRAFT,
            "has_draft": versions.filter(status=ChangePackage.Status.DRAFT).exists(),
        },
    )


# Change package versions ------------------------------------------------------------------------


@login_required
def draft_version(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    """Staff draft the next version of the change package from this one."""
    standing = get_standing_for_user(request.user, slug, staff=True)
    package = get_package_for_user(standing, version)
    suggested = _next_version(package.version)
    form = DraftVersionForm(
        request.POST or None, initial={"version": suggested, "title": package.title}
    )
    if request.method == "POST" and form.is_valid():
        try:
            draft = do_draft_package(
                package,
                version=form.cleaned_data["version"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Version {draft.version} is drafted from {package.version}. Edit, add or retire "
                "nodes; each keeps its history and evidence.",
            )
            return redirect(draft)
    return render(
        request,
        "changes/draft_version.html",
        {**_ctx(standing), "package": package, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _next_version(version: str) -> str:
    try:
        major = int(float(version))
    except ValueError:
        return f"{version}-next"
    return f"{major + 1}.0"


@login_required
@require_POST
def publish_version(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug, manage=True)
    package = get_draft_for_user(standing, version)
    do_publish_package(package, by=request.user)
    messages.success(request, f"Version {package.version} is published; teams now work from it.")
    return redirect(package)


@login_required
def node_detail(request: HttpRequest, slug: str, version: str, pk: int) -> HttpResponse:
    """A node across versions: its history, its evidence (cycles, lessons) and team statuses."""
    from breakthrough.pdsa.access import readable_cycles
    from breakthrough.pdsa.status import idea_statuses
    from breakthrough.teams.access import readable_team_ids

    standing = get_standing_for_user(request.user, slug)
    package = get_package_for_user(standing, version)
    node = get_node_for_user(standing, package, pk)
    family = family_ids(node)
    versions = (
        ChangeNode.objects.filter(pk__in=family).select_related("package").order_by("package__id")
    )
    if not standing.is_staff:
        versions = versions.exclude(package__status=ChangePackage.Status.DRAFT)
    cycles = (
        readable_cycles(standing)
        .filter(pk__in=_cycles_on(family))
        .select_related("team", "ramp__change_node")
        .order_by("team__name", "ramp_id", "cycle_no")
    )
    team_ids = readable_team_ids(standing)
    statuses = [
        s
        for (team_id, node_id), s in idea_statuses(team_ids, package).items()
        if node_id == node.pk
    ]
    teams = {t.pk: t for t in Team.objects.filter(pk__in=[s.team_id for s in statuses])}
    history = []
    if standing.is_staff:
        history = list(
            ChangeNode.history.filter(id__in=family)
            .select_related("history_user", "package")
            .order_by("-history_date")[:50]
        )
    return render(
        request,
        "changes/node_detail.html",
        {
            **_ctx(standing),
            "package": package,
            "node": node,
            "versions": versions,
            "cycles": cycles,
            "statuses": [(teams[s.team_id], s) for s in statuses],
            "lessons": visible_lessons(standing).filter(nodes__in=family).distinct(),
            "history": history,
            "editable": standing.is_staff and package.status == ChangePackage.Status.DRAFT,
        },
    )


def _cycles_on(node_ids):
    from breakthrough.pdsa.models import PDSACycle

    return PDSACycle.nodes.through.objects.filter(changenode_id__in=list(node_ids)).values(
        "pdsacycle_id"
    )


@login_required
def edit_node(request: HttpRequest, slug: str, version: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug, staff=True)
    package = get_draft_for_user(standing, version)
    node = get_node_for_user(standing, package, pk)
    conflict = None
    if request.method == "POST":
        form = NodeForm(request.POST, instance=node)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in NODE_FIELDS}
            try:
                do_update_node(
                    node,
                    expected_version=form.cleaned_data["edit_version"],
                    by=request.user,
                    **data,
                )
            except EditConflict as error:
                conflict = error
                form = NodeForm(
                    data={**request.POST.dict(), "edit_version": error.current.edit_version},
                    instance=error.current,
                )
            else:
                messages.success(request, f"{node} is saved.")
                return redirect(
                    reverse("changes:package", args=[slug, package.version]) + f"#node-{node.pk}"
                )
    else:
        form = NodeForm(instance=node, initial={"edit_version": node.edit_version})
    return render(
        request,
        "changes/node_edit.html",
        {**_ctx(standing), "package": package, "node": node, "form": form, "conflict": conflict},
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@login_required
def add_node(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug, staff=True)
    package = get_draft_for_user(standing, version)
    parent_id = request.GET.get("parent")
    form = AddNodeForm(
        request.POST or None,
        package=package,
        initial={"parent": parent_id} if parent_id else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            node = do_add_node(
                package,
                kind=form.kind(),
                parent=data["parent"],
                code=data["code"],
                title=data["title"],
                guiding_question=data["guiding_question"],
                description=data["description"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{node} is added to version {package.version}.")
            return redirect(
                reverse("changes:package", args=[slug, package.version]) + f"#node-{node.pk}"
            )
    return render(
        request,
        "changes/node_add.html",
        {**_ctx(standing), "package": package, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def retire_node(request: HttpRequest, slug: str, version: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug, staff=True)
    package = get_draft_for_user(standing, version)
    node = get_node_for_user(standing, package, pk)
    retire = request.POST.get("retire", "1") == "1"
    do_retire_node(node, retired=retire, by=request.user)
    messages.success(request, f"{node} is {'retired' if retire else 'back'} in v{package.version}.")
    return redirect(reverse("changes:package", args=[slug, package.version]) + f"#node-{node.pk}")


# Lessons ----------------------------------------------------------------------------------------


@login_required
def lesson_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Lessons learned, listed per component of the current change package."""
    from breakthrough.pdsa.status import current_package

    standing = get_standing_for_user(request.user, slug)
    package = current_package(standing.collaborative.pk)
    nodes = list(package.nodes.all()) if package else []
    mapping = resolve_to_package(package) if package else {}
    component_of = _component_index(nodes)
    strength = request.GET.get("strength", "")
    status = request.GET.get("status", "")
    lessons = (
        visible_lessons(standing).prefetch_related("nodes", "teams").select_related("created_by")
    )
    if strength in Lesson.Strength.values:
        lessons = lessons.filter(strength=strength)
    if status in Lesson.Status.values:
        lessons = lessons.filter(status=status)
    groups: dict[int | None, list[Lesson]] = {}
    for lesson in lessons:
        comps = {component_of.get(mapping.get(n.pk)) for n in lesson.nodes.all()}
        for comp in sorted(comps, key=lambda c: (c is None, c or 0)):
            groups.setdefault(comp, []).append(lesson)
    components = [
        n for n in nodes if n.parent_id is None and n.kind in ("component", "primary_driver")
    ]
    sections = [(c, groups.get(c.pk, [])) for c in components]
    return render(
        request,
        "changes/lesson_list.html",
        {
            **_ctx(standing),
            "sections": sections,
            "other": groups.get(None, []),
            "total": len({lesson.pk for items in groups.values() for lesson in items}),
            "strengths": Lesson.Strength.choices,
            "statuses": Lesson.Status.choices,
            "strength": strength,
            "status": status,
            "can_write": standing.is_staff or standing.is_member,
        },
    )


def _component_index(nodes: list[ChangeNode]) -> dict[int, int]:
    parent = {n.pk: n.parent_id for n in nodes}
    out = {}
    for n in nodes:
        current = n.pk
        while parent.get(current):
            current = parent[current]
        out[n.pk] = current
    return out


def _lesson_form(request, standing, lesson=None, initial=None):
    from breakthrough.pdsa.access import readable_cycles
    from breakthrough.pdsa.status import current_package

    package = current_package(standing.collaborative.pk)
    nodes = list(package.nodes.all()) if package else []
    if lesson is not None:
        extra = [n for n in lesson.nodes.all() if n.pk not in {x.pk for x in nodes}]
        nodes += extra
    cycles = (
        readable_cycles(standing)
        .filter(state__in=["studying", "decided"])
        .select_related("team", "ramp__change_node")
        .order_by("team__name", "ramp__change_node__order", "ramp_id", "cycle_no")
    )
    if lesson is not None:  # evidence already cited stays in the list
        cycles = cycles | lesson.cycles.select_related("team", "ramp__change_node").all()
    return LessonForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        collaborative=standing.collaborative,
        nodes=nodes,
        cycles=cycles.distinct(),
    )


@login_required
def new_lesson(request: HttpRequest, slug: str) -> HttpResponse:
    """Write a lesson directly, or from a cycle's Study/Act (?cycle=<id>)."""
    from breakthrough.pdsa.access import get_cycle_for_user

    standing = get_standing_for_user(request.user, slug)
    if not (standing.is_staff or standing.is_member):
        raise PermissionDenied("Only team members and collaborative staff may write lessons.")
    source = None
    cycle_id = request.GET.get("cycle") or request.POST.get("source_cycle")
    if cycle_id and str(cycle_id).isdigit():
        source = get_cycle_for_user(standing, int(cycle_id), write=True)
    initial = {"strength": Lesson.Strength.TESTED}
    if source is not None:
        from breakthrough.changes.lineage import resolve_to_package as resolve
        from breakthrough.pdsa.status import current_package

        package = current_package(standing.collaborative.pk)
        mapping = resolve(package) if package else {}
        initial.update(
            statement=source.learned,
            detail="\n\n".join(p for p in (source.results, source.next_steps) if p),
            nodes=[mapping.get(n.pk, n.pk) for n in source.nodes.all()],
            cycles=[source.pk],
            teams=[source.team_id],
            measures=[m.pk for m in source.measures.all()],
            strength=Lesson.Strength.IMPLEMENTED
            if source.decision == "adopt"
            else Lesson.Strength.TESTED,
        )
    form = _lesson_form(request, standing, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lesson = do_create_lesson(
                collaborative=standing.collaborative,
                author=request.user,
                statement=data["statement"],
                detail=data["detail"],
                nodes=data["nodes"],
                cycles=data["cycles"],
                teams=data["teams"],
                measures=data["measures"],
                strength=data["strength"],
                source_cycle=source,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The lesson is saved as a draft for staff to endorse.")
            return redirect(lesson)
    return render(
        request,
        "changes/lesson_form.html",
        {**_ctx(standing), "form": form, "lesson": None, "source": source, "conflict": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def lesson_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    from breakthrough.pdsa.access import readable_cycles

    standing = get_standing_for_user(request.user, slug)
    lesson = get_lesson_for_user(standing, pk)
    cycles = (
        readable_cycles(standing)
        .filter(pk__in=lesson.cycles.values("pk"))
        .select_related("team", "ramp__change_node")
        .order_by("team__name", "ramp_id", "cycle_no")
    )
    return render(
        request,
        "changes/lesson_detail.html",
        {
            **_ctx(standing),
            "lesson": lesson,
            "nodes": lesson.nodes.select_related("package"),
            "cycles": cycles,
            "hidden_cycles": lesson.cycles.count() - len(cycles),
            "teams": lesson.teams.all(),
            "measures": lesson.measures.all(),
            "can_edit": can_edit_lesson(standing, lesson),
        },
    )


@login_required
def edit_lesson(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    lesson = get_lesson_for_user(standing, pk, write=True)
    initial = {
        "statement": lesson.statement,
        "detail": lesson.detail,
        "strength": lesson.strength,
        "nodes": [n.pk for n in lesson.nodes.all()],
        "cycles": [c.pk for c in lesson.cycles.all()],
        "teams": [t.pk for t in lesson.teams.all()],
        "measures": [m.pk for m in lesson.measures.all()],
        "edit_version": lesson.edit_version,
    }
    form = _lesson_form(request, standing, lesson, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_update_lesson(
                lesson,
                expected_version=data.get("edit_version") or lesson.edit_version,
                statement=data["statement"],
                detail=data["detail"],
                strength=data["strength"],
                nodes=data["nodes"],
                cycles=data["cycles"],
                teams=data["teams"],
                measures=data["measures"],
                by=request.user,
            )
        except EditConflict as error:
            conflict = error
            form.data = form.data.copy()
            form.data["edit_version"] = error.current.edit_version
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The lesson is saved.")
            return redirect(lesson)
    return render(
        request,
        "changes/lesson_form.html",
        {**_ctx(standing), "form": form, "lesson": lesson, "source": None, "conflict": conflict},
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@login_required
@require_POST
def endorse_lesson(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug, staff=True)
    lesson = get_lesson_for_user(standing, pk)
    endorse = request.POST.get("endorse", "1") == "1"
    do_endorse_lesson(lesson, by=request.user, endorse=endorse)
    messages.success(
        request, "The lesson is endorsed." if endorse else "The lesson is a draft again."
    )
    return redirect(lesson)


def _ctx(standing) -> dict:
    return {"standing": standing, "collaborative": standing.collaborative}
