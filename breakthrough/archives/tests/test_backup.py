"""The restore drill: back up, lose data, restore, and find everything back."""

from __future__ import annotations

import tarfile
from datetime import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from breakthrough.archives.backup import PREFIX, make_backup, prune_backups
from breakthrough.collaboratives.models import Collaborative
from breakthrough.teams.models import Team


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


@pytest.mark.django_db(transaction=True)
def test_restore_drill(world, media, tmp_path):
    default_storage.save("resources/agenda.pdf", ContentFile(b"%PDF-1.4 agenda"))
    call_command("backup", output=str(tmp_path / "backups"))
    [backup] = (tmp_path / "backups").glob(f"{PREFIX}*.tar")
    with tarfile.open(backup) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "media/resources/agenda.pdf"} <= names
    assert ("database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3") in names

    # Disaster: a team is deleted, a collaborative renamed, a file lost, a stray file added.
    Team.objects.get(slug="birch").delete()
    Collaborative.objects.filter(slug="testbsc").update(name="Broken")
    default_storage.delete("resources/agenda.pdf")
    default_storage.save("stray.txt", ContentFile(b"x"))

    call_command("restore", str(backup), yes=True)
    assert Team.objects.filter(slug="birch").exists()
    assert Collaborative.objects.get(slug="testbsc").name == "Test Collaborative"
    with default_storage.open("resources/agenda.pdf") as f:
        assert f.read() == b"%PDF-1.4 agenda"
    assert not default_storage.exists("stray.txt")


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused(world, media, tmp_path):
    path = make_backup(tmp_path)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(path) as src, tarfile.open(damaged, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("database"):
                data = data[:-10] + b"0123456789"
            member.size = len(data)
            import io

            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(damaged), yes=True)
    assert Team.objects.count() == 3
    with pytest.raises(CommandError, match="not a Breakthrough backup"):
        (tmp_path / "x.tar").write_text("nope")
        call_command("restore", str(tmp_path / "x.tar"), yes=True)


@pytest.mark.django_db(transaction=True)
def test_retention_keeps_the_newest(world, media, tmp_path):
    for day in (1, 2, 3, 4):
        make_backup(tmp_path, now=datetime(2026, 1, day, 3, 0))
    deleted = prune_backups(tmp_path, keep=2)
    assert [p.name for p in deleted] == [
        f"{PREFIX}20260101-030000.tar",
        f"{PREFIX}20260102-030000.tar",
    ]
    assert sorted(p.name for p in Path(tmp_path).glob("*.tar"))[0].endswith("20260103-030000.tar")
