"""Backups of a whole installation: a consistent database snapshot plus the uploaded files.

SQLite is copied with its online backup API (readers and writers may go on meanwhile);
PostgreSQL with `pg_dump --format=custom` (one consistent snapshot) and restored with
`pg_restore --clean`. Uploaded files are read and written through Django's storage API, so
object storage works the same way as a folder. A backup is one .tar file:

    manifest.json            engine, time, migrations applied, SHA-256 of every member
    database.sqlite3 | database.pgdump
    media/<storage name>     every uploaded file
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.utils import timezone

BACKUP_FORMAT = "breakthrough-backup"
BACKUP_VERSION = 1
PREFIX = "breakthrough-backup-"


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _pg_env() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = []
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    args += ["--dbname", s["NAME"]]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def _dump_database(dest: Path) -> str:
    if connection.in_atomic_block:
        # SQLite would wait for ever on its own write lock; pg_dump would miss the open changes.
        raise BackupError("A backup cannot be made inside a database transaction.")
    if engine() == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dest)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return "database.sqlite3"
    args, env = _pg_env()
    result = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(dest), *args],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return "database.pgdump"


def _media_names(folder: str = "") -> list[str]:
    try:
        dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return []
    out = [f"{folder}/{f}" if folder else f for f in files]
    for d in dirs:
        out += _media_names(f"{folder}/{d}" if folder else d)
    return sorted(out)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def make_backup(folder: str | Path, *, now: datetime | None = None) -> Path:
    """Write a backup file into `folder` and return its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    path = folder / f"{PREFIX}{stamp}.tar"
    kind = engine()
    with tempfile.TemporaryDirectory() as tmp:
        db_file = Path(tmp) / "db"
        member = _dump_database(db_file)
        manifest: dict[str, Any] = {
            "format": BACKUP_FORMAT,
            "format_version": BACKUP_VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": kind,
            "migrations": _applied_migrations(),
            "database": {"file": member, "sha256": _sha256_file(db_file)},
            "media": {},
        }
        part = path.with_name(path.name + ".part")
        with tarfile.open(part, "w") as tar:
            tar.add(db_file, arcname=member)
            for name in _media_names():
                with default_storage.open(name, "rb") as f:
                    data = f.read()
                info = tarfile.TarInfo(f"media/{name}")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
                manifest["media"][name] = hashlib.sha256(data).hexdigest()
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        part.replace(path)
    return path


def read_manifest(path: str | Path) -> dict[str, Any]:
    try:
        with tarfile.open(path) as tar:
            member = tar.extractfile("manifest.json")
            manifest = json.loads(member.read()) if member else None
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(f"{path} is not a Breakthrough backup: {error}") from None
    if not manifest or manifest.get("format") != BACKUP_FORMAT:
        raise BackupError(f"{path} is not a Breakthrough backup.")
    if manifest.get("format_version") != BACKUP_VERSION:
        raise BackupError(f"{path} has backup format {manifest.get('format_version')}; expected 1.")
    return manifest


def restore_backup(path: str | Path, *, log=lambda s: None) -> dict[str, Any]:
    """Replace the database and the uploaded files with those of a backup.

    Checks every checksum before touching anything. The database engine must be the one the
    backup was made from.
    """
    manifest = read_manifest(path)
    kind = engine()
    if manifest["engine"] != kind:
        raise BackupError(
            f"The backup is of a {manifest['engine']} database; this installation uses {kind}."
        )
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path) as tar:
        db_member = manifest["database"]["file"]
        db_file = Path(tmp) / "db"
        src = tar.extractfile(db_member)
        if src is None:
            raise BackupError(f"The backup lacks {db_member}.")
        with db_file.open("wb") as out:
            shutil.copyfileobj(src, out)
        if _sha256_file(db_file) != manifest["database"]["sha256"]:
            raise BackupError(
                "The database file does not match its checksum: the backup is damaged."
            )
        media: dict[str, bytes] = {}
        for name, digest in manifest["media"].items():
            f = tar.extractfile(f"media/{name}")
            data = f.read() if f else b""
            if hashlib.sha256(data).hexdigest() != digest:
                raise BackupError(
                    f"media/{name} does not match its checksum: the backup is damaged."
                )
            media[name] = data
        _restore_database(kind, db_file)
        log(f"  database restored ({kind})")
    for name in _media_names():
        if name not in media:
            default_storage.delete(name)
    for name, data in media.items():
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, ContentFile(data))
    log(f"  {len(media)} uploaded file(s) restored")
    return manifest


def _restore_database(kind: str, db_file: Path) -> None:
    if kind == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(db_file)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connections.close_all()
    args, env = _pg_env()
    result = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            str(db_file),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def prune_backups(folder: str | Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups in `folder`; returns what was deleted."""
    backups = sorted(Path(folder).glob(f"{PREFIX}*.tar"))
    doomed = backups[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink()
    return doomed
