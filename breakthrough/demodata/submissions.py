"""Demo: the state of every team's monthly measure data (DEMO.md §7, §9).

Months with values are submitted a day after they were entered; Sable Bay's re-forming months
and Granite Pass's winter months are skipped with their reasons; in the last month (December
2009) three teams are still drafting; Brightwater's March 2009 data were reopened to fix an M3
denominator and submitted again; Cedar Valley's November 2009 data are reopened now.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from breakthrough.collaboratives.models import StaffRole
from breakthrough.measures.models import MeasureValue, Submission

from . import DemoContext
from .measures import MONTHS, NO_DATA, entered_at

SKIP_REASONS = {
    "SB": "Team re-forming after the reorganisation; the data contact joins in January.",
    "GP": "Data contact on leave.",
}
LAST = MONTHS[-1]
DRAFT_NOW = {"AG", "GP", "CL"}  # still drafting the last month
RESUBMITTED = ("BW", date(2009, 3, 1), "M3 denominator counted a transferred youth twice.")
REOPENED_NOW = ("CV", date(2009, 11, 1), "M4 denominator to be checked against the court list.")


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(ctx: DemoContext) -> None:
    with_values = set(
        MeasureValue.objects.filter(team__collaborative=ctx.collaborative, stratum="")
        .values_list("team_id", "period_id")
        .distinct()
    )
    coaches = {
        team_id: role.person
        for role in StaffRole.objects.filter(collaborative=ctx.collaborative, role="coach")
        .select_related("person")
        .prefetch_related("teams")
        for team_id in role.teams.values_list("pk", flat=True)
    }
    rows: list[Submission] = []
    for code, team in ctx.teams.items():
        contact = team.memberships.filter(is_data_contact=True).order_by("-started_on").first()
        person = contact.person if contact else None
        lead = team.memberships.filter(is_day_to_day_lead=True).first()
        for month in MONTHS:
            period = ctx.periods[f"{month:%Y-%m}"]
            entered = entered_at(code, period)
            s = Submission(team=team, period=period, updated_by=person, updated_at=entered)
            if month in NO_DATA.get(code, set()):
                if code in SKIP_REASONS and (code != "GP" or month.month in (12, 1)):
                    s.state = Submission.State.SKIPPED
                    s.skip_reason = SKIP_REASONS[code]
                    s.updated_by = lead.person if lead else person
                else:
                    continue  # an empty month nobody started (Granite Pass, July 2009)
            elif (team.pk, period.pk) not in with_values:
                continue
            elif month == LAST and code in DRAFT_NOW:
                s.state = Submission.State.DRAFT
            else:
                s.state = Submission.State.SUBMITTED
                s.submitted_at = s.first_submitted_at = entered + timedelta(days=1)
                s.submitted_by = person
                if (code, month) == RESUBMITTED[:2]:
                    s.reopened_at = s.submitted_at + timedelta(days=3)
                    s.reopened_by = coaches.get(team.pk)
                    s.reopen_reason = RESUBMITTED[2]
                    s.submitted_at = s.reopened_at + timedelta(hours=5)
                    s.edit_version = 3
                if (code, month) == REOPENED_NOW[:2]:
                    s.state = Submission.State.REOPENED
                    s.reopened_at = s.submitted_at + timedelta(days=4)
                    s.reopened_by = coaches.get(team.pk)
                    s.reopen_reason = REOPENED_NOW[2]
                    s.edit_version = 2
                s.updated_at = s.reopened_at or s.submitted_at
            rows.append(s)
    bulk_create_with_history(rows, Submission, batch_size=500)
    states: dict[str, int] = {}
    for s in rows:
        states[s.state] = states.get(s.state, 0) + 1
    ctx.log("    " + ", ".join(f"{n} {state}" for state, n in sorted(states.items())))
