"""Learning sessions (and certificate sessions, the closing congress), as on the session pages:
members read them; staff write the agenda, choose the presenting teams and record attendance,
through the same actions as the pages."""

from datetime import time

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.collaboratives.models import AgendaItem, Attendance, Event
from breakthrough.reports.access import get_period_for_month
from breakthrough.reports.grid import month_key
from breakthrough.reports.models import MonthlyReport, Presenter, Storyboard
from breakthrough.reports.session_actions import (
    do_add_agenda_item,
    do_pick_presenter,
    do_record_attendance,
    do_remove_agenda_item,
    do_remove_presenter,
)
from breakthrough.reports.session_views import SESSION_KINDS, get_session_for_user
from breakthrough.teams.access import get_team_for_user
from breakthrough.teams.models import Membership

from ..auth import write_auth
from ..errors import ERROR_RESPONSES, ApiError
from ..schemas import AgendaItemIn, AttendanceIn, ObjectId, PresenterIn, SessionOut
from .pdsa import _Converted

router = Router(tags=["Learning sessions"])

SESSION = "/collaboratives/{slug}/sessions/{session_id}"


def _session_out(standing, event) -> dict:
    return {
        **{
            f: getattr(event, f)
            for f in ("id", "kind", "number", "title", "start", "end", "location", "objectives")
        },
        "agenda": [
            {
                "id": a.pk,
                "title": a.title,
                "day": a.day,
                "time": a.time.strftime("%H:%M") if a.time else None,
                "lead": a.lead,
            }
            for a in event.agenda.all()
        ],
        "presenters": [
            {
                "team": p.team.slug,
                "topic": p.topic,
                "month": month_key(p.report.period) if p.report else None,
            }
            for p in event.presenters.all()
        ],
        "materials": [
            {"id": m.pk, "title": m.title, "url": m.url, "has_file": bool(m.file)}
            for m in event.materials.all()
        ],
        "storyboards": [
            {
                "team": s.team.slug,
                "title": s.title,
                "review_status": s.review_status,
                "uploaded_at": s.uploaded_at,
            }
            for s in event.storyboards.all()
            if standing.is_staff or standing.can_read_team(s.team)
        ],
        "attended": sorted(a.person.username for a in event.attendance.all() if a.attended)
        if standing.is_staff
        else None,
    }


def _sessions(standing):
    return (
        Event.objects.filter(collaborative=standing.collaborative, kind__in=SESSION_KINDS)
        .prefetch_related(
            "agenda",
            Prefetch(
                "presenters",
                queryset=Presenter.objects.select_related("team", "report__period"),
            ),
            "materials",
            Prefetch("storyboards", queryset=Storyboard.objects.select_related("team")),
            Prefetch("attendance", queryset=Attendance.objects.select_related("person")),
        )
        .order_by("start", "pk")
    )


def _fresh(standing, event) -> dict:
    return _session_out(standing, _sessions(standing).get(pk=event.pk))


@router.get(
    "/collaboratives/{slug}/sessions",
    response={200: list[SessionOut], **ERROR_RESPONSES},
    summary="Learning sessions: agenda, presenting teams, materials and storyboards",
    # The reads were first published from the reports module: their ids stay.
    operation_id="breakthrough_api_routes_reports_list_sessions",
)
@paginate
def list_sessions(request: HttpRequest, slug: str):
    standing = get_standing_for_user(request.user, slug)
    return _Converted(_sessions(standing), lambda e: _session_out(standing, e))


@router.get(
    SESSION,
    response={200: SessionOut, **ERROR_RESPONSES},
    summary="One learning session",
    operation_id="breakthrough_api_routes_reports_get_session",
)
def get_session(request: HttpRequest, slug: str, session_id: ObjectId):
    standing = get_standing_for_user(request.user, slug)
    return _fresh(standing, get_session_for_user(standing, session_id))


def _staff_session(request, slug: str, session_id: int):
    standing = get_standing_for_user(request.user, slug, staff=True)
    return standing, get_session_for_user(standing, session_id)


