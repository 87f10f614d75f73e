"""Pages of one team's tests of change: the board, a cycle's worksheet, its gates, its ramp."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from breakthrough.changes.access import visible_lessons
from breakthrough.changes.lineage import resolve_to_package
from breakthrough.changes.models import ChangeNode
from breakthrough.collaboratives.access import Standing, get_standing_for_user
from breakthrough.concurrency import EditConflict
from breakthrough.teams.access import get_team_for_user, teams_for_standing

from . import actions, files
from .access import (
    clone_target_teams,
    get_attachment_for_user,
    get_cycle_for_user,
    get_ramp_for_user,
    get_team_work_for_user,
)
from .forms import (
    AttachmentForm,
    CloneForm,
    CycleForm,
    DecisionForm,
    question_formset,
    task_formset,
)
from .models import STATES, PDSACycle, Ramp, stage_label
from .privacy import WARNING
from .quality import as_of_date, flag_map, flags_for, with_flag_data
from .status import current_package


def _context(standing: Standing, **extra) -> dict:
    return {"standing": standing, "collaborative": standing.collaborative, **extra}


def _package_nodes(standing: Standing) -> tuple[object, list[ChangeNode]]:
    package = current_package(standing.collaborative.pk)
    nodes = list(package.nodes.all()) if package else []
    return package, nodes


def _stages(vocab: dict) -> list[tuple[str, str]]:
    return [(s, stage_label(s, vocab)) for s in STATES]


def _sees_flags(standing: Standing, team) -> bool:
    return standing.is_staff or team.pk in standing.team_ids


# Overview and board ---------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Every team's tests of change at a glance, and the quality flags for faculty."""
    standing = get_standing_for_user(request.user, slug)
    all_teams = list(teams_for_standing(standing))
    teams = [t for t in all_teams if standing.can_read_team(t)]
    ids = [t.pk for t in teams]
    by_state: dict[int, Counter] = defaultdict(Counter)
    for team_id, state, decision, n in (
        PDSACycle.objects.filter(team_id__in=ids)
        .values_list("team_id", "state", "decision")
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_state[team_id][state] += n
        if decision:
            by_state[team_id][decision] += n
        by_state[team_id]["total"] += n
    ramp_counts = dict(
        Ramp.objects.filter(team_id__in=ids)
        .values_list("team_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("team_id", "n")
    )
    flagged_team_ids = [t for t in ids if standing.is_staff or t in standing.team_ids]
    flagged = []
    if flagged_team_ids:
        candidates = with_flag_data(
            PDSACycle.objects.filter(team_id__in=flagged_team_ids).select_related(
                "team", "ramp__change_node"
            )
        ).defer("search_text", "tasks", "objective", "data_plan", "do_notes", "do_problems")
        flags = flag_map(candidates, standing.collaborative)
        flagged = [(c, flags[c.pk]) for c in candidates if flags[c.pk]]
        flagged.sort(key=lambda cf: (cf[0].team.name, cf[0].ramp.change_node.order, cf[0].pk))
    rows = [
        (t, [by_state[t.pk][s] for s in STATES], by_state[t.pk], ramp_counts.get(t.pk, 0))
        for t in teams
    ]
    hidden = len(all_teams) - len(teams)
    return render(
        request,
        "pdsa/overview.html",
        _context(
            standing,
            rows=rows,
            stages=_stages(standing.vocab),
            flagged=flagged,
            flag_counts=sorted(Counter(f.code for _, fs in flagged for f in fs).items()),
            hidden_teams=hidden,
            my_teams=[t for t in teams if t.pk in standing.team_ids],
        ),
    )


@login_required
def team_board(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    """A team's cycles by stage, filterable by component and idea, with its ramps."""
    standing = get_standing_for_user(request.user, slug)
    team = get_team_work_for_user(standing, team_slug)
    package, nodes = _package_nodes(standing)
    components = [
        n for n in nodes if n.parent_id is None and n.kind in ("component", "primary_driver")
    ]
    node_by_id = {n.pk: n for n in nodes}
    cycles = PDSACycle.objects.filter(team=team)
    component_id = _int(request.GET.get("component"))
    idea_id = _int(request.GET.get("idea"))
    selected = node_by_id.get(idea_id) or node_by_id.get(component_id)
    if selected is not None:
        mapping = resolve_to_package(package)
        wanted = _subtree_ids(selected, nodes)
        linked = {any_id for any_id, pid in mapping.items() if pid in wanted}
        cycles = cycles.filter(pk__in=_linked_to(linked))
    cycles = (
        with_flag_data(cycles)
        .select_related("ramp__change_node")
        .order_by("-state_changed_at", "-id")
    )
    cycles = list(cycles)
    flags = flag_map(cycles, standing.collaborative) if _sees_flags(standing, team) else {}
    for c in cycles:
        c.flags = flags.get(c.pk, [])
    columns = [
        (state, label, [c for c in cycles if c.state == state and not c.is_closed])
        for state, label in _stages(standing.vocab)
    ]
    decided = sorted(
        (c for c in cycles if c.is_closed),
        key=lambda c: (c.decided_on or c.reference_date, c.pk),
        reverse=True,
    )
    ramps = (
        Ramp.objects.filter(team=team)
        .select_related("change_node")
        .prefetch_related(Prefetch("cycles", queryset=PDSACycle.objects.order_by("cycle_no")))
        .order_by("change_node__parent__order", "change_node__order", "id")
    )
    if selected is not None:
        ramps = ramps.filter(pk__in={c.ramp_id for c in cycles})
    return render(
        request,
        "pdsa/team_board.html",
        _context(
            standing,
            team=team,
            columns=columns,
            decided=decided,
            flags=flags,
            ramps=ramps,
            components=components,
            ideas=[n for n in nodes if n.kind == "idea"],
            component_id=component_id,
            idea_id=idea_id,
            selected=selected,
            can_edit=standing.can_edit_team(team),
            total=len(cycles),
        ),
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _linked_to(node_ids):
    """Ids of cycles linked to any of `node_ids` (a subquery, so no duplicates)."""
    return PDSACycle.nodes.through.objects.filter(changenode_id__in=list(node_ids)).values(
        "pdsacycle_id"
    )


def _subtree_ids(node: ChangeNode, nodes: list[ChangeNode]) -> set[int]:
    children = defaultdict(list)
    for n in nodes:
        children[n.parent_id].append(n.pk)
    out, stack = set(), [node.pk]
    while stack:
        current = stack.pop()
        out.add(current)
        stack.extend(children[current])
    return out


# Planning and editing -------------------------------------------------------------------------


def _worksheet(form: CycleForm, qs, ts, cycle: PDSACycle | None) -> dict:
    """Worksheet fields from a valid form and its question and task formsets."""
    data = {
        k: v for k, v in form.cleaned_data.items() if k not in ("nodes", "measures", "edit_version")
    }
    old = {q.get("question"): q for q in (cycle.questions if cycle else [])}
    questions = []
    for f in qs.forms:
        row = dict(f.cleaned_data or {})
        if not any(row.get(k) for k in ("question", "prediction", "outcome", "comparison")):
            continue
        if "outcome" not in f.fields:  # keep comparisons made in a later stage
            kept = old.get(row.get("question"), {})
            row["outcome"] = kept.get("outcome", "")
            row["comparison"] = kept.get("comparison", "")
        questions.append(row)
    data["questions"] = questions
    data["tasks"] = [
        dict(f.cleaned_data) for f in ts.forms if f.cleaned_data and any(f.cleaned_data.values())
    ]
    return data


def _forms(request, standing, team, cycle=None):
    _, nodes = _package_nodes(standing)
    if cycle is not None:
        # Nodes of older versions the cycle already links to stay selectable.
        extra = [n for n in cycle.nodes.all() if n.pk not in {x.pk for x in nodes}]
        nodes = nodes + extra
    state = cycle.state if cycle else "planned"
    decided = bool(cycle and cycle.decision)
    data = request.POST if request.method == "POST" else None
    initial = None
    if cycle is not None and data is None:
        initial = {
            **{
                f: getattr(cycle, f)
                for f in actions.WORKSHEET_FIELDS
                if f not in ("questions", "tasks")
            },
            "nodes": [n.pk for n in cycle.nodes.all()],
            "measures": [m.pk for m in cycle.measures.all()],
            "edit_version": cycle.edit_version,
        }
    form = CycleForm(data, initial=initial, team=team, nodes=nodes, state=state, decided=decided)
    qs = question_formset(
        data, cycle=cycle, studying=cycle is not None and cycle.reached("studying")
    )
    ts = task_formset(data, cycle=cycle)
    return form, qs, ts


def _first_error(form, *formsets) -> str:
    for f in (form, *[x for fs in formsets for x in fs.forms]):
        for name, errors in f.errors.items():
            label = f.fields[name].label if name in f.fields else ""
            return (
                f"{label or name.replace('_', ' ').capitalize()}: {errors[0]}"
                if name != "__all__"
                else errors[0]
            )
    for fs in formsets:
        if fs.non_form_errors():
            return fs.non_form_errors()[0]
    return "Please check the form."


@login_required
def new_cycle(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    """Plan a new cycle: cycle 1 of a new ramp."""
    standing = get_standing_for_user(request.user, slug)
    team = get_team_for_user(standing, team_slug, write=True)
    form, qs, ts = _forms(request, standing, team)
    if request.method == "POST" and all([form.is_valid(), qs.is_valid(), ts.is_valid()]):
        try:
            cycle = _plan(request, team, form, qs, ts)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Cycle 1 of “{cycle.title}” is planned.")
            return redirect(cycle)
    return render(
        request,
        "pdsa/cycle_form.html",
        _context(
            standing,
            team=team,
            cycle=None,
            form=form,
            qs=qs,
            ts=ts,
            conflict=None,
            autosave_url=reverse("pdsa:new-autosave", args=[slug, team.slug]),
            warning=WARNING,
            act_label=standing.vocab["act"],
        ),
        status=400 if request.method == "POST" else 200,
    )


def _plan(request, team, form, qs, ts) -> PDSACycle:
    data = _worksheet(form, qs, ts, None)
    return actions.do_plan_cycle(
        author=request.user,
        team=team,
        title=data["title"],
        objective=data["objective"],
        nodes=list(form.cleaned_data["nodes"]),
        purpose=data["purpose"],
        scale=data["scale"],
        questions=data["questions"],
        tasks=data["tasks"],
        data_plan=data["data_plan"],
        measures=list(form.cleaned_data["measures"]),
        planned_start=data["planned_start"],
        planned_end=data["planned_end"],
    )


@login_required
@require_POST
def new_cycle_autosave(request: HttpRequest, slug: str, team_slug: str) -> JsonResponse:
    """The first autosave of a new plan creates the cycle; later ones save to it."""
    standing = get_standing_for_user(request.user, slug)
    team = get_team_for_user(standing, team_slug, write=True)
    form, qs, ts = _forms(request, standing, team)
    if not (all([form.is_valid(), qs.is_valid(), ts.is_valid()])):
        return JsonResponse(
            {"message": f"Draft not saved yet — {_first_error(form, qs, ts)}"}, status=400
        )
    try:
        cycle = _plan(request, team, form, qs, ts)
    except ValidationError as error:
        return JsonResponse({"message": f"Draft not saved yet — {error.messages[0]}"}, status=400)
    return JsonResponse(
        {
            "message": f"Draft saved {timezone.localtime():%H:%M}",
            "edit_version": cycle.edit_version,
            "action": reverse("pdsa:edit", args=[slug, cycle.pk]),
            "autosave": reverse("pdsa:autosave", args=[slug, cycle.pk]),
        }
    )


def _save(request, cycle, form, qs, ts) -> PDSACycle:
    data = _worksheet(form, qs, ts, cycle)
    return actions.do_update_cycle(
        cycle,
        expected_version=form.cleaned_data.get("edit_version") or cycle.edit_version,
        nodes=list(form.cleaned_data["nodes"]),
        measures=list(form.cleaned_data["measures"]),
        **data,
    )


@login_required
def edit_cycle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The whole worksheet up to the cycle's stage, with autosave and conflict detection."""
    standing = get_standing_for_user(request.user, slug)
    cycle = get_cycle_for_user(standing, pk, write=True)
    form, qs, ts = _forms(request, standing, cycle.team, cycle)
    conflict = None
    if request.method == "POST" and all([form.is_valid(), qs.is_valid(), ts.is_valid()]):
        try:
            _save(request, cycle, form, qs, ts)
        except EditConflict as error:
            conflict = error
            form.data = form.data.copy()
            form.data["edit_version"] = error.current.edit_version
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The cycle is saved.")
            return redirect(cycle)
    return render(
        request,
        "pdsa/cycle_form.html",
        _context(
            standing,
            team=cycle.team,
            cycle=cycle,
            form=form,
            qs=qs,
            ts=ts,
            conflict=conflict,
            autosave_url=reverse("pdsa:autosave", args=[slug, cycle.pk]),
            warning=WARNING,
            act_label=standing.vocab["act"],
        ),
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@login_required
@require_POST
def autosave_cycle(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    standing = get_standing_for_user(request.user, slug)
    cycle = get_cycle_for_user(standing, pk, write=True)
    form, qs, ts = _forms(request, standing, cycle.team, cycle)
    if not (all([form.is_valid(), qs.is_valid(), ts.is_valid()])):
        return JsonResponse(
            {"message": f"Draft not saved — {_first_error(form, qs, ts)}"}, status=400
        )
    try:
        cycle = _save(request, cycle, form, qs, ts)
    except EditConflict as error:
        who = error.changed_by.display_name if error.changed_by else "Someone else"
        return JsonResponse(
            {
                "message": f"{who} saved this cycle while you were editing. Your text is still "
                "here: press Save to compare the two versions.",
            },
            status=409,
        )
    except ValidationError as error:
        return JsonResponse({"message": f"Draft not saved — {error.messages[0]}"}, status=400)
    return JsonResponse(
        {"message": f"Draft saved {timezone.localtime():%H:%M}", "edit_version": cycle.edit_version}
    )


# One cycle --------------------------------------------------------------------------------------


def _cycle_page(request, standing, cycle, *, gate=None, decision_form=None, status=200):
    cycle = (
        with_flag_data(PDSACycle.objects.filter(pk=cycle.pk))
        .select_related(
            "team__collaborative", "ramp__change_node", "cloned_from__team", "created_by"
        )
        .prefetch_related("nodes__parent", "measures", "attachments")
        .get()
    )
    can_edit = standing.can_edit_team(cycle.team)
    ramp_cycles = list(
        cycle.ramp.cycles.order_by("cycle_no").only(
            "id", "cycle_no", "state", "decision", "ramp_id", "team_id"
        )
    )
    previous = next((c for c in ramp_cycles if c.cycle_no == cycle.cycle_no - 1), None)
    following = next((c for c in ramp_cycles if c.cycle_no == cycle.cycle_no + 1), None)
    if previous is not None:
        previous = PDSACycle.objects.only(
            "id", "cycle_no", "next_steps", "decision", "team_id", "ramp_id"
        ).get(pk=previous.pk)
    clones = [c for c in cycle.clones.select_related("team") if standing.can_read_team(c.team)]
    vocab = standing.vocab
    next_state = STATES[cycle.state_index + 1] if cycle.state_index + 1 < len(STATES) else None
    clone_teams = clone_target_teams(standing)
    if decision_form is None and cycle.state == "decided" and not cycle.decision and can_edit:
        decision_form = DecisionForm(
            initial={"decided_on": timezone.localdate(), "start_next": True}
        )
    return render(
        request,
        "pdsa/cycle_detail.html",
        _context(
            standing,
            cycle=cycle,
            team=cycle.team,
            can_edit=can_edit,
            stages=_stages(vocab),
            act_label=vocab["act"],
            next_state=next_state,
            next_label=stage_label(next_state, vocab) if next_state else "",
            gate=gate,
            decision_form=decision_form,
            ramp_cycles=ramp_cycles,
            previous=previous,
            following=following,
            clones=clones,
            lessons=visible_lessons(standing, cycle.lessons.all()),
            flags=flags_for(cycle, as_of_date(standing.collaborative), vocab)
            if _sees_flags(standing, cycle.team)
            else [],
            attachment_form=AttachmentForm() if can_edit else None,
            clone_form=CloneForm(teams=clone_teams) if clone_teams else None,
            can_start_next=can_edit
            and cycle.decision in PDSACycle.CONTINUING
            and following is None,
            can_delete=can_edit and cycle.state == "planned" and following is None,
        ),
        status=status,
    )


@login_required
def cycle_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    cycle = get_cycle_for_user(standing, pk)
    return _cycle_page(request, standing, cycle)


@login_required
@require_POST
def advance_cycle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Pass a gate; when it is closed, the page says exactly what is missing."""
    standing = get_standing_for_user(request.user, slug)
    cycle = get_cycle_for_user(standing, pk, write=True)
    to_state = request.POST.get("to", "")
    if to_state not in STATES[1:]:
        return _cycle_page(
            request,
            standing,
            cycle,
            gate=actions.GateClosed(to_state, ["Unknown stage."]),
            status=400,
        )
    try:
        actions.do_advance_cycle(cycle, to_state=to_state, by=request.user)
    except actions.GateClosed as gate:
        return _cycle_page(request, standing, cycle, gate=gate, status=400)
    messages.success(request, f"The cycle moved to {stage_label(to_state, standing.vocab)}.")
    return redirect(cycle)


@login_required
@require_POST
def step_back_cycle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    cycle = get_cycle_for_user(standing, pk, write=True)
    try:
        cycle = actions.do_step_back_cycle(cycle, by=request.user)
    except actions.GateClosed as gate:
        return _cycle_page(request, standing, cycle, gate=gate, status=400)
    messages.success(request, f"The cycle is back in {stage_label(cycle.state, standing.vocab)}.")
    return redirect(cycle)


@login_required
@require_POST
def decide_cycle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Record the Act/Adjust decision; adapt or expand opens the next cycle of the ramp."""
    standing = get_standing_for_user(request.user, slug)
    cycle = get_cycle_for_user(standing, pk, write=True)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _cycle_page(request, standing, cycle, decision_form=form, status=400)
    data = form.cleaned_data
    try:
        cycle, following = actions.do_decide_cycle(
            cycle,
            decision=data["decision"],
            next_steps=data["next_steps"],
            implementation_note=data["implementation_note"],
            decided_on=data["decided_on"],
            start_next=data["start_next"],
            by=request.user,
        )
    except actions.GateClosed as gate:
        return _cycle_page(request, standing, cycle, gate=gate, decision_form=form, status=400)
    label = cycle.get_decision_display().lower()
    if following is not None:
        messages.success(
            request,
            f"Decision recorded: {label}. Cycle {following.cycle_no} is planned from cycle "
            f"{cycle.cycle_no}; adjust the plan and start it.",
        )
        return redirect(following)
    messages.success(request, f"Decision recorded: {label}.")
    return redirect(cycle)


@login_required
@require_POST
def start_next_cycle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    cycle = get_cycle_for_user(standing, pk, write=True)
    try:
        following = actions.do_start_next_cycle(cycle, by=request.user)
    except actions.GateClosed as gate:
        return _cycle_page(request, standing, cycle, gate=gate, status=400)
    messages.success(request, f"Cycle {following.cycle_no} is planned from cycle {cycle.cycle_no}.")
    return redirect(following)


@login_required
@require_POST
def delete_cycle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    cycle = get_cycle_for_user(standing, pk, write=True)
    team = cycle.team
    try:
        actions.do_delete_cycle(cycle, by=request.user)
    except actions.GateClosed as gate:
        return _cycle_page(request, standing, cycle, gate=gate, status=400)
    messages.success(request, "The planned cycle was deleted.")
    return redirect("pdsa:board", slug=slug, team_slug=team.slug)


@login_required
def clone_cycle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Start a cycle in one's own team from this one (GET: choose the team; POST: clone)."""
    standing = get_standing_for_user(request.user, slug)
    source = get_cycle_for_user(standing, pk)
    teams = clone_target_teams(standing)
    if not teams:
        raise PermissionDenied("Only members of a team and collaborative staff may clone a cycle.")
    form = CloneForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        cycle = actions.do_clone_cycle(source, team=form.cleaned_data["team"], by=request.user)
        messages.success(
            request,
            f"Cloned into {cycle.team.name} as cycle 1 of a new ramp. Adapt the plan to your "
            "team and fill in who does what.",
        )
        return redirect(cycle)
    return render(
        request,
        "pdsa/clone.html",
        _context(standing, source=source, form=form),
        status=400 if request.method == "POST" else 200,
    )


# Attachments ------------------------------------------------------------------------------------


@login_required
@require_POST
def add_attachment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    cycle = get_cycle_for_user(standing, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > files.max_bytes():
            form.add_error(
                "file",
                f"The file is {upload.size / 1_048_576:.1f} MB; the limit is "
                f"{files.max_bytes() // 1_048_576} MB.",
            )
        else:
            try:
                actions.do_add_attachment(
                    cycle,
                    data=upload.read(),
                    name=upload.name,
                    description=form.cleaned_data["description"],
                    by=request.user,
                )
            except files.FileRejected as error:
                form.add_error("file", str(error))
            else:
                messages.success(request, "The file is attached.")
                return redirect(cycle)
    messages.error(
        request,
        "The file was not attached: " + "; ".join(form.errors.get("file", ["check the form"])),
    )
    return redirect(cycle)


@login_required
def download_attachment(
    request: HttpRequest, slug: str, pk: int, attachment_id: int
) -> FileResponse:
    standing = get_standing_for_user(request.user, slug)
    cycle = get_cycle_for_user(standing, pk)
    attachment = get_attachment_for_user(standing, cycle, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
@require_POST
def delete_attachment(request: HttpRequest, slug: str, pk: int, attachment_id: int) -> HttpResponse:
    standing = get_standing_for_user(request.user, slug)
    cycle = get_cycle_for_user(standing, pk, write=True)
    attachment = get_attachment_for_user(standing, cycle, attachment_id)
    actions.do_delete_attachment(attachment, by=request.user)
    messages.success(request, f"{attachment.name} was removed.")
    return redirect(cycle)


# Ramps ------------------------------------------------------------------------------------------


@login_required
def ramp_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The ramp's sequence: scale growing and decisions over time."""
    standing = get_standing_for_user(request.user, slug)
    ramp = get_ramp_for_user(standing, pk)
    cycles = list(
        with_flag_data(ramp.cycles.all()).order_by("cycle_no").prefetch_related("attachments")
    )
    flags = flag_map(cycles, standing.collaborative) if _sees_flags(standing, ramp.team) else {}
    for c in cycles:
        c.flags = flags.get(c.pk, [])
    last = cycles[-1] if cycles else None
    can_edit = standing.can_edit_team(ramp.team)
    return render(
        request,
        "pdsa/ramp_detail.html",
        _context(
            standing,
            ramp=ramp,
            team=ramp.team,
            cycles=cycles,
            # Each step a little higher than the one before: 7rem up to 12rem.
            steps=[(c, f"{7 + 5 * i / max(len(cycles) - 1, 1):.2f}") for i, c in enumerate(cycles)],
            flags=flags,
            act_label=standing.vocab["act"],
            last=last,
            can_start_next=can_edit and last is not None and last.decision in PDSACycle.CONTINUING,
        ),
    )
