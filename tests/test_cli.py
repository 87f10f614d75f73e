"""`breakthrough --help` lists what users can do: every command of the platform, and nothing that
does not exist."""

from __future__ import annotations

import re

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
