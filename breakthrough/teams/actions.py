from __future__ import annotations

from django.db import transaction

from breakthrough.concurrency import save_versioned

from .models import Team


@transaction.atomic
def do_update_team(team: Team, *, aim: str, data_visibility: str, expected_version: int) -> Team:
    """Change a team's aim and sharing; EditConflict if someone saved it meanwhile."""
    team.aim = aim
    team.data_visibility = data_visibility
    save_versioned(team, expected_version, ["aim", "data_visibility"])
    return team


TEAM_ROLE_CODES = ("senior_leader", "day_to_day_lead", "data_contact")


@transaction.atomic
def do_update_membership(
    membership,
    *,
    roles: list[str] | None = None,
    partner: str | None = None,
    ended_on=None,
    end: bool = False,
):
    """Change a member's team roles or partner kind, or end the membership (`end=True`).

    `roles` lists the team roles the person holds (an empty list means a plain member).
    """
    fields: list[str] = []
    if roles is not None:
        unknown = set(roles) - set(TEAM_ROLE_CODES)
        if unknown:
            from django.core.exceptions import ValidationError

            raise ValidationError({"roles": f"Unknown team role(s): {', '.join(sorted(unknown))}."})
        membership.is_senior_leader = "senior_leader" in roles
        membership.is_day_to_day_lead = "day_to_day_lead" in roles
        membership.is_data_contact = "data_contact" in roles
        fields += ["is_senior_leader", "is_day_to_day_lead", "is_data_contact"]
    if partner is not None:
        membership.partner = partner
        fields.append("partner")
    if end or ended_on is not None:
        from django.utils import timezone

        membership.ended_on = ended_on or timezone.localdate()
        fields.append("ended_on")
    if fields:
        membership.full_clean(exclude=["team", "person", "agency"])
        membership.save(update_fields=fields)
    return membership
