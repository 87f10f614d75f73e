"""Writes about people: invitations, accepting them, creating the first director."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from breakthrough.notifications.actions import absolute_url, do_send_email

from .models import Invitation, hash_token

User = get_user_model()


class InvitationError(Exception):
    """The invitation link cannot be used; the message says why."""


@transaction.atomic
def do_invite_person(
    *,
    inviter,
    collaborative,
    email: str,
    full_name: str = "",
    staff_role: str = "",
    team=None,
    team_roles: list[str] | None = None,
    partner: str = "",
    agency=None,
) -> Invitation:
    """Create an invitation and e-mail its link.

    Earlier pending invitations of the same person for the same role lapse.
    """
    email = email.strip().lower()
    Invitation.objects.filter(
        collaborative=collaborative,
        email=email,
        team=team,
        staff_role=staff_role,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=timezone.now())
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name.strip(),
        collaborative=collaborative,
        staff_role=staff_role,
        team=team,
        team_roles=team_roles or [],
        partner=partner,
        agency=agency,
        token_hash=hash_token(token),
        invited_by=inviter,
        expires_at=Invitation.default_expiry(),
    )
    do_send_email(
        to=email,
        template="accounts/email/invitation",
        context={
            "invitation": invitation,
            "inviter": inviter,
            "link": absolute_url(reverse("accounts:accept-invitation", args=[token])),
        },
        kind="invitation",
        collaborative=collaborative,
    )
    return invitation


def get_invitation_by_token(token: str) -> Invitation:
    """The invitation for a link, or InvitationError saying exactly why it cannot be used."""
    try:
        invitation = Invitation.objects.select_related("collaborative", "team").get(
            token_hash=hash_token(token)
        )
    except Invitation.DoesNotExist:
        raise InvitationError(
            "This invitation link is not valid. Check that you copied the whole link, "
            "or ask the person who invited you for a new one."
        ) from None
    if invitation.accepted_at:
        raise InvitationError(
            "This invitation has already been used. Log in with the account it created, "
            "or reset your password if you have forgotten it."
        )
    if invitation.revoked_at:
        raise InvitationError(
            "This invitation was withdrawn or replaced by a newer one. "
            "Use the link in the most recent invitation e-mail."
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            f"This invitation expired on {timezone.localtime(invitation.expires_at):%d %B %Y}. "
            "Ask the person who invited you to send a new one."
        )
    return invitation


def _grant(invitation: Invitation, person) -> None:
    from breakthrough.collaboratives.models import StaffRole
    from breakthrough.teams.models import Membership

    if invitation.team_id:
        roles = set(invitation.team_roles)
        membership, _ = Membership.objects.get_or_create(
            team=invitation.team, person=person, defaults={"agency": invitation.agency}
        )
        membership.is_senior_leader |= "senior_leader" in roles
        membership.is_day_to_day_lead |= "day_to_day_lead" in roles
        membership.is_data_contact |= "data_contact" in roles
        membership.partner = invitation.partner or membership.partner
        membership.agency = invitation.agency or membership.agency
        membership.ended_on = None
        membership.save()
    if invitation.staff_role:
        StaffRole.objects.update_or_create(
            collaborative=invitation.collaborative,
            person=person,
            role=invitation.staff_role,
            defaults={"ended_on": None},
        )


@transaction.atomic
def do_accept_invitation(
    invitation: Invitation,
    *,
    user=None,
    username: str = "",
    full_name: str = "",
    password: str = "",
):
    """Accept an invitation: as the logged-in `user`, or by creating an account with a password."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != "pending":
        raise InvitationError("This invitation can no longer be used.")
    if user is None:
        user = User(
            username=username,
            email=invitation.email,
            full_name=full_name or invitation.full_name,
        )
        user.set_password(password)
        user.save()
    _grant(invitation, user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


@transaction.atomic
def do_revoke_invitation(invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def do_create_director(
    *, username: str, email: str, full_name: str, password: str, collaborative_name: str = ""
):
    """The first account of an installation: a platform administrator, optionally directing a
    new collaborative named `collaborative_name`."""
    from django.utils.text import slugify

    from breakthrough.collaboratives.models import Collaborative, StaffRole

    user = User.objects.create_user(
        username=username,
        email=email,
        password=password,
        full_name=full_name,
        is_staff=True,
        is_superuser=True,
    )
    if collaborative_name:
        collaborative = Collaborative.objects.create(
            name=collaborative_name, slug=slugify(collaborative_name)[:50]
        )
        StaffRole.objects.create(
            collaborative=collaborative, person=user, role=StaffRole.Role.DIRECTOR
        )
    return user
