"""Every write to tests of change: plan, edit, move through the gates, decide, chain, clone.

Web pages, the Certificate Program's capstone and the demo all call these functions, so the
rules (gates, ramps, versioned saves) hold whichever way a cycle is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from breakthrough.changes.models import ChangeNode, ChangePackage
from breakthrough.concurrency import EditConflict, FieldChange, save_versioned
from breakthrough.measures.models import Measure
from breakthrough.teams.models import Team

from . import files
from .models import STATES, CycleAttachment, PDSACycle, Ramp

LINKABLE_KINDS = frozenset({"idea", "concept", "component", "primary_driver", "secondary_driver"})

# Fields a person edits on the worksheet (the stage decides which of them a form shows).
WORKSHEET_FIELDS = (
    "title",
    "purpose",
    "objective",
    "questions",
    "tasks",
    "data_plan",
    "scale",
    "planned_start",
    "planned_end",
    "start",
    "end",
    "do_notes",
    "do_problems",
    "results",
    "learned",
    "next_steps",
    "implementation_note",
)


class GateClosed(Exception):
    """The cycle may not move on yet; `problems` says exactly what is missing."""

    def __init__(self, to_state: str, problems: list[str]):
        self.to_state = to_state
        self.problems = problems
        super().__init__("; ".join(problems))


def _today() -> date:
    return timezone.localdate()


def clean_questions(questions: Iterable) -> list[dict]:
    """Questions as stored: dicts with question, prediction, outcome and comparison; no blanks."""
    out = []
    for q in questions or []:
        if isinstance(q, (tuple, list)):
            q = dict(zip(("question", "prediction", "outcome", "comparison"), q, strict=False))
        row = {
            "question": (q.get("question") or "").strip(),
            "prediction": (q.get("prediction") or "").strip(),
            "outcome": (q.get("outcome") or "").strip(),
            "comparison": (q.get("comparison") or "").strip(),
        }
        if row["outcome"] and row["outcome"] not in PDSACycle.Outcome.values:
            raise ValidationError(f"Unknown comparison result {row['outcome']!r}.")
        if any(row.values()):
            out.append(row)
    return out


def clean_tasks(tasks: Iterable) -> list[dict]:
    out = []
    for t in tasks or []:
        if isinstance(t, (tuple, list)):
            t = dict(zip(("what", "who", "when", "where"), t, strict=False))
        row = {k: (t.get(k) or "").strip() for k in ("what", "who", "when", "where")}
        if any(row.values()):
            out.append(row)
    return out


def check_nodes(team: Team, nodes: Iterable[ChangeNode | int]) -> list[ChangeNode]:
    """The change-package nodes a cycle of `team` may test; at least one is required."""
    ids = [n.pk if isinstance(n, ChangeNode) else int(n) for n in nodes or []]
    if not ids:
        raise ValidationError("Choose at least one change idea the cycle tests.")
    found = list(
        ChangeNode.objects.filter(
            pk__in=ids, package__collaborative_id=team.collaborative_id
        ).select_related("package")
    )
    if len(found) != len(set(ids)):
        raise ValidationError("A chosen change idea is not in this collaborative's change package.")
    for node in found:
        if node.kind not in LINKABLE_KINDS:
            raise ValidationError(f"{node} is a {node.get_kind_display().lower()}, not a change.")
        if node.package.status == ChangePackage.Status.DRAFT:
            raise ValidationError(f"{node} belongs to a draft version of the change package.")
    order = {pk: i for i, pk in enumerate(ids)}
    return sorted(found, key=lambda n: order[n.pk])


def check_measures(team: Team, measures: Iterable[Measure | int]) -> list[Measure]:
    ids = {m.pk if isinstance(m, Measure) else int(m) for m in measures or []}
    if not ids:
        return []
    found = list(Measure.objects.filter(pk__in=ids, collaborative_id=team.collaborative_id))
    if len(found) != len(ids) or any(m.owner_team_id not in (None, team.pk) for m in found):
        raise ValidationError("A linked measure is not one this team reports.")
    return found


@transaction.atomic
def do_plan_cycle(
    *,
    author,
    team: Team,
    title: str,
    objective: str,
    nodes: Sequence[ChangeNode | int],
    purpose: str = PDSACycle.Purpose.TEST,
    scale: str = "",
    questions: Iterable = (),
    tasks: Iterable = (),
    data_plan: str = "",
    measures: Iterable[Measure | int] = (),
    planned_start: date | None = None,
    planned_end: date | None = None,
    ramp: Ramp | None = None,
    cloned_from: PDSACycle | None = None,
) -> PDSACycle:
    """Plan a new cycle: cycle 1 of a new ramp on the first node, or the next cycle of `ramp`.

    The cycle starts in the Plan stage; the Do gate checks that the plan is complete.
    """
    title = (title or "").strip()
    if not title:
        raise ValidationError("Give the cycle a title.")
    if purpose not in PDSACycle.Purpose.values:
        raise ValidationError(f"Unknown purpose {purpose!r}.")
    if planned_start and planned_end and planned_end < planned_start:
        raise ValidationError("The planned end cannot come before the planned start.")
    node_list = check_nodes(team, nodes)
    measure_list = check_measures(team, measures)
    if ramp is None:
        ramp = Ramp.objects.create(
            team=team, change_node=node_list[0], title=title[:200], created_by=author
        )
        cycle_no = 1
    else:
        if ramp.team_id != team.pk:
            raise ValidationError("That ramp belongs to another team.")
        ramp = Ramp.objects.select_for_update().get(pk=ramp.pk)
        cycle_no = (ramp.cycles.aggregate(n=Max("cycle_no"))["n"] or 0) + 1
        if ramp.status != Ramp.Status.OPEN:
            ramp.status = Ramp.Status.OPEN
            ramp.save(update_fields=["status"])
    cycle = PDSACycle.objects.create(
        ramp=ramp,
        team=team,
        cycle_no=cycle_no,
        title=title,
        purpose=purpose,
        objective=(objective or "").strip(),
        scale=(scale or "").strip(),
        questions=clean_questions(questions),
        tasks=clean_tasks(tasks),
        data_plan=(data_plan or "").strip(),
        planned_start=planned_start,
        planned_end=planned_end,
        cloned_from=cloned_from,
        created_by=author,
    )
    cycle.nodes.set(node_list)
    cycle.measures.set(measure_list)
    return cycle


@transaction.atomic
def do_update_cycle(
    cycle: PDSACycle,
    *,
    expected_version: int,
    nodes: Sequence[ChangeNode | int] | None = None,
    measures: Iterable[Measure | int] | None = None,
    **fields,
) -> PDSACycle:
    """Save worksheet fields; EditConflict (listing what the other person changed) if someone
    saved the cycle since `expected_version`."""
    unknown = set(fields) - set(WORKSHEET_FIELDS)
    if unknown:
        raise ValueError(f"Not worksheet fields: {sorted(unknown)}")
    if "questions" in fields:
        fields["questions"] = clean_questions(fields["questions"])
    if "tasks" in fields:
        fields["tasks"] = clean_tasks(fields["tasks"])
    if "title" in fields and not (fields["title"] or "").strip():
        raise ValidationError("Give the cycle a title.")
    node_list = check_nodes(cycle.team, nodes) if nodes is not None else None
    measure_list = check_measures(cycle.team, measures) if measures is not None else None
    for name, value in fields.items():
        setattr(cycle, name, value.strip() if isinstance(value, str) else value)
    try:
        save_versioned(cycle, expected_version, list(fields))
    except EditConflict as conflict:
        conflict.changes += _m2m_changes(conflict.current, node_list, measure_list)
        raise
    if node_list is not None:
        cycle.nodes.set(node_list)
        if cycle.cycle_no == 1 and cycle.ramp.change_node_id != node_list[0].pk:
            Ramp.objects.filter(pk=cycle.ramp_id).update(change_node=node_list[0])
    if measure_list is not None:
        cycle.measures.set(measure_list)
    return cycle


def _m2m_changes(current: PDSACycle, nodes, measures) -> list[FieldChange]:
    changes = []
    for name, label, yours in (
        ("nodes", "change ideas", nodes),
        ("measures", "measures", measures),
    ):
        if yours is None:
            continue
        theirs = list(getattr(current, name).all())
        if {x.pk for x in theirs} != {x.pk for x in yours}:
            changes.append(
                FieldChange(
                    name=name,
                    label=label,
                    theirs=", ".join(str(x) for x in theirs),
                    yours=", ".join(str(x) for x in yours),
                )
            )
    return changes


def _set_state(cycle: PDSACycle, state: str) -> None:
    cycle.state = state
    cycle.state_changed_at = timezone.now()
    cycle.edit_version += 1


@transaction.atomic
def do_advance_cycle(cycle: PDSACycle, *, to_state: str, by=None) -> PDSACycle:
    """Move the cycle through the next gate (Plan → Do → Study → Act/Adjust).

    Raises GateClosed with the list of what is missing.
    """
    cycle = PDSACycle.objects.select_for_update().get(pk=cycle.pk)
    if to_state not in STATES[1:]:
        raise ValueError(f"Unknown stage {to_state!r}.")
    if STATES.index(to_state) != cycle.state_index + 1:
        raise GateClosed(to_state, ["The cycle moves one stage at a time."])
    problems = cycle.gate_problems(to_state)
    if problems:
        raise GateClosed(to_state, problems)
    fields = ["state", "state_changed_at", "edit_version"]
    if to_state == PDSACycle.State.DOING and not cycle.start:
        cycle.start = cycle.planned_start if cycle.planned_start else _today()
        fields.append("start")
    if to_state == PDSACycle.State.STUDYING and not cycle.end:
        cycle.end = max(_today(), cycle.start) if cycle.start else _today()
        fields.append("end")
    _set_state(cycle, to_state)
    cycle.save(update_fields=fields)
    return cycle


@transaction.atomic
def do_step_back_cycle(cycle: PDSACycle, *, by=None) -> PDSACycle:
    """Undo the last step: reopen a decision (unless a later cycle builds on it), or go back
    a stage."""
    cycle = PDSACycle.objects.select_for_update().select_related("ramp").get(pk=cycle.pk)
    if cycle.state == PDSACycle.State.PLANNED:
        raise GateClosed("planned", ["The cycle is already in the Plan stage."])
    if cycle.decision:
        if cycle.ramp.cycles.filter(cycle_no__gt=cycle.cycle_no).exists():
            raise GateClosed(
                "decided",
                [f"Cycle {cycle.cycle_no + 1} already builds on this decision; change that cycle."],
            )
        cycle.decision = ""
        cycle.decided_on = None
        cycle.edit_version += 1
        cycle.save(update_fields=["decision", "decided_on", "edit_version"])
        if cycle.ramp.status != Ramp.Status.OPEN:
            cycle.ramp.status = Ramp.Status.OPEN
            cycle.ramp.save(update_fields=["status"])
        return cycle
    _set_state(cycle, STATES[cycle.state_index - 1])
    cycle.save(update_fields=["state", "state_changed_at", "edit_version"])
    return cycle


@transaction.atomic
def do_decide_cycle(
    cycle: PDSACycle,
    *,
    decision: str,
    next_steps: str,
    implementation_note: str = "",
    decided_on: date | None = None,
    start_next: bool = True,
    by=None,
) -> tuple[PDSACycle, PDSACycle | None]:
    """Record the Act/Adjust decision. Adapt or expand starts the next cycle of the ramp,
    pre-filled from this one (unless start_next is False); adopt and abandon close the ramp.

    Returns the cycle and the next cycle (or None).
    """
    cycle = PDSACycle.objects.select_for_update().select_related("ramp", "team").get(pk=cycle.pk)
    if cycle.state != PDSACycle.State.DECIDED:
        raise GateClosed("decided", cycle.gate_problems("decided") or ["Study the results first."])
    if cycle.decision:
        raise GateClosed("decided", ["The decision is already recorded; step back to change it."])
    problems = []
    if decision not in PDSACycle.Decision.values:
        problems.append("Choose a decision: adopt, adapt, abandon or expand the scale.")
    if not (next_steps or "").strip():
        problems.append("Write the next steps.")
    if decision == PDSACycle.Decision.ADOPT and not (implementation_note or "").strip():
        problems.append("For adopt, say how the change will be implemented and sustained.")
    when = decided_on or _today()
    if cycle.start and when < cycle.start:
        problems.append("The decision cannot come before the test started.")
    if problems:
        raise GateClosed("decided", problems)
    cycle.decision = decision
    cycle.next_steps = next_steps.strip()
    cycle.implementation_note = (implementation_note or "").strip()
    cycle.decided_on = when
    cycle.edit_version += 1
    cycle.save(
        update_fields=[
            "decision",
            "next_steps",
            "implementation_note",
            "decided_on",
            "edit_version",
        ]
    )
    ramp = cycle.ramp
    ramp.status = {
        PDSACycle.Decision.ADOPT: Ramp.Status.ADOPTED,
        PDSACycle.Decision.ABANDON: Ramp.Status.ABANDONED,
    }.get(decision, Ramp.Status.OPEN)
    ramp.save(update_fields=["status"])
    following = None
    if decision in PDSACycle.CONTINUING and start_next:
        following = do_start_next_cycle(cycle, by=by)
    return cycle, following


@transaction.atomic
def do_start_next_cycle(cycle: PDSACycle, *, by=None) -> PDSACycle:
    """The next cycle of the ramp, pre-filled from `cycle` (which chose adapt or expand)."""
    if cycle.decision not in PDSACycle.CONTINUING:
        raise GateClosed("planned", ["Only an adapt or expand decision leads to a next cycle."])
    if cycle.ramp.cycles.filter(cycle_no__gt=cycle.cycle_no).exists():
        raise GateClosed("planned", [f"Cycle {cycle.cycle_no + 1} has already started."])
    return do_plan_cycle(
        author=by,
        team=cycle.team,
        title=cycle.title,
        objective=cycle.objective,
        nodes=list(cycle.nodes.all()),
        purpose=cycle.purpose,
        scale=cycle.scale,
        questions=[
            {"question": q["question"], "prediction": q["prediction"]} for q in cycle.questions
        ],
        tasks=cycle.tasks,
        data_plan=cycle.data_plan,
        measures=list(cycle.measures.all()),
        ramp=cycle.ramp,
    )


@transaction.atomic
def do_clone_cycle(source: PDSACycle, *, team: Team, by=None) -> PDSACycle:
    """Start a new ramp in `team` from another team's cycle, keeping a link to its origin.

    The plan is copied (who does what is left for the new team to fill in); results are not.
    Measures the new team does not report and nodes of superseded versions are mapped or dropped.
    """
    from breakthrough.changes.lineage import resolve_to_package

    current = (
        ChangePackage.objects.filter(
            collaborative_id=team.collaborative_id, status=ChangePackage.Status.PUBLISHED
        )
        .order_by("-published_on", "-id")
        .first()
    )
    node_ids = [n.pk for n in source.nodes.all()]
    if current:
        mapping = resolve_to_package(current)
        node_ids = [mapping.get(pk, pk) for pk in node_ids]
    measures = [
        m for m in source.measures.all() if m.owner_team_id is None or m.owner_team_id == team.pk
    ]
    cycle = do_plan_cycle(
        author=by,
        team=team,
        title=source.title,
        objective=source.objective,
        nodes=list(dict.fromkeys(node_ids)),
        purpose=source.purpose,
        scale=source.scale,
        questions=[
            {"question": q["question"], "prediction": q["prediction"]} for q in source.questions
        ],
        tasks=[{**t, "who": ""} for t in source.tasks],
        data_plan=source.data_plan,
        measures=measures,
        cloned_from=source,
    )
    for attachment in source.attachments.all():
        with attachment.file.open("rb") as handle:
            data = handle.read()
        _store_attachment(cycle, data, attachment.name, attachment.description, by)
    return cycle


@transaction.atomic
def do_delete_cycle(cycle: PDSACycle, *, by=None) -> None:
    """Delete a cycle still in the Plan stage (the last of its ramp); an empty ramp goes too."""
    if cycle.state != PDSACycle.State.PLANNED:
        raise GateClosed("planned", ["Only a cycle still in the Plan stage can be deleted."])
    ramp = cycle.ramp
    if ramp.cycles.filter(cycle_no__gt=cycle.cycle_no).exists():
        raise GateClosed("planned", ["Later cycles build on this one."])
    for attachment in cycle.attachments.all():
        attachment.file.delete(save=False)
    cycle.delete()
    if not ramp.cycles.exists():
        ramp.delete()
    elif ramp.status == Ramp.Status.OPEN:
        last = ramp.cycles.order_by("-cycle_no").first()
        status = {"adopt": Ramp.Status.ADOPTED, "abandon": Ramp.Status.ABANDONED}.get(
            last.decision, Ramp.Status.OPEN
        )
        if status != ramp.status:
            ramp.status = status
            ramp.save(update_fields=["status"])


def _store_attachment(cycle: PDSACycle, data: bytes, name: str, description: str, by):
    file_type = files.check(data, name)
    attachment = CycleAttachment(
        cycle=cycle,
        name=files.display_name(name, file_type),
        content_type=file_type.content_type,
        extension=file_type.extension,
        size=len(data),
        description=(description or "").strip()[:300],
        uploaded_by=by,
    )
    # The storage name comes from attachment_path (a random name), never from `name`.
    attachment.file.save("upload", ContentFile(data), save=False)
    try:
        attachment.save()
    except Exception:
        default_storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def do_add_attachment(
    cycle: PDSACycle, *, data: bytes, name: str, description: str = "", by=None
) -> CycleAttachment:
    """Attach a file after checking its size and its real type (files.FileRejected if not)."""
    return _store_attachment(cycle, data, name, description, by)


@transaction.atomic
def do_delete_attachment(attachment: CycleAttachment, *, by=None) -> None:
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: default_storage.delete(name))
