"""Optimistic concurrency for long forms: a second save is told what changed, never overwrites.

Editable models carry an `edit_version` that every save raises by one. A form posts the version
it was loaded with; if the row has moved on, `save_versioned` raises `EditConflict` listing the
fields the other person changed, and the form shows them beside the person's own input.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass
class FieldChange:
    name: str
    label: str
    theirs: object
    yours: object


class EditConflict(Exception):
    def __init__(self, current: models.Model, changes: list[FieldChange]):
        self.current = current
        self.changes = changes
        who = getattr(getattr(current, "history", None), "first", lambda: None)()
        self.changed_by = getattr(who, "history_user", None) if who else None
        names = ", ".join(c.label for c in changes) or "nothing you edited"
        super().__init__(f"Someone else saved this while you were editing ({names}).")


def save_versioned(instance: models.Model, expected_version: int, fields: list[str]) -> None:
    """Save `fields` of `instance` if nobody saved it since `expected_version`.

    Call inside `transaction.atomic()`. Raises EditConflict when the row moved on and any of
    `fields` differs from what the other person saved.
    """
    model = type(instance)
    current = model.objects.select_for_update().get(pk=instance.pk)
    if current.edit_version != expected_version:
        changes = [
            FieldChange(
                name=name,
                label=str(model._meta.get_field(name).verbose_name),
                theirs=getattr(current, name),
                yours=getattr(instance, name),
            )
            for name in fields
            if getattr(current, name) != getattr(instance, name)
        ]
        raise EditConflict(current, changes)
    instance.edit_version = current.edit_version + 1
    instance.save(update_fields=[*fields, "edit_version"])
