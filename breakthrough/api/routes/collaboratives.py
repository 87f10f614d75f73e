"""Collaboratives, reporting periods, teams, memberships and invitations."""

from datetime import date
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from breakthrough.accounts.actions import do_invite_person
from breakthrough.collaboratives.access import (
    active_membership_q,
    collaboratives_for_user,
    get_standing_for_user,
)
from breakthrough.collaboratives.actions import do_update_collaborative
from breakthrough.collaboratives.models import Collaborative, ReportingPeriod
from breakthrough.teams.access import get_team_for_user, teams_for_standing
from breakthrough.teams.actions import do_update_membership, do_update_team
from breakthrough.teams.models import Agency, Membership, Team

from ..auth import write_auth
from ..errors import ERROR_RESPONSES, ApiError, reject_nulls
from ..schemas import (
    CollaborativeDetailOut,
    CollaborativeOut,
    CollaborativePatch,
    InvitationIn,
    InvitationOut,
    MembershipOut,
    MembershipPatch,
    MeOut,
    ObjectId,
    PeriodOut,
    TeamOut,
    TeamPatch,
)

router = Router(tags=["Collaboratives and teams"])


def collaborative_out(c: Collaborative) -> dict:
    return {
        **{f: getattr(c, f) for f in CollaborativeOut.model_fields if f != "vocabulary"},
        "vocabulary": c.vocab,
    }


def team_out(team: Team, standing) -> dict:
    return {
        "slug": team.slug,
        "code": team.code,
        "name": team.name,
        "jurisdiction": {
            "name": team.jurisdiction.name,
            "kind": team.jurisdiction.kind,
            "region": team.jurisdiction.region,
        },
        "status": team.status,
        "joined_on": team.joined_on,
        "data_visibility": team.data_visibility,
        "aim": team.aim,
        "edit_version": team.edit_version,
        "you": {
            "read_work": standing.can_read_team(team),
            "edit": standing.can_edit_team(team),
            "manage": standing.can_manage_team(team),
        },
    }


def membership_out(m: Membership) -> dict:
    return {
        "id": m.pk,
        "team": m.team.slug,
        "person": {"username": m.person.username, "name": m.person.display_name},
        "agency": m.agency.name if m.agency_id else None,
        "roles": [c for c in m.role_codes if c != "member"],
        "partner": m.partner,
        "started_on": m.started_on,
        "ended_on": m.ended_on,
    }


@router.get("/me", response={200: MeOut, **ERROR_RESPONSES}, summary="Who the token acts as")
def me(request: HttpRequest):
    token = request.auth
    return {
        "username": request.user.username,
        "name": request.user.display_name,
        "token": {"name": token.name, "scope": token.scope, "expires_at": token.expires_at},
        "collaboratives": list(
            collaboratives_for_user(request.user).order_by("slug").values_list("slug", flat=True)
        ),
    }


@router.get(
    "/collaboratives",
    response={200: list[CollaborativeOut], **ERROR_RESPONSES},
    summary="Collaboratives you belong to",
)
@paginate
def list_collaboratives(request: HttpRequest) -> QuerySet:
    return collaboratives_for_user(request.user).order_by("slug")


@router.get(
    "/collaboratives/{slug}",
    response={200: CollaborativeDetailOut, **ERROR_RESPONSES},
    summary="One collaborative, with your standing in it",
)
def get_collaborative(request: HttpRequest, slug: str):
    standing = get_standing_for_user(request.user, slug)
    return _detail(standing)


def _detail(standing) -> dict:
    teams = dict(Team.objects.filter(pk__in=standing.team_ids).values_list("pk", "slug"))
    return {
        **collaborative_out(standing.collaborative),
        "you": {
            "roles": sorted(standing.roles),
            "teams": sorted(teams.values()),
            "is_staff": standing.is_staff,
            "can_manage": standing.can_manage,
        },
    }


@router.patch(
    "/collaboratives/{slug}",
    auth=write_auth,
    response={200: CollaborativeDetailOut, **ERROR_RESPONSES},
    summary="Change a collaborative's set-up (managers)",
)
def patch_collaborative(request: HttpRequest, slug: str, payload: CollaborativePatch):
    standing = get_standing_for_user(request.user, slug, manage=True)
    changes = reject_nulls(payload.model_dump(exclude_unset=True), nullable={"start", "end"})
    do_update_collaborative(standing.collaborative, **changes)
    return _detail(standing)


@router.get(
    "/collaboratives/{slug}/periods",
    response={200: list[PeriodOut], **ERROR_RESPONSES},
    summary="Reporting periods",
)
@paginate
def list_periods(
    request: HttpRequest,
    slug: str,
    period_from: date | None = None,
    period_to: date | None = None,
) -> QuerySet:
    standing = get_standing_for_user(request.user, slug)
    periods = ReportingPeriod.objects.filter(collaborative=standing.collaborative)
    if period_from:
        periods = periods.filter(start__gte=period_from)
    if period_to:
        periods = periods.filter(start__lte=period_to)
    return periods.order_by("start")


