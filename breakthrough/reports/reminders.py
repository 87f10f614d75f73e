"""The reminder cadence of monthly reports (BRIEF §3.2), computed in the collaborative's time zone.

`ReminderPlanner` loads a collaborative's periods, teams, people and report states once; then
`for_day(day)` says, without touching the database, which messages are due that day, and
`for_person(person, start, days)` which ones a person will receive if nothing changes.
`do_send_reminders` (the `breakthrough send-reminders` command) sends a day's messages; each
carries a dedupe key, so running it twice on one day sends nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from breakthrough.collaboratives.models import Collaborative, ReportingPeriod, StaffRole
from breakthrough.notifications.actions import absolute_url, do_send_email
from breakthrough.teams.models import Membership, Team

from .models import MonthlyReport

# Phases in which teams report monthly and are reminded (BRIEF §3.1: the phase drives reminders).
REMINDER_PHASES = {Collaborative.Phase.ACTIVE, Collaborative.Phase.CLOSING}
FACULTY_ROLES = ("director", "advisor", "chair", "faculty", "coach", "staff")

KIND_LABELS = {
    "due_soon": "Reminder: your team's monthly report is due",
    "reported_list": "Teams that have reported",
    "overdue_list": "Teams that have not reported",
    "overdue_leader": "Your team's report is late (to the senior leader)",
    "overdue_digest": "Weekly overdue digest (to the coach)",
}


@dataclass(frozen=True)
class PlannedReminder:
    day: date
    kind: str
    person: object
    period: ReportingPeriod
    team: Team | None = None
    teams: tuple = ()
    days: int = 0  # days before (due_soon) or after (the rest) the due date
    periods: tuple = ()  # for the weekly digest: (period, team) pairs overdue

    @property
    def dedupe_key(self) -> str:
        team = f":t{self.team.pk}" if self.team else ""
        return f"reminder:{self.kind}:{self.days}:p{self.period.pk}{team}:u{self.person.pk}"

    @property
    def label(self) -> str:
        if self.kind == "due_soon":
            when = "tomorrow" if self.days == 1 else f"in {self.days} days"
            return f"Your team's {self.period.label} report is due {when}"
        return KIND_LABELS[self.kind]

    @property
    def template(self) -> str:
        return f"reports/email/{self.kind}"


@dataclass
class ReminderPlanner:
    collaborative: Collaborative
    periods: list[ReportingPeriod] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    members: dict[int, list[Membership]] = field(default_factory=dict)
    coaches: dict[int, list] = field(default_factory=dict)  # team id -> coaches
    faculty: list = field(default_factory=list)
    states: dict[tuple[int, int], str] = field(default_factory=dict)  # (team, period) -> state
    settings: object = None

    @classmethod
    def load(cls, collaborative: Collaborative) -> ReminderPlanner:
        from .actions import settings_for

        planner = cls(collaborative)
        planner.settings = settings_for(collaborative)
        planner.periods = list(collaborative.periods.filter(is_baseline=False).order_by("start"))
        planner.teams = list(
            Team.objects.filter(
                collaborative=collaborative, status__in=[Team.Status.ACTIVE, Team.Status.FORMING]
            ).order_by("name")
        )
        members: dict[int, list[Membership]] = defaultdict(list)
        for m in (
            Membership.objects.filter(team__in=planner.teams, ended_on__isnull=True)
            .select_related("person")
            .order_by("id")
        ):
            if m.person.email and m.person.is_active:
                members[m.team_id].append(m)
        planner.members = members
        coaches: dict[int, list] = defaultdict(list)
        faculty, seen = [], set()
        for role in (
            StaffRole.objects.filter(
                collaborative=collaborative, role__in=FACULTY_ROLES, ended_on__isnull=True
            )
            .select_related("person")
            .prefetch_related("teams")
            .order_by("role", "person__full_name")
        ):
            if role.role == "coach":
                for t in role.teams.all():
                    coaches[t.pk].append(role.person)
            if role.person_id not in seen and role.person.email and role.person.is_active:
                seen.add(role.person_id)
                faculty.append(role.person)
        planner.coaches = coaches
        planner.faculty = faculty
        planner.states = {
            (r["team_id"], r["period_id"]): r["state"]
            for r in MonthlyReport.objects.filter(team__collaborative=collaborative).values(
                "team_id", "period_id", "state"
            )
        }
        return planner

    # -- facts -----------------------------------------------------------------------------
    def enabled(self) -> bool:
        return self.collaborative.phase in REMINDER_PHASES and self.settings.reminders_enabled

    def expected(self, team: Team, period: ReportingPeriod) -> bool:
        """The team is expected to report for the period (it had joined by its end)."""
        return not (team.joined_on and team.joined_on > period.end)

    def reported(self, team: Team, period: ReportingPeriod) -> bool:
        return self.states.get((team.pk, period.pk)) in {"submitted", "reopened"}

    def outstanding(self, team: Team, period: ReportingPeriod) -> bool:
        """Neither submitted nor skipped with a reason."""
        return self.expected(team, period) and self.states.get((team.pk, period.pk)) not in {
            "submitted",
            "reopened",
            "skipped",
        }

    def _people(self, team: Team, *flags: str) -> list:
        return [
            m.person for m in self.members.get(team.pk, []) if any(getattr(m, f) for f in flags)
        ]

    # -- the cadence -----------------------------------------------------------------------
    def for_day(self, day: date) -> list[PlannedReminder]:
        if not self.enabled():
            return []
        cfg = self.settings
        out: list[PlannedReminder] = []
        overdue_last = max([*cfg.days_overdue, cfg.senior_leader_day or 0, 0])
        for period in self.periods:
            offset = (day - period.due_on).days
            if -offset in cfg.days_before:
                for team in self.teams:
                    if not self.outstanding(team, period):
                        continue
                    for person in _unique(
                        self._people(team, "is_data_contact", "is_day_to_day_lead")
                    ):
                        out.append(
                            PlannedReminder(day, "due_soon", person, period, team, days=-offset)
                        )
            if cfg.reported_list_day and offset == cfg.reported_list_day:
                reported = tuple(
                    t for t in self.teams if self.expected(t, period) and self.reported(t, period)
                )
                everyone = _unique(
                    p
                    for t in self.teams
                    for p in self._people(
                        t, "is_senior_leader", "is_day_to_day_lead", "is_data_contact"
                    )
                )
                for person in everyone:
                    out.append(
                        PlannedReminder(
                            day, "reported_list", person, period, teams=reported, days=offset
                        )
                    )
            late = tuple(t for t in self.teams if self.outstanding(t, period))
            if not late:
                continue
            if offset in cfg.days_overdue:
                for person in self.faculty:
                    out.append(
                        PlannedReminder(
                            day, "overdue_list", person, period, teams=late, days=offset
                        )
                    )
            if cfg.senior_leader_day and offset == cfg.senior_leader_day:
                for team in late:
                    for person in _unique(self._people(team, "is_senior_leader")):
                        out.append(
                            PlannedReminder(
                                day, "overdue_leader", person, period, team, days=offset
                            )
                        )
            if cfg.weekly_digest and offset > overdue_last and (offset - overdue_last) % 7 == 0:
                by_coach: dict[int, tuple[object, list]] = {}
                for team in late:
                    for coach in self.coaches.get(team.pk, []):
                        by_coach.setdefault(coach.pk, (coach, []))[1].append(team)
                for coach, teams in by_coach.values():
                    out.append(
                        PlannedReminder(
                            day, "overdue_digest", coach, period, teams=tuple(teams), days=offset
                        )
                    )
        return out

    def for_person(self, person, start: date, days: int = 45) -> list[PlannedReminder]:
        """The reminders the person will receive from `start` on, if no report changes."""
        return [
            r
            for n in range(days)
            for r in self.for_day(start + timedelta(days=n))
            if r.person.pk == person.pk
        ]


def _unique(people) -> list:
    seen, out = set(), []
    for p in people:
        if p.pk not in seen:
            seen.add(p.pk)
            out.append(p)
    return out


def local_today(collaborative: Collaborative) -> date:
    """Today in the collaborative's time zone (reminder days follow its calendar)."""
    return timezone.localdate(timezone=collaborative.tz)


