"""PDSA cycles (with their ramps) and lessons, through the same access functions and actions as
the cycle worksheet and the lesson pages."""

from datetime import date
from typing import Literal

from django.db.models import Q
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from breakthrough.changes.access import get_lesson_for_user, visible_lessons
from breakthrough.changes.actions import do_create_lesson, do_endorse_lesson, do_update_lesson
from breakthrough.changes.models import ChangeNode, Lesson
from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.measures.models import Measure
from breakthrough.pdsa.access import get_cycle_for_user, get_ramp_for_user, readable_cycles
from breakthrough.pdsa.actions import (
    GateClosed,
    do_advance_cycle,
    do_decide_cycle,
    do_plan_cycle,
    do_update_cycle,
)
from breakthrough.pdsa.models import PDSACycle
from breakthrough.teams.access import get_team_for_user
from breakthrough.teams.models import Team

from ..auth import write_auth
from ..errors import ERROR_RESPONSES, ApiError, reject_nulls
from ..schemas import (
    CycleAdvanceIn,
    CycleDecideIn,
    CycleDecisionOut,
    CycleIn,
    CycleOut,
    CyclePatch,
    LessonEndorseIn,
    LessonIn,
    LessonOut,
    LessonPatch,
    ObjectId,
)

router = Router(tags=["PDSA cycles and lessons"])

CYCLE_RELATED = ("team", "ramp")


def cycle_out(c: PDSACycle) -> dict:
    return {
        **{
            f: getattr(c, f)
            for f in CycleOut.model_fields
            if f
            not in ("team", "ramp", "nodes", "measures", "predictions", "predictions_confirmed")
        },
        "team": c.team.slug,
        "ramp": {
            "id": c.ramp_id,
            "title": c.ramp.title,
            "status": c.ramp.status,
            "change_node": c.ramp.change_node_id,
        },
        "nodes": sorted(n.pk for n in c.nodes.all()),
        "measures": sorted(m.code for m in c.measures.all()),
        "predictions": c.n_predictions,
        "predictions_confirmed": c.n_confirmed,
    }


def _fresh(cycle_id: int) -> PDSACycle:
    return (
        PDSACycle.objects.select_related(*CYCLE_RELATED)
        .prefetch_related("nodes", "measures")
        .get(pk=cycle_id)
    )


def _nodes(standing, ids: list[int], where: str) -> list[ChangeNode]:
    nodes = list(
        ChangeNode.objects.filter(pk__in=ids, package__collaborative=standing.collaborative)
    )
    found = {n.pk for n in nodes}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ApiError(
            422,
            "Unknown change package nodes.",
            [
                {"loc": ["body", where], "message": f"No node {i} in this collaborative."}
                for i in missing
            ],
        )
    by_id = {n.pk: n for n in nodes}
    return [by_id[i] for i in ids]


def _measures(standing, codes: list[str], where: str) -> list[Measure]:
    measures = {
        m.code: m
        for m in Measure.objects.filter(collaborative=standing.collaborative, code__in=codes)
    }
    missing = [c for c in codes if c not in measures]
    if missing:
        raise ApiError(
            422,
            "Unknown measures.",
            [{"loc": ["body", where], "message": f"No measure {c!r}."} for c in missing],
        )
    return [measures[c] for c in codes]


def _gate(error: GateClosed) -> ApiError:
    return ApiError(
        422,
        f"The cycle cannot move to {error.to_state} yet.",
        [{"loc": ["body"], "message": p} for p in error.problems],
    )


@router.get(
    "/collaboratives/{slug}/cycles",
    response={200: list[CycleOut], **ERROR_RESPONSES},
    summary="PDSA cycles of the teams whose work you may read",
)
@paginate
def list_cycles(
    request: HttpRequest,
    slug: str,
    team: str | None = None,
    state: Literal["planned", "doing", "studying", "decided"] | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
):
    """Filter by team (slug), stage, and period: cycles whose (planned) start falls between
    period_from and period_to (inclusive)."""
    standing = get_standing_for_user(request.user, slug)
    cycles = readable_cycles(standing)
    if team:
        cycles = cycles.filter(team=get_team_for_user(standing, team))
    if state:
        cycles = cycles.filter(state=state)
    if period_from:
        cycles = cycles.filter(
            Q(start__gte=period_from) | Q(start__isnull=True, planned_start__gte=period_from)
        )
    if period_to:
        cycles = cycles.filter(
            Q(start__lte=period_to) | Q(start__isnull=True, planned_start__lte=period_to)
        )
    cycles = (
        cycles.select_related(*CYCLE_RELATED)
        .prefetch_related("nodes", "measures")
        .order_by("team__name", "ramp_id", "cycle_no", "pk")
    )
    return _Converted(cycles, cycle_out)


