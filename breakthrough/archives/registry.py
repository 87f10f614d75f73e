"""Which models an archive holds, and how.

- Owned models belong to one collaborative: every model registered for collaborative history
  (`breakthrough.collaboratives.history.track`) is exported with its rows, unless excluded below.
  A new domain model that calls `track()` is therefore archived without further work.
- Shared models are used by several collaboratives (people, jurisdictions, agencies, agreements,
  organisations); an archive carries the rows its collaborative refers to, identified by natural
  keys, and an import reuses a row with the same key or creates it.
- Excluded models are named with the reason they are left out.

tests/test_registry.py fails when a model of the platform is in none of the three lists.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

# label -> fields forming its natural key (a foreign key in a key is replaced by its own key)
SHARED: dict[str, tuple[str, ...]] = {
    "accounts.user": ("username",),
    "collaboratives.organisation": ("name",),
    "teams.jurisdiction": ("name",),
    "teams.agency": ("jurisdiction", "name"),
    "teams.datasharingagreement": ("jurisdiction", "title"),
}

# Fields of shared models an archive does not carry.
SHARED_PRIVATE_FIELDS: dict[str, set[str]] = {
    # Passwords never leave the installation; the lived-experience flag is shown only to the
    # person and staff of their own collaboratives, so it stays behind too.
    "accounts.user": {
        "password",
        "last_login",
        "is_superuser",
        "is_staff",
        "date_joined",
        "lived_experience",
        "groups",
        "user_permissions",
    },
}

EXCLUDED: dict[str, str] = {
    "accounts.invitation": "pending invitations carry secret links valid on this installation only",
    "notifications.outgoingemail": "the log of e-mails sent by this installation",
    "api.apitoken": "personal credentials for this installation",
    "archives.exportrecord": "the log of exports made on this installation",
    "publications.build": "exported files of this installation; made again from the data at will",
}


def owned_models() -> list[tuple[type[models.Model], str]]:
    """(model, path to the collaborative id) for every archived model, parents first."""
    from breakthrough.collaboratives.history import TRACKED

    found = [(m, path) for label, (m, path) in TRACKED.items() if label not in EXCLUDED]
    return _parents_first(found)


def _parents_first(found: list[tuple[type[models.Model], str]]):
    labels = {m._meta.label_lower for m, _ in found}
    deps: dict[str, set[str]] = {}
    for m, _ in found:
        deps[m._meta.label_lower] = {
            f.related_model._meta.label_lower
            for f in m._meta.concrete_fields
            if f.is_relation
            and f.related_model is not m
            and f.related_model._meta.label_lower in labels
        }
    order: list[str] = []
    pending = dict(deps)
    while pending:
        ready = sorted(label for label, d in pending.items() if d <= set(order))
        if not ready:
            raise RuntimeError(f"Circular foreign keys among {sorted(pending)}")
        order.extend(ready)
        for label in ready:
            del pending[label]
    by_label = {m._meta.label_lower: (m, p) for m, p in found}
    return [by_label[label] for label in order]


def platform_models() -> list[type[models.Model]]:
    """Every concrete model of the platform's own apps (history tables aside)."""
    out = []
    for config in apps.get_app_configs():
        if not config.name.startswith("breakthrough."):
            continue
        for model in config.get_models():
            if model.__name__.startswith("Historical") or model._meta.auto_created:
                continue
            out.append(model)
    return out
