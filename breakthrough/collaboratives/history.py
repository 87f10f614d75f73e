"""The history of domain data (django-simple-history), gathered per collaborative.

Each app tracks its models here with the path from a historical row to its collaborative, so
staff can read the latest changes across the collaborative and restore an earlier version.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from django.db import models

TRACKED: dict[str, tuple[type[models.Model], str]] = {}


def track(model: type[models.Model], collaborative_path: str) -> None:
    """Register `model` (which has `history = HistoricalRecords()`) for collaborative history."""
    TRACKED[model._meta.label_lower] = (model, collaborative_path)


@dataclass
class Change:
    record: models.Model
    label: str

    @property
    def model_name(self) -> str:
        return str(self.record.instance_type._meta.verbose_name)

    @property
    def action(self) -> str:
        return {"+": "created", "~": "changed", "-": "deleted"}[self.record.history_type]

    @property
    def when(self):
        return self.record.history_date

    @property
    def who(self):
        return self.record.history_user

    @property
    def object_repr(self) -> str:
        try:
            return str(self.record.instance)
        except Exception:  # a related row of an old version may be gone
            return f"#{self.record.id}"


def history_queryset(label: str, collaborative_id: int):
    model, path = TRACKED[label]
    return model.history.filter(**{path: collaborative_id})


def recent_changes(
    collaborative_id: int, limit: int = 30, labels: list[str] | None = None
) -> list[Change]:
    streams = []
    for label in labels or list(TRACKED):
        rows = (
            history_queryset(label, collaborative_id)
            .select_related("history_user")
            .order_by("-history_date")[:limit]
        )
        streams.append([Change(r, label) for r in rows])
    merged = heapq.merge(*streams, key=lambda c: c.when, reverse=True)
    return [c for _, c in zip(range(limit), merged, strict=False)]


def describe_changes(record) -> list[tuple[str, object, object]]:
    """(field label, old, new) for a historical record against the version before it."""
    previous = record.prev_record
    if previous is None:
        return []
    technical = [f for f in ("edit_version",) if hasattr(record, f)]
    delta = record.diff_against(previous, excluded_fields=technical)
    model = record.instance_type
    out = []
    for change in delta.changes:
        try:
            label = str(model._meta.get_field(change.field).verbose_name)
        except Exception:
            label = change.field
        out.append((label, change.old, change.new))
    return out
