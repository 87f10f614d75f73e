"""The round trip on the whole demo: every kind of data the platform holds today (teams, values,
PDSA cycles and attachments, lessons, discussions, resources, certificates...)."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from breakthrough.archives.archive import read_archive
from breakthrough.archives.registry import owned_models
from breakthrough.collaboratives.models import Collaborative, Organisation
from breakthrough.teams.models import Jurisdiction

pytestmark = pytest.mark.django_db


def members(path):
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n != "manifest.json"}


def counts():
    return {
        label: m._default_manager.count()
        for label, m in ((m._meta.label_lower, m) for m, _ in owned_models())
    }


def test_demo_round_trip(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", "--no-serve", stdout=io.StringIO())
    before = counts()
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    call_command("export", collaborative="jjcw", output=str(first), stdout=io.StringIO())
    manifest = read_archive(first).manifest
    # Every owned model the demo fills is in the archive, with every row.
    for label, n in before.items():
        assert manifest["entities"].get(label, {}).get("rows", 0) == n, label
    assert before["pdsa.pdsacycle"] > 0 and before["changes.lesson"] > 0

    # A new, empty installation: no collaborative, people, places or files.
    Collaborative.objects.all().delete()
    Jurisdiction.objects.all().delete()
    Organisation.objects.all().delete()
    get_user_model().objects.all().delete()
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    assert all(n == 0 for n in counts().values())

    call_command("import", str(first), stdout=io.StringIO())
    assert counts() == before
    assert apps.get_model("accounts.user").objects.filter(is_demo=True).exists()
    call_command("export", collaborative="jjcw", output=str(second), stdout=io.StringIO())
    assert members(first) == members(second)
