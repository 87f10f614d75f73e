"""Writes of the archives app: importing a collaborative, and the log of every export."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from .archive import SHARED_ORDER, ArchiveError, _m2m_fields, _model, label_of, read_archive
from .models import ExportRecord
from .registry import SHARED, owned_models

REASON = "Imported from an archive"


class _Import:
    def __init__(self) -> None:
        self.ids: dict[str, dict[int, int]] = {}
        self.shared: dict[str, dict[tuple, int]] = {}

    def key_lookup(self, model: type[models.Model], key: list) -> dict[str, Any]:
        """Field lookups for a natural key (a foreign key in the key takes its own key's share)."""
        lookups: dict[str, Any] = {}
        rest = list(key)
        for name in SHARED[label_of(model)]:
            f = model._meta.get_field(name)
            if f.is_relation:
                width = _key_width(f.related_model)
                part, rest = rest[:width], rest[width:]
                lookups[f.attname] = self.shared_pk(f.related_model, part)
            else:
                lookups[name] = f.to_python(rest.pop(0))
        return lookups

    def shared_pk(self, model: type[models.Model], key: list) -> int:
        label = label_of(model)
        try:
            return self.shared[label][tuple(key)]
        except KeyError:
            raise ArchiveError(
                f"The archive refers to {label} {key}, which it does not hold."
            ) from None

    def ref(self, target: type[models.Model], value: Any) -> int | None:
        if value is None:
            return None
        label = label_of(target)
        if label in SHARED:
            return self.shared_pk(target, value)
        try:
            return self.ids[label][value]
        except KeyError:
            raise ArchiveError(
                f"The archive refers to {label} #{value}, which it does not hold."
            ) from None


def _key_width(model: type[models.Model]) -> int:
    width = 0
    for name in SHARED[label_of(model)]:
        f = model._meta.get_field(name)
        width += _key_width(f.related_model) if f.is_relation else 1
    return width


def _check_fields(model: type[models.Model], row: dict[str, Any]) -> None:
    known = {f.name for f in model._meta.concrete_fields} | {f.name for f in _m2m_fields(model)}
    unknown = set(row) - known - {"id", "key"}
    if unknown:
        raise ArchiveError(
            f"{label_of(model)} in the archive has fields this installation does not know: "
            f"{', '.join(sorted(unknown))}. Upgrade Breakthrough to import it."
        )


def _scalar_fields(
    imp: _Import, model, row: dict[str, Any], files: dict[str, str], defer: set[str]
):
    values: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name not in row or f.name in defer:
            continue
        value = row[f.name]
        if f.is_relation:
            values[f.attname] = imp.ref(f.related_model, value)
        elif isinstance(f, models.FileField):
            values[f.attname] = files.get(value, value)
        else:
            values[f.attname] = f.to_python(value)
    return values


@transaction.atomic
def do_import_collaborative(
    path: str | Path, *, as_slug: str | None = None, log: Callable[[str], None] = lambda s: None
):
    """Import an archive as a new collaborative (into an empty installation, or as a copy).

    People, jurisdictions, agencies, agreements and organisations that already exist (by
    username or name) are reused, never changed. Everything is checked and written in one
    transaction: a failed import leaves nothing behind.
    """
    from breakthrough.collaboratives.models import Collaborative

    archive = read_archive(path)
    slug = as_slug or archive.manifest["collaborative"]["slug"]
    if Collaborative.objects.filter(slug=slug).exists():
        raise ArchiveError(
            f"This installation already has a collaborative '{slug}'; import it as a copy with "
            "--as-slug NEW-SLUG."
        )
    owned = owned_models()
    known = {label_of(m) for m, _ in owned} | set(SHARED)
    unknown = set(archive.entities) - known
    if unknown:
        raise ArchiveError(
            f"The archive holds {', '.join(sorted(unknown))}, which this installation does not "
            "know. Upgrade Breakthrough to import it."
        )
    files = {}
    for name, data in sorted(archive.files.items()):
        files[name] = default_storage.save(name, File(BytesIO(data), name=Path(name).name))
    imp = _Import()

    for label in SHARED_ORDER:
        model = _model(label)
        imp.shared[label] = {}
        created = 0
        for row in archive.entities.get(label, []):
            _check_fields(model, row)
            lookups = imp.key_lookup(model, row["key"])
            obj = model._default_manager.filter(**lookups).order_by("pk").first()
            if obj is None:
                values = _scalar_fields(imp, model, row, files, defer=set())
                values.update(lookups)
                obj = model(**values)
                if label == "accounts.user":
                    obj.set_unusable_password()
                obj._change_reason = REASON
                obj.save()
                for f in _m2m_fields(model):
                    if f.name in row:
                        getattr(obj, f.name).set([imp.ref(f.related_model, v) for v in row[f.name]])
                created += 1
            imp.shared[label][tuple(row["key"])] = obj.pk
        if archive.entities.get(label):
            log(f"  {label}: {created} new, {len(archive.entities[label]) - created} existing")

    collaborative = None
    for model, _ in owned:
        label = label_of(model)
        rows = archive.entities.get(label, [])
        imp.ids[label] = {}
        if not rows:
            continue
        self_fks = {
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is model
        }
        objs = []
        for row in rows:
            _check_fields(model, row)
            values = _scalar_fields(imp, model, row, files, defer=self_fks)
            if label == "collaboratives.collaborative":
                values["slug"] = slug
            objs.append(model(**values))
        objs = bulk_create_with_history(objs, model, batch_size=500, default_change_reason=REASON)
        if any(o.pk is None for o in objs):  # databases that do not return new keys
            raise ArchiveError(f"The database did not return the keys of the new {label} rows.")
        imp.ids[label] = {row["id"]: obj.pk for row, obj in zip(rows, objs, strict=True)}
        if self_fks:
            changed = []
            for row, obj in zip(rows, objs, strict=True):
                for name in self_fks:
                    f = model._meta.get_field(name)
                    setattr(obj, f.attname, imp.ref(model, row.get(name)))
                changed.append(obj)
            model._default_manager.bulk_update(
                changed, [model._meta.get_field(n).attname for n in self_fks], batch_size=500
            )
        if label == "collaboratives.collaborative":
            collaborative = objs[0]
        log(f"  {label}: {len(objs)}")

    for model, _ in owned:  # many-to-many links once every row exists
        label = label_of(model)
        for f in _m2m_fields(model):
            through = f.remote_field.through
            src = f.m2m_field_name()
            dst = f.m2m_reverse_field_name()
            links = [
                through(
                    **{
                        f"{src}_id": imp.ids[label][row["id"]],
                        f"{dst}_id": imp.ref(f.related_model, v),
                    }
                )
                for row in archive.entities.get(label, [])
                for v in row.get(f.name, [])
            ]
            through._default_manager.bulk_create(links, batch_size=500)
    if collaborative is None:
        raise ArchiveError("The archive holds no collaborative.")
    return collaborative


@transaction.atomic
def do_record_export(
    *, collaborative, kind: str, filename: str, sha256: str, rows: int, person=None, via: str
) -> ExportRecord:
    """Log an export (BRIEF §8: every export is logged)."""
    return ExportRecord.objects.create(
        collaborative=collaborative,
        collaborative_slug=collaborative.slug,
        kind=kind,
        filename=filename,
        sha256=sha256,
        rows=rows,
        person=person,
        via=via,
    )
