from __future__ import annotations

from django.db import transaction


@transaction.atomic
def do_restore_version(record, *, reason: str = "") -> object:
    """Restore the object to the state kept in a historical record (also undeletes it).

    The restore is itself recorded in the history, by whoever the request belongs to. An open
    form on the object is told of the restore, because the edit version still moves forward.
    """
    instance = record.instance
    current = record.instance_type.objects.filter(pk=instance.pk).first()
    if current is not None and hasattr(current, "edit_version"):
        instance.edit_version = current.edit_version + 1
    instance._change_reason = (
        reason or f"Restored the version of {record.history_date:%Y-%m-%d %H:%M}"
    )
    instance.save()
    return instance


# Fields of a collaborative its managers may change (from the set-up page or the API).
EDITABLE_COLLABORATIVE_FIELDS = (
    "name",
    "topic",
    "mission",
    "aim_statement",
    "start",
    "end",
    "phase",
    "rule_set",
    "teams_share_work",
    "suppression_threshold",
    "time_zone",
)


@transaction.atomic
def do_update_collaborative(collaborative, **changes) -> object:
    """Change a collaborative's set-up; ValidationError (per field) when the result is invalid."""
    unknown = set(changes) - set(EDITABLE_COLLABORATIVE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(collaborative, name, value)
    collaborative.full_clean()
    if changes:
        collaborative.save(update_fields=list(changes))
    return collaborative
