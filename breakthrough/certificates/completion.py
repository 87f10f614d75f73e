"""Completion rules: attendance plus the team's accepted capstone.

`progress_for(program, enrolments)` reads attendance and capstones in three queries for any
number of participants; `Progress` says what is met and, in words, what is still missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from breakthrough.collaboratives.models import Attendance

from .models import Capstone, Enrolment, Program


@dataclass(frozen=True)
class Progress:
    sessions: int
    attended: int
    required: int
    capstone_required: bool
    capstone_status: str | None  # None: the team has not started one

    @property
    def attendance_met(self) -> bool:
        return self.sessions > 0 and self.attended >= self.required

    @property
    def capstone_met(self) -> bool:
        return not self.capstone_required or self.capstone_status == Capstone.Status.ACCEPTED

    @property
    def complete(self) -> bool:
        return self.attendance_met and self.capstone_met

    @property
    def percent(self) -> int:
        return round(100 * self.attended / self.sessions) if self.sessions else 0

    @property
    def missing(self) -> list[str]:
        out = []
        if self.sessions == 0:
            out.append("The program has no sessions yet.")
        elif not self.attendance_met:
            out.append(
                f"Attend {self.required - self.attended} more session"
                f"{'s' if self.required - self.attended != 1 else ''} "
                f"({self.attended} of {self.sessions} so far; {self.required} needed)."
            )
        if not self.capstone_met:
            label = dict(Capstone.Status.choices).get(self.capstone_status or "", "not started")
            out.append(f"The team's capstone must be accepted (now: {label.lower()}).")
        return out


def progress_for(program: Program, enrolments: list[Enrolment]) -> dict[int, Progress]:
    """Progress of each enrolment (by its id)."""
    event_ids = list(program.sessions.values_list("event_id", flat=True))
    people = {e.pk: e.participant for e in enrolments}
    person_ids = [p.pk for p in people.values() if p is not None]
    attended: dict[int, int] = {}
    if event_ids and person_ids:
        for person_id in Attendance.objects.filter(
            event_id__in=event_ids, person_id__in=person_ids, attended=True
        ).values_list("person_id", flat=True):
            attended[person_id] = attended.get(person_id, 0) + 1
    capstones = dict(program.capstones.values_list("team_id", "status"))
    total = len(event_ids)
    required = program.sessions_required(total)
    return {
        e.pk: Progress(
            sessions=total,
            attended=attended.get(people[e.pk].pk, 0) if people[e.pk] else 0,
            required=required,
            capstone_required=program.capstone_required,
            capstone_status=capstones.get(e.team_id),
        )
        for e in enrolments
    }
