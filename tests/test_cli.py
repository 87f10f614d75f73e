"""`breakthrough --help` lists what users can do: every command of the platform, and nothing that
does not exist; the settings read from the environment behave as the README says."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from django.core.management import get_commands

from breakthrough import cli

LISTED = re.compile(r"^  (\S+)\s{2,}\S", re.M)


def listed_verbs() -> set[str]:
    return set(LISTED.findall(cli.VERBS))


def test_every_platform_command_is_listed_in_help():
    ours = {name for name, app in get_commands().items() if app.startswith("breakthrough.")}
    assert ours, "no management commands found under breakthrough/*/management/commands"
    missing = sorted(ours - listed_verbs())
    assert not missing, f"add a one-line entry for {missing} to VERBS in breakthrough/cli.py"


def test_every_listed_verb_exists():
    commands = set(get_commands())
    unknown = sorted(v for v in listed_verbs() if v not in commands and v != "spc")
    assert not unknown


def test_help_prints_the_verbs(capsys):
    assert cli.main(["--help"]) == 0
    assert capsys.readouterr().out == cli.VERBS


def test_an_empty_variable_counts_as_unset(tmp_path):
    """`DATABASE_URL=` (as compose files write it) falls back to the embedded database."""
    environ = {**os.environ, "DATABASE_URL": "", "BREAKTHROUGH_DATA_DIR": str(tmp_path)}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from breakthrough import settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "django.db.backends.sqlite3"
