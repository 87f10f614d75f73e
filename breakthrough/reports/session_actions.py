"""Writes of the learning-session pages: presenters, attendance, agenda, materials, storyboards."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from breakthrough.collaboratives.models import AgendaItem, Attendance

from .actions import ReportError
from .models import Presenter, SessionMaterial, Storyboard


@transaction.atomic
def do_pick_presenter(event, *, team, by, report=None, topic: str = "") -> Presenter:
    if team.collaborative_id != event.collaborative_id:
        raise ReportError("That team is not in this collaborative.")
    order = event.presenters.count() + 1
    presenter, created = Presenter.objects.get_or_create(
        event=event,
        team=team,
        defaults={"report": report, "topic": topic, "chosen_by": by, "order": order},
    )
    if not created:
        presenter.report = report or presenter.report
        presenter.topic = topic or presenter.topic
        presenter.save(update_fields=["report", "topic"])
    return presenter


@transaction.atomic
def do_remove_presenter(presenter: Presenter) -> None:
    presenter.delete()


@transaction.atomic
def do_record_attendance(event, *, present: dict[int, bool], teams: dict[int, int | None]) -> int:
    """Set who attended (person id -> attended); returns the number of people present."""
    existing = {a.person_id: a for a in event.attendance.all()}
    for person_id, attended in present.items():
        row = existing.get(person_id)
        if row is None:
            if attended:
                Attendance.objects.create(
                    event=event, person_id=person_id, team_id=teams.get(person_id), attended=True
                )
        elif row.attended != attended:
            row.attended = attended
            row.save(update_fields=["attended"])
    return event.attendance.filter(attended=True).count()


@transaction.atomic
def do_add_agenda_item(event, *, title: str, day=None, time=None, lead: str = "") -> AgendaItem:
    order = (event.agenda.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    return AgendaItem.objects.create(
        event=event, title=title, day=day, time=time, lead=lead, order=order
    )


@transaction.atomic
def do_remove_agenda_item(item: AgendaItem) -> None:
    item.delete()


@transaction.atomic
def do_add_material(event, *, title: str, file=None, url: str = "", by=None) -> SessionMaterial:
    material = SessionMaterial(event=event, title=title, file=file or "", url=url, added_by=by)
    material.full_clean()
    material.save()
    return material


@transaction.atomic
def do_upload_storyboard(event, *, team, title: str, file, by=None) -> Storyboard:
    """Upload (or replace) the team's storyboard for the convening; it goes back to review."""
    storyboard = Storyboard.objects.filter(event=event, team=team).first()
    if storyboard is None:
        return Storyboard.objects.create(
            event=event, team=team, title=title, file=file, uploaded_by=by
        )
    storyboard.file.delete(save=False)
    storyboard.title = title
    storyboard.file = file
    storyboard.uploaded_by = by
    storyboard.uploaded_at = timezone.now()
    storyboard.review_status = Storyboard.Review.SUBMITTED
    storyboard.save()
    return storyboard


@transaction.atomic
def do_review_storyboard(storyboard: Storyboard, *, status: str, notes: str = "") -> Storyboard:
    storyboard.review_status = status
    storyboard.review_notes = notes
    storyboard.save(update_fields=["review_status", "review_notes"])
    return storyboard