@router.get(
    "/collaboratives/{slug}/teams",
    response={200: list[TeamOut], **ERROR_RESPONSES},
    summary="Teams of a collaborative",
)
@paginate
def list_teams(
    request: HttpRequest,
    slug: str,
    status: Literal["forming", "active", "withdrawn", "completed"] | None = None,
) -> list:
    standing = get_standing_for_user(request.user, slug)
    teams = teams_for_standing(standing).order_by("name", "pk")
    if status:
        teams = teams.filter(status=status)
    return _LazyList(teams, lambda t: team_out(t, standing))


class _LazyList:
    """A queryset the paginator slices before the rows are turned into dicts."""

    def __init__(self, queryset: QuerySet, convert):
        self.queryset = queryset
        self.convert = convert

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self.convert(x) for x in self.queryset[item]]
        return self.convert(self.queryset[item])


@router.get(
    "/collaboratives/{slug}/teams/{team}",
    response={200: TeamOut, **ERROR_RESPONSES},
    summary="One team",
)
def get_team(request: HttpRequest, slug: str, team: str):
    standing = get_standing_for_user(request.user, slug)
    return team_out(get_team_for_user(standing, team), standing)


@router.patch(
    "/collaboratives/{slug}/teams/{team}",
    auth=write_auth,
    response={200: TeamOut, **ERROR_RESPONSES},
    summary="Change a team's aim or sharing (team leads and managers)",
)
def patch_team(request: HttpRequest, slug: str, team: str, payload: TeamPatch):
    standing = get_standing_for_user(request.user, slug)
    obj = get_team_for_user(standing, team, manage=True)
    do_update_team(
        obj,
        aim=payload.aim if payload.aim is not None else obj.aim,
        data_visibility=payload.data_visibility or obj.data_visibility,
        expected_version=payload.edit_version,
    )
    return team_out(obj, standing)


@router.get(
    "/collaboratives/{slug}/memberships",
    response={200: list[MembershipOut], **ERROR_RESPONSES},
    summary="Team memberships (filter by team; past members with include_ended)",
)
@paginate
def list_memberships(
    request: HttpRequest, slug: str, team: str | None = None, include_ended: bool = False
):
    standing = get_standing_for_user(request.user, slug)
    memberships = Membership.objects.filter(team__collaborative=standing.collaborative)
    if team:
        memberships = memberships.filter(team=get_team_for_user(standing, team))
    if not include_ended:
        memberships = memberships.filter(active_membership_q())
    memberships = memberships.select_related("team", "person", "agency").order_by(
        "team__name", "person__full_name", "pk"
    )
    return _LazyList(memberships, membership_out)


def _membership(standing, pk: int) -> Membership:
    m = (
        Membership.objects.select_related("team", "person", "agency")
        .filter(team__collaborative=standing.collaborative, pk=pk)
        .first()
    )
    if m is None:
        raise ApiError(404, "No such membership.")
    return m


@router.patch(
    "/collaboratives/{slug}/memberships/{membership_id}",
    auth=write_auth,
    response={200: MembershipOut, **ERROR_RESPONSES},
    summary="Change a member's team roles, or end the membership (team leads and managers)",
)
def patch_membership(
    request: HttpRequest, slug: str, membership_id: ObjectId, payload: MembershipPatch
):
    standing = get_standing_for_user(request.user, slug)
    m = _membership(standing, membership_id)
    if not standing.can_manage_team(m.team):
        raise PermissionDenied("Only the team's leads and collaborative staff may change this.")
    do_update_membership(m, roles=payload.roles, partner=payload.partner, end=payload.end)
    return membership_out(m)


@router.post(
    "/collaboratives/{slug}/teams/{team}/invitations",
    auth=write_auth,
    response={201: InvitationOut, **ERROR_RESPONSES},
    summary="Invite someone to a team by e-mail (team leads and managers)",
)
def invite_to_team(request: HttpRequest, slug: str, team: str, payload: InvitationIn):
    standing = get_standing_for_user(request.user, slug)
    obj = get_team_for_user(standing, team, manage=True)
    agency = None
    if payload.agency:
        agency = Agency.objects.filter(jurisdiction=obj.jurisdiction, name=payload.agency).first()
        if agency is None:
            raise ApiError(
                422,
                "Unknown agency.",
                [
                    {
                        "loc": ["body", "agency"],
                        "message": f"{obj.jurisdiction} has no agency {payload.agency!r}.",
                    }
                ],
            )
    invitation = do_invite_person(
        inviter=request.user,
        collaborative=standing.collaborative,
        email=payload.email,
        full_name=payload.full_name,
        team=obj,
        team_roles=list(payload.roles),
        partner=payload.partner,
        agency=agency,
    )
    return Status(
        201,
        {
            "email": invitation.email,
            "role": invitation.role_description,
            "status": invitation.status,
            "expires_at": invitation.expires_at,
        },
    )