@router.post(
    SESSION + "/agenda",
    auth=write_auth,
    response={201: SessionOut, **ERROR_RESPONSES},
    summary="Add an agenda item (staff)",
)
def add_agenda_item(request: HttpRequest, slug: str, session_id: ObjectId, payload: AgendaItemIn):
    standing, event = _staff_session(request, slug, session_id)
    data = payload.model_dump()
    data["time"] = time.fromisoformat(data["time"]) if data["time"] else None
    do_add_agenda_item(event, **data)
    return Status(201, _fresh(standing, event))


@router.delete(
    SESSION + "/agenda/{item_id}",
    auth=write_auth,
    response={200: SessionOut, **ERROR_RESPONSES},
    summary="Remove an agenda item (staff)",
)
def remove_agenda_item(request: HttpRequest, slug: str, session_id: ObjectId, item_id: ObjectId):
    standing, event = _staff_session(request, slug, session_id)
    item = AgendaItem.objects.filter(event=event, pk=item_id).first()
    if item is None:
        raise Http404("The session has no such agenda item.")
    do_remove_agenda_item(item)
    return _fresh(standing, event)


def _report_of(standing, team, month: str) -> MonthlyReport | None:
    try:
        period = get_period_for_month(standing, month)
    except Http404:  # 2024-13, or a month the collaborative does not have
        return None
    return MonthlyReport.objects.filter(team=team, period=period).first()


@router.put(
    SESSION + "/presenters/{team}",
    auth=write_auth,
    response={200: SessionOut, **ERROR_RESPONSES},
    summary="Choose a team to present, with its topic and the report that made faculty pick it "
    "(staff)",
)
def pick_presenter(
    request: HttpRequest, slug: str, session_id: ObjectId, team: str, payload: PresenterIn
):
    """Choosing a team again changes its topic or report. `month` names the team's report
    (YYYY-MM); 422 if the team has none for that month."""
    standing, event = _staff_session(request, slug, session_id)
    obj = get_team_for_user(standing, team)
    report = None
    if payload.month:
        report = _report_of(standing, obj, payload.month)
        if report is None:
            raise ApiError(
                422,
                "The team has no report for this month.",
                [
                    {
                        "loc": ["body", "month"],
                        "message": f"No report of {obj.name} for {payload.month}.",
                    }
                ],
            )
    do_pick_presenter(event, team=obj, by=request.user, report=report, topic=payload.topic)
    return _fresh(standing, event)


@router.delete(
    SESSION + "/presenters/{team}",
    auth=write_auth,
    response={200: SessionOut, **ERROR_RESPONSES},
    summary="The team no longer presents (staff)",
)
def remove_presenter(request: HttpRequest, slug: str, session_id: ObjectId, team: str):
    standing, event = _staff_session(request, slug, session_id)
    presenter = Presenter.objects.filter(
        event=event, team=get_team_for_user(standing, team)
    ).first()
    if presenter is None:
        raise Http404("The team does not present at this session.")
    do_remove_presenter(presenter)
    return _fresh(standing, event)


@router.put(
    SESSION + "/attendance",
    auth=write_auth,
    response={200: SessionOut, **ERROR_RESPONSES},
    summary="Record who attended: the usernames listed were there, every other current team "
    "member was not (staff)",
)
@transaction.atomic
def record_attendance(request: HttpRequest, slug: str, session_id: ObjectId, payload: AttendanceIn):
    standing, event = _staff_session(request, slug, session_id)
    rows = list(
        Membership.objects.filter(
            team__collaborative=standing.collaborative, ended_on__isnull=True
        ).values_list("person__username", "person_id", "team_id")
    )
    members = {name: pk for name, pk, _team in rows}
    unknown = [
        {"loc": ["body", "present", i], "message": f"{name!r} is not a current team member."}
        for i, name in enumerate(payload.present)
        if name not in members
    ]
    if unknown:
        raise ApiError(422, "Some of these people are not members of a team.", unknown)
    listed = set(payload.present)
    do_record_attendance(
        event,
        present={pk: name in listed for name, pk in members.items()},
        teams={pk: team for _name, pk, team in rows},
    )
    return _fresh(standing, event)
