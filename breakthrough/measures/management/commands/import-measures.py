"""`breakthrough import-measures FILE --collaborative SLUG`: import measure values from the shell.

The same checks and the same all-or-nothing write as the web import: every problem is printed
with its row, column, value and what is expected, and the command exits with status 1 when the
file has any problem (nothing is written then).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from breakthrough.collaboratives.models import Collaborative
from breakthrough.measures.imports import (
    MAX_IMPORT_BYTES,
    ImportFailed,
    ImportFileError,
    check_import,
    do_import_values,
    read_table,
    too_big_message,
)


class Progress:
    """A one-line progress bar on stderr (redrawn in place on a terminal)."""

    def __init__(self, stream, label: str, enabled: bool = True):
        self.stream, self.label, self.enabled = stream, label, enabled
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        pct = 100 if not total else int(done * 100 / total)
        if pct == self.last or (not self.tty and pct % 25 and pct != 100):
            return
        self.last = pct
        bar = "#" * (pct // 4) + "-" * (25 - pct // 4)
        end = "\r" if self.tty and pct < 100 else "\n"
        self.stream.write(f"{self.label} [{bar}] {pct:3d}% ({done}/{total}){end}")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import measure values from a CSV (UTF-8) or Excel .xlsx file into a collaborative. "
        "Columns: team, period (YYYY-MM), measure, stratum, numerator, denominator, value, note. "
        "Every row is checked first; a file with any problem writes nothing and exits with 1."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The CSV or .xlsx file.")
        parser.add_argument("--collaborative", metavar="SLUG", required=True)
        parser.add_argument(
            "--as", dest="username", metavar="USERNAME", help="Record the values as entered by."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file only; write nothing."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options) -> None:
        collaborative = Collaborative.objects.filter(slug=options["collaborative"]).first()
        if collaborative is None:
            raise CommandError(f"No collaborative with the slug {options['collaborative']!r}.")
        person = None
        if options["username"]:
            person = get_user_model().objects.filter(username=options["username"]).first()
            if person is None:
                raise CommandError(f"No person with the username {options['username']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise CommandError(too_big_message(size))
        started = time.perf_counter()
        err = self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr
        show = not options["no_progress"]
        try:
            table = read_table(path.name, path.read_bytes())
        except ImportFileError as error:
            raise CommandError(f"{path.name}: {error.message} Nothing was imported.") from None
        checked = check_import(table, collaborative, progress=Progress(err, "Checking ", show))
        if not checked.ok:
            self._fail(path.name, checked.problems, checked.truncated)
        if options["dry_run"]:
            self.stdout.write(
                f"{path.name}: {checked.n_values} values for {len(checked.groups)} team-months "
                "are ready to import (dry run: nothing written)."
            )
            return
        try:
            counts = do_import_values(
                checked, person=person, progress=Progress(err, "Importing", show)
            )
        except ImportFailed as error:
            self._fail(path.name, error.problems, False)
        took = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name}: imported {counts['created']} new and {counts['updated']} changed "
                f"values ({counts['unchanged']} unchanged) for {len(checked.groups)} team-months "
                f"of {collaborative.name} in {took:.1f} s."
            )
        )

    def _fail(self, name: str, problems, truncated: bool) -> None:
        for p in problems:
            self.stderr.write(f"{name}: {p}")
        more = " (only the first ones are listed)" if truncated else ""
        raise CommandError(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''}{more}; nothing was "
            "imported."
        )
