"""Who may see and change what in a collaborative: the one place the rules live.

- Staff (director, advisor, chair, faculty, coach, coordinator) see and change everything in
  their collaborative; platform administrators everywhere.
- Team members change their own team's work.
- With sharing on, members of other teams and sponsor observers read a team's work, unless the
  team chose faculty-only sharing.
- Evaluators see the collaborative and aggregate exports only.
- Nobody outside the collaborative sees anything of it: they get a 404, not a hint it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, CharField, IntegerField, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from .models import Collaborative, StaffRole


@dataclass
class Standing:
    """A person's standing in one collaborative, computed once per request."""

    user: object
    collaborative: Collaborative
    roles: frozenset[str] = frozenset()
    team_ids: frozenset[int] = frozenset()
    lead_team_ids: frozenset[int] = frozenset()
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def is_admin(self) -> bool:
        return bool(getattr(self.user, "is_superuser", False))

    @property
    def is_staff(self) -> bool:
        """Runs the collaborative: sees and changes everything in it."""
        return self.is_admin or bool(self.roles & StaffRole.STAFF_ROLES)

    @property
    def can_manage(self) -> bool:
        """May invite people, change roles and edit the collaborative's set-up."""
        return self.is_admin or bool(self.roles & StaffRole.MANAGER_ROLES)

    @property
    def is_observer(self) -> bool:
        return "observer" in self.roles

    @property
    def is_evaluator(self) -> bool:
        return "evaluator" in self.roles

    @property
    def is_member(self) -> bool:
        return bool(self.team_ids)

    @cached_property
    def vocab(self) -> dict[str, str]:
        return self.collaborative.vocab

    def shares(self, team) -> bool:
        return self.collaborative.teams_share_work and team.shares_with_collaborative

    def can_read_team(self, team) -> bool:
        """May read the team's work: PDSAs, charts, narratives."""
        if team.collaborative_id != self.collaborative.pk:
            return False
        if self.is_staff or team.pk in self.team_ids:
            return True
        return (self.is_member or self.is_observer) and self.shares(team)

    def can_edit_team(self, team) -> bool:
        """May change the team's work."""
        if team.collaborative_id != self.collaborative.pk:
            return False
        return self.is_staff or team.pk in self.team_ids

    def can_manage_team(self, team) -> bool:
        """May change the team's settings: aim, sharing, roster."""
        if team.collaborative_id != self.collaborative.pk:
            return False
        return self.can_manage or team.pk in self.lead_team_ids

    def sees_true_counts(self, team) -> bool:
        """The team's own view and the faculty view show small counts; others see '<5'."""
        return self.is_staff or team.pk in self.team_ids


def active_membership_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": today})


def standing_for(user, collaborative: Collaborative) -> Standing:
    """Compute a person's standing in a collaborative (no access check)."""
    if not getattr(user, "is_authenticated", False):
        return Standing(user=user, collaborative=collaborative)
    from breakthrough.teams.models import Membership

    # Staff roles and team memberships in one round trip (every page and API call needs both):
    # rows of (role, None, False, False) and ("", team id, senior leader, day-to-day lead).
    no_team = Value(None, output_field=IntegerField())
    no = Value(False, output_field=BooleanField())
    roles_q = (
        StaffRole.objects.filter(collaborative=collaborative, person=user)
        .filter(active_membership_q())
        .order_by()
        .values_list("role", no_team, no, no)
    )
    members_q = (
        Membership.objects.filter(team__collaborative=collaborative, person=user)
        .filter(active_membership_q())
        .order_by()
        .values_list(
            Value("", output_field=CharField()),
            "team_id",
            "is_senior_leader",
            "is_day_to_day_lead",
        )
    )
    rows = list(roles_q.union(members_q, all=True))
    memberships = [r[1:] for r in rows if r[1] is not None]
    return Standing(
        user=user,
        collaborative=collaborative,
        roles=frozenset(r[0] for r in rows if r[1] is None),
        team_ids=frozenset(m[0] for m in memberships),
        lead_team_ids=frozenset(m[0] for m in memberships if m[1] or m[2]),
    )


def get_standing_for_user(
    user, slug: str, *, manage: bool = False, staff: bool = False
) -> Standing:
    """The collaborative `slug` with the person's standing; 404 if they are not part of it.

    `staff=True` requires a staff role and `manage=True` a managing role (403 otherwise).
    """
    try:
        collaborative = Collaborative.objects.get(slug=slug)
    except Collaborative.DoesNotExist:
        raise Http404("No such collaborative.") from None
    standing = standing_for(user, collaborative)
    if not (standing.is_admin or standing.roles or standing.team_ids):
        raise Http404("No such collaborative.")
    if staff and not standing.is_staff:
        raise PermissionDenied("Only collaborative staff may do this.")
    if manage and not standing.can_manage:
        raise PermissionDenied("Only the collaborative's director, faculty or staff may do this.")
    return standing


def collaboratives_for_user(user) -> QuerySet[Collaborative]:
    """The collaboratives a person belongs to (all of them for a platform administrator)."""
    if not getattr(user, "is_authenticated", False):
        return Collaborative.objects.none()
    if user.is_superuser:
        return Collaborative.objects.all()
    return Collaborative.objects.filter(
        Q(
            pk__in=StaffRole.objects.filter(person=user)
            .filter(active_membership_q())
            .values("collaborative")
        )
        | Q(pk__in=user.memberships.filter(active_membership_q()).values("team__collaborative"))
    ).distinct()
