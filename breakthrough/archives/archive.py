"""The collaborative archive: one zip file holding everything of one collaborative.

Layout (format version 1, documented in docs/export-import.md):

    manifest.json                 format, version, source, and a SHA-256 for every other member
    entities/<app>.<model>.json   one file per model: {"model", "rows": [{"id": 1, ...}]}
    files/<storage name>          uploaded files, by their name in the storage

Rows of owned models get archive ids 1, 2, 3... in primary-key order, and foreign keys point to
those ids, so the content does not depend on the database it came from: export, import
elsewhere and export again give byte-identical entity files. Shared rows (people, jurisdictions,
agencies, agreements, organisations) are named by natural keys instead.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from .registry import SHARED, SHARED_PRIVATE_FIELDS, owned_models

FORMAT = "breakthrough-archive"
FORMAT_VERSION = 1
SHARED_ORDER = [
    "accounts.user",
    "collaboratives.organisation",
    "teams.jurisdiction",
    "teams.agency",
    "teams.datasharingagreement",
]
ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # fixed member times: same content, same bytes


class ArchiveError(Exception):
    """The archive cannot be written or read; the message says why."""


def dumps(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encode_scalar(value: Any) -> Any:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _m2m_fields(model: type[models.Model]) -> list[models.ManyToManyField]:
    return [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]


@dataclass
class _Export:
    ids: dict[str, dict[int, int]] = field(default_factory=dict)
    shared_needed: dict[str, set[int]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)
    key_cache: dict[tuple[str, int], list] = field(default_factory=dict)

    def ref(self, source: str, fname: str, target: type[models.Model], pk: int | None) -> Any:
        if pk is None:
            return None
        label = label_of(target)
        if label in self.ids:
            try:
                return self.ids[label][pk]
            except KeyError:
                raise ArchiveError(
                    f"{source}.{fname} refers to {label} #{pk}, which belongs to another "
                    "collaborative."
                ) from None
        if label in SHARED:
            self.shared_needed.setdefault(label, set()).add(pk)
            return self.natural_key(target, pk)
        raise ArchiveError(f"{source}.{fname} refers to {label}, which archives do not cover.")

    def natural_key(self, model: type[models.Model], pk: int) -> list:
        label = label_of(model)
        if (label, pk) not in self.key_cache:
            obj = model._default_manager.get(pk=pk)
            key: list = []
            for name in SHARED[label]:
                f = model._meta.get_field(name)
                if f.is_relation:
                    target_pk = getattr(obj, f.attname)
                    self.shared_needed.setdefault(label_of(f.related_model), set()).add(target_pk)
                    key.extend(self.natural_key(f.related_model, target_pk))
                else:
                    key.append(encode_scalar(getattr(obj, name)))
            self.key_cache[(label, pk)] = key
        return self.key_cache[(label, pk)]

    def row(self, obj: models.Model, skip: set[str] = frozenset()) -> dict[str, Any]:
        model = type(obj)
        source = label_of(model)
        out: dict[str, Any] = {}
        for f in model._meta.concrete_fields:
            if f.primary_key or f.name in skip:
                continue
            if f.is_relation:
                out[f.name] = self.ref(source, f.name, f.related_model, getattr(obj, f.attname))
            elif isinstance(f, models.FileField):
                name = getattr(obj, f.attname).name or ""
                if name:
                    self.files.add(name)
                out[f.name] = name
            else:
                out[f.name] = encode_scalar(f.value_from_object(obj))
        for f in _m2m_fields(model):
            if f.name in skip:
                continue
            pks = sorted(getattr(obj, f.name).values_list("pk", flat=True))
            refs = [self.ref(source, f.name, f.related_model, pk) for pk in pks]
            out[f.name] = sorted(refs, key=lambda r: json.dumps(r))
        return out


def collect(collaborative) -> tuple[dict[str, list[dict]], set[str]]:
    """Every row of the collaborative as archive entities, and the storage names of its files."""
    ex = _Export()
    owned = owned_models()
    querysets = {}
    for model, path in owned:
        qs = model._default_manager.filter(**{path: collaborative.pk}).order_by("pk")
        querysets[label_of(model)] = qs
        ex.ids[label_of(model)] = {pk: i for i, pk in enumerate(qs.values_list("pk", flat=True), 1)}
    entities: dict[str, list[dict]] = {}
    for model, _ in owned:
        label = label_of(model)
        qs = querysets[label].prefetch_related(*[f.name for f in _m2m_fields(model)])
        entities[label] = [{"id": ex.ids[label][obj.pk], **ex.row(obj)} for obj in qs]
    # Agreements of the collaborative's jurisdictions are part of its record (MOU status).
    from breakthrough.teams.models import DataSharingAgreement

    for pk in DataSharingAgreement.objects.filter(
        jurisdiction_id__in=ex.shared_needed.get("teams.jurisdiction", set())
    ).values_list("pk", flat=True):
        ex.shared_needed.setdefault("teams.datasharingagreement", set()).add(pk)
    done: dict[str, set[int]] = {}
    while any(pks - done.get(label, set()) for label, pks in ex.shared_needed.items()):
        for label in SHARED_ORDER[::-1]:
            todo = ex.shared_needed.get(label, set()) - done.get(label, set())
            if not todo:
                continue
            model = _model(label)
            key_fields = set(SHARED[label])
            skip = key_fields | SHARED_PRIVATE_FIELDS.get(label, set())
            rows = entities.setdefault(label, [])
            for obj in model._default_manager.filter(pk__in=todo):
                rows.append({"key": ex.natural_key(model, obj.pk), **ex.row(obj, skip)})
            done.setdefault(label, set()).update(todo)
    for label in SHARED:
        if label in entities:
            entities[label].sort(key=lambda r: json.dumps(r["key"], ensure_ascii=False))
    return entities, ex.files


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def write_archive(collaborative, path: str | Path) -> dict[str, Any]:
    """Write the archive of `collaborative` to `path`; returns its manifest."""
    from importlib.metadata import PackageNotFoundError, version

    entities, files = collect(collaborative)
    try:
        app_version = version("breakthrough")
    except PackageNotFoundError:
        app_version = "source"
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": encode_scalar(timezone.now()),
        "breakthrough_version": app_version,
        "collaborative": {
            "slug": collaborative.slug,
            "name": collaborative.name,
            "is_demo": collaborative.is_demo,
        },
        "entities": {},
        "files": {},
    }
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for label in sorted(entities):
            data = dumps({"model": label, "rows": entities[label]})
            member = f"entities/{label}.json"
            _write(zf, member, data)
            manifest["entities"][label] = {
                "file": member,
                "rows": len(entities[label]),
                "sha256": sha256(data),
            }
        for name in sorted(files):
            with default_storage.open(name, "rb") as f:
                data = f.read()
            member = f"files/{name}"
            _write(zf, member, data)
            manifest["files"][name] = {"file": member, "size": len(data), "sha256": sha256(data)}
        _write(zf, "manifest.json", dumps(manifest))
    tmp.replace(path)
    return manifest


def _write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


@dataclass
class Archive:
    manifest: dict[str, Any]
    entities: dict[str, list[dict]]
    files: dict[str, bytes]


def read_archive(path: str | Path) -> Archive:
    """Open and check an archive: format, version and every member's checksum."""
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ArchiveError(
            f"{path} is not a Breakthrough archive (not a zip file): {error}"
        ) from None
    with zf:
        names = set(zf.namelist())
        if "manifest.json" not in names:
            raise ArchiveError(f"{path} has no manifest.json; it is not a Breakthrough archive.")
        try:
            manifest = json.loads(zf.read("manifest.json"))
        except ValueError as error:
            raise ArchiveError(f"The manifest is not valid JSON: {error}") from None
        if manifest.get("format") != FORMAT:
            raise ArchiveError(
                f"{path} is not a Breakthrough archive (format {manifest.get('format')!r})."
            )
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ArchiveError(
                f"The archive has format version {manifest.get('format_version')}; this "
                f"installation reads version {FORMAT_VERSION}. Upgrade Breakthrough to import it."
            )
        entities: dict[str, list[dict]] = {}
        for label, entry in manifest.get("entities", {}).items():
            data = _member(zf, names, entry)
            entities[label] = json.loads(data)["rows"]
        files = {
            name: _member(zf, names, entry) for name, entry in manifest.get("files", {}).items()
        }
    return Archive(manifest, entities, files)


def _member(zf: zipfile.ZipFile, names: set[str], entry: dict[str, Any]) -> bytes:
    member = entry["file"]
    if member not in names:
        raise ArchiveError(f"The archive lacks {member}, which its manifest lists.")
    data = zf.read(member)
    if sha256(data) != entry["sha256"]:
        raise ArchiveError(f"{member} does not match its checksum: the archive is damaged.")
    return data