def _context(reminder: PlannedReminder) -> dict:
    c = reminder.period.collaborative
    ctx = {
        "reminder": reminder,
        "period": reminder.period,
        "team": reminder.team,
        "teams": reminder.teams,
        "due_on": reminder.period.due_on,
        "console_url": absolute_url(reverse("reports:console", args=[c.slug])),
        "settings_url": absolute_url(reverse("reports:reminders", args=[c.slug])),
    }
    if reminder.team is not None:
        ctx["url"] = absolute_url(
            reverse(
                "reports:edit",
                args=[c.slug, reminder.team.slug, reminder.period.start.strftime("%Y-%m")],
            )
        )
    return ctx


def do_send_reminders(
    *, day: date | None = None, collaborative: Collaborative | None = None, dry_run: bool = False
) -> list[tuple[PlannedReminder, object]]:
    """Send the day's reminders of every collaborative (or one); return what was sent.

    `day` defaults to today in each collaborative's own time zone. Messages already sent (same
    dedupe key) are skipped and reported with None.
    """
    collaboratives = (
        [collaborative]
        if collaborative
        else list(Collaborative.objects.filter(phase__in=REMINDER_PHASES))
    )
    results = []
    for c in collaboratives:
        planner = ReminderPlanner.load(c)
        for reminder in planner.for_day(day or local_today(c)):
            if dry_run:
                results.append((reminder, None))
                continue
            with transaction.atomic():
                record = do_send_email(
                    to=reminder.person.email,
                    template=reminder.template,
                    context=_context(reminder),
                    kind=f"reminder_{reminder.kind}",
                    collaborative=c,
                    person=reminder.person,
                    dedupe_key=reminder.dedupe_key,
                )
            results.append((reminder, record))
    return results
