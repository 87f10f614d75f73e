"""The console script and the foundation's commands."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from breakthrough.collaboratives.models import Collaborative, StaffRole

ROOT = Path(__file__).resolve().parents[3]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "breakthrough", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        },
    )


def test_help_lists_what_users_can_do():
    result = run_cli("--help")
    assert result.returncode == 0
    for verb in ("demo", "serve", "createdirector", "migrate", "spc analyze"):
        assert verb in result.stdout


def test_production_settings_pass_deploy_checks(tmp_path):
    env = {
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": "k" * 20 + "-production-secret-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "breakthrough.example.org",
        "BREAKTHROUGH_DATA_DIR": str(tmp_path),
        "BREAKTHROUGH_TESTING": "",
    }
    result = run_cli("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_createdirector_creates_account_and_collaborative(db, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("a-long-director-passphrase\n"))
    out = io.StringIO()
    call_command(
        "createdirector",
        "--username",
        "helen",
        "--email",
        "helen@example.org",
        "--name",
        "Helen Marsh",
        "--collaborative",
        "Crossover Youth BSC",
        "--password-stdin",
        stdout=out,
    )
    helen = get_user_model().objects.get(username="helen")
    assert helen.is_superuser and helen.check_password("a-long-director-passphrase")
    collaborative = Collaborative.objects.get(slug="crossover-youth-bsc")
    assert StaffRole.objects.get(person=helen, collaborative=collaborative).role == "director"
    assert "director of Crossover Youth BSC" in out.getvalue()


def test_createdirector_refuses_weak_password(db, monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setattr(sys, "stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError, match="Password refused"):
        call_command(
            "createdirector", "--username", "x", "--email", "x@example.org", "--password-stdin"
        )
