"""Template helpers for tests of change, and the section the team page includes."""

from __future__ import annotations

from collections import Counter

from django import template
from django.db.models import Count

from ..models import STATES, PDSACycle, stage_label

register = template.Library()


@register.filter
def stage(state: str, vocab: dict) -> str:
    """The stage's name in the collaborative's words: {{ cycle.state|stage:standing.vocab }}."""
    return stage_label(state, vocab or {}) if state in STATES else state


@register.inclusion_tag("pdsa/_team_section.html", takes_context=True)
def team_tests_of_change(context, team) -> dict:
    """The "Tests of change" section of a team page: cycles by stage and the latest ones."""
    standing = context["standing"]
    readable = standing.can_read_team(team)
    counts: Counter = Counter()
    latest: list[PDSACycle] = []
    if readable:
        counts.update(
            dict(
                PDSACycle.objects.filter(team=team)
                .values_list("state")
                .annotate(n=Count("id"))
                .order_by()
                .values_list("state", "n")
            )
        )
        latest = list(
            PDSACycle.objects.filter(team=team)
            .select_related("ramp__change_node")
            # Only what the list shows, not the worksheets' text and JSON.
            .only("id", "title", "cycle_no", "state", "decision", "ramp__change_node__code")
            .order_by("-state_changed_at", "-id")[:5]
        )
    vocab = standing.vocab
    return {
        "standing": standing,
        "collaborative": standing.collaborative,
        "team": team,
        "readable": readable,
        "stages": [(stage_label(s, vocab), counts.get(s, 0)) for s in STATES],
        "total": sum(counts.values()),
        "latest": latest,
        "can_edit": standing.can_edit_team(team),
    }