class _Converted:
    def __init__(self, queryset, convert):
        self.queryset, self.convert = queryset, convert

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice):
        return [self.convert(x) for x in self.queryset[item]]


@router.get(
    "/collaboratives/{slug}/cycles/{cycle_id}",
    response={200: CycleOut, **ERROR_RESPONSES},
    summary="One PDSA cycle",
)
def get_cycle(request: HttpRequest, slug: str, cycle_id: ObjectId):
    standing = get_standing_for_user(request.user, slug)
    return cycle_out(_fresh(get_cycle_for_user(standing, cycle_id).pk))


@router.post(
    "/collaboratives/{slug}/teams/{team}/cycles",
    auth=write_auth,
    response={201: CycleOut, **ERROR_RESPONSES},
    summary="Plan a cycle: the first of a new ramp, or the next of one of the team's ramps",
)
def plan_cycle(request: HttpRequest, slug: str, team: str, payload: CycleIn):
    standing = get_standing_for_user(request.user, slug)
    obj: Team = get_team_for_user(standing, team, write=True)
    data = payload.model_dump()
    ramp_id = data.pop("ramp")
    ramp = get_ramp_for_user(standing, ramp_id, write=True) if ramp_id else None
    data["nodes"] = _nodes(standing, data["nodes"], "nodes")
    data["measures"] = _measures(standing, data["measures"], "measures")
    cycle = do_plan_cycle(author=request.user, team=obj, ramp=ramp, **data)
    return Status(201, cycle_out(_fresh(cycle.pk)))


@router.patch(
    "/collaboratives/{slug}/cycles/{cycle_id}",
    auth=write_auth,
    response={200: CycleOut, **ERROR_RESPONSES},
    summary="Change a cycle's worksheet (team members and staff)",
)
def patch_cycle(request: HttpRequest, slug: str, cycle_id: ObjectId, payload: CyclePatch):
    standing = get_standing_for_user(request.user, slug)
    cycle = get_cycle_for_user(standing, cycle_id, write=True)
    nullable = {"planned_start", "planned_end", "start", "end"}
    changes = reject_nulls(payload.model_dump(exclude_unset=True), nullable=nullable)
    expected = changes.pop("edit_version")
    nodes = changes.pop("nodes", None)
    measures = changes.pop("measures", None)
    do_update_cycle(
        cycle,
        expected_version=expected,
        nodes=_nodes(standing, nodes, "nodes") if nodes is not None else None,
        measures=_measures(standing, measures, "measures") if measures is not None else None,
        **changes,
    )
    return cycle_out(_fresh(cycle.pk))


@router.post(
    "/collaboratives/{slug}/cycles/{cycle_id}/advance",
    auth=write_auth,
    response={200: CycleOut, **ERROR_RESPONSES},
    summary="Move a cycle through its next gate (Plan → Do → Study → Act)",
)
def advance_cycle(request: HttpRequest, slug: str, cycle_id: ObjectId, payload: CycleAdvanceIn):
    standing = get_standing_for_user(request.user, slug)
    cycle = get_cycle_for_user(standing, cycle_id, write=True)
    try:
        do_advance_cycle(cycle, to_state=payload.to_state, by=request.user)
    except GateClosed as closed:
        raise _gate(closed) from None
    return cycle_out(_fresh(cycle.pk))


@router.post(
    "/collaboratives/{slug}/cycles/{cycle_id}/decision",
    auth=write_auth,
    response={200: CycleDecisionOut, **ERROR_RESPONSES},
    summary="Record the Act decision: adopt, adapt, abandon or expand the scale",
)
def decide_cycle(request: HttpRequest, slug: str, cycle_id: ObjectId, payload: CycleDecideIn):
    standing = get_standing_for_user(request.user, slug)
    cycle = get_cycle_for_user(standing, cycle_id, write=True)
    try:
        cycle, following = do_decide_cycle(cycle, by=request.user, **payload.model_dump())
    except GateClosed as closed:
        raise _gate(closed) from None
    return {"cycle": cycle_out(_fresh(cycle.pk)), "next_cycle": following.pk if following else None}


