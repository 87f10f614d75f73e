"""Writes to the resource library. Files go through Django's storage API under made-up names."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from breakthrough.concurrency import save_versioned

from .models import Resource
from .uploads import check_upload, safe_display_name


def max_upload_bytes() -> int:
    return int(getattr(settings, "RESOURCE_MAX_BYTES", 20 * 1024 * 1024))


def _attach(resource: Resource, upload) -> None:
    """Check `upload` (raises UploadError) and store it under a name that ignores its own."""
    kind = check_upload(upload, upload.name, upload.size, max_upload_bytes())
    resource.file_name = safe_display_name(upload.name, kind.extension)
    resource.content_type = kind.content_type
    resource.size = upload.size
    resource.file.save(f"{uuid.uuid4().hex}.{kind.extension}", upload, save=False)


def _delete_stored(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def do_add_resource(
    *,
    collaborative,
    added_by,
    title: str,
    kind: str,
    description: str = "",
    upload=None,
    url: str = "",
    nodes=(),
    team=None,
    when=None,
) -> Resource:
    """Add a file (checked: size, type, content against extension) or a link to the library."""
    if not upload and not url:
        raise ValueError("A resource needs a file or a link.")
    resource = Resource(
        collaborative=collaborative,
        title=title.strip(),
        kind=kind,
        description=description,
        url="" if upload else url,
        team=team,
        uploaded_by=added_by,
        created_at=when or timezone.now(),
        updated_at=when or timezone.now(),
    )
    if upload:
        _attach(resource, upload)
    try:
        resource.save()
    except Exception:
        if resource.file:
            resource.file.storage.delete(resource.file.name)
        raise
    resource.nodes.set(nodes)
    return resource


@transaction.atomic
def do_update_resource(
    resource: Resource,
    *,
    title: str,
    kind: str,
    description: str,
    nodes,
    team,
    url: str = "",
    upload=None,
    expected_version: int,
) -> Resource:
    """Change a resource; a new file replaces the old one, which leaves storage on commit."""
    old_name = resource.file.name if resource.file else ""
    resource.title = title.strip()
    resource.kind = kind
    resource.description = description
    resource.team = team
    resource.updated_at = timezone.now()
    fields = ["title", "kind", "description", "team", "updated_at"]
    if upload:
        _attach(resource, upload)
        resource.url = ""
        fields += ["file", "file_name", "content_type", "size", "url"]
    elif url and not resource.file:
        resource.url = url
        fields.append("url")
    try:
        save_versioned(resource, expected_version, fields)
    except Exception:
        if upload and resource.file.name != old_name:
            resource.file.storage.delete(resource.file.name)
        raise
    if upload:
        _delete_stored(resource.file.storage, old_name)
    resource.nodes.set(nodes)
    return resource


@transaction.atomic
def do_delete_resource(resource: Resource) -> None:
    storage, name = resource.file.storage, resource.file.name
    resource.delete()
    _delete_stored(storage, name)
