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