def lesson_out(lesson: Lesson) -> dict:
    return {
        **{
            f: getattr(lesson, f)
            for f in LessonOut.model_fields
            if f not in ("nodes", "cycles", "teams", "measures")
        },
        "nodes": sorted(n.pk for n in lesson.nodes.all()),
        "cycles": sorted(c.pk for c in lesson.cycles.all()),
        "teams": sorted(t.slug for t in lesson.teams.all()),
        "measures": sorted(m.code for m in lesson.measures.all()),
    }


LESSON_PREFETCH = ("nodes", "cycles", "teams", "measures")


def _lesson_links(standing, payload) -> dict:
    cycles = list(readable_cycles(standing).filter(pk__in=payload.cycles).select_related("team"))
    if len(cycles) != len(set(payload.cycles)):
        raise ApiError(
            422,
            "Unknown cycles.",
            [{"loc": ["body", "cycles"], "message": "A cited cycle is unknown."}],
        )
    teams = list(Team.objects.filter(collaborative=standing.collaborative, slug__in=payload.teams))
    if len(teams) != len(set(payload.teams)):
        raise ApiError(
            422,
            "Unknown teams.",
            [{"loc": ["body", "teams"], "message": "A cited team is unknown."}],
        )
    return {
        "nodes": _nodes(standing, payload.nodes, "nodes"),
        "cycles": cycles,
        "teams": teams,
        "measures": _measures(standing, payload.measures, "measures"),
    }


@router.get(
    "/collaboratives/{slug}/lessons",
    response={200: list[LessonOut], **ERROR_RESPONSES},
    summary="Lessons: endorsed ones for everyone, drafts for staff, authors and cited teams",
)
@paginate
def list_lessons(
    request: HttpRequest, slug: str, status: Literal["draft", "endorsed"] | None = None
):
    standing = get_standing_for_user(request.user, slug)
    lessons = visible_lessons(standing)
    if status:
        lessons = lessons.filter(status=status)
    lessons = lessons.prefetch_related(*LESSON_PREFETCH).order_by("pk")
    return _Converted(lessons, lesson_out)


@router.get(
    "/collaboratives/{slug}/lessons/{lesson_id}",
    response={200: LessonOut, **ERROR_RESPONSES},
    summary="One lesson",
)
def get_lesson(request: HttpRequest, slug: str, lesson_id: ObjectId):
    standing = get_standing_for_user(request.user, slug)
    return lesson_out(get_lesson_for_user(standing, lesson_id))


@router.post(
    "/collaboratives/{slug}/lessons",
    auth=write_auth,
    response={201: LessonOut, **ERROR_RESPONSES},
    summary="Write a lesson (a draft until staff endorse it)",
)
def create_lesson(request: HttpRequest, slug: str, payload: LessonIn):
    standing = get_standing_for_user(request.user, slug)
    if not (standing.is_staff or standing.is_member):
        raise ApiError(403, "Only team members and staff write lessons.")
    lesson = do_create_lesson(
        collaborative=standing.collaborative,
        author=request.user,
        statement=payload.statement,
        detail=payload.detail,
        strength=payload.strength,
        **_lesson_links(standing, payload),
    )
    return Status(201, lesson_out(lesson))


@router.put(
    "/collaboratives/{slug}/lessons/{lesson_id}",
    auth=write_auth,
    response={200: LessonOut, **ERROR_RESPONSES},
    summary="Rewrite a lesson (staff, or its author while it is a draft)",
)
def update_lesson(request: HttpRequest, slug: str, lesson_id: ObjectId, payload: LessonPatch):
    standing = get_standing_for_user(request.user, slug)
    lesson = get_lesson_for_user(standing, lesson_id, write=True)
    do_update_lesson(
        lesson,
        expected_version=payload.edit_version,
        statement=payload.statement,
        detail=payload.detail,
        strength=payload.strength,
        by=request.user,
        **_lesson_links(standing, payload),
    )
    return lesson_out(get_lesson_for_user(standing, lesson_id))


@router.post(
    "/collaboratives/{slug}/lessons/{lesson_id}/endorsement",
    auth=write_auth,
    response={200: LessonOut, **ERROR_RESPONSES},
    summary="Endorse a lesson, or return it to draft (staff)",
)
def endorse_lesson(request: HttpRequest, slug: str, lesson_id: ObjectId, payload: LessonEndorseIn):
    standing = get_standing_for_user(request.user, slug, staff=True)
    lesson = get_lesson_for_user(standing, lesson_id, write=True)
    do_endorse_lesson(lesson, by=request.user, endorse=payload.endorse)
    return lesson_out(get_lesson_for_user(standing, lesson_id))
