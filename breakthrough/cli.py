"""The `breakthrough` console script.

It wraps Django's command line (like bugsink's `bugsink-manage`) and adds the verbs users need.
`breakthrough spc ...` runs without Django so that the statistics stay fast to start.
"""

from __future__ import annotations

import os
import sys

VERBS = """\
Usage: breakthrough <command> [options]

Run a collaborative:
  demo              load the demo collaborative and serve it on http://127.0.0.1:8000
  serve             run the production web server (gunicorn, static files by whitenoise)
  createdirector    create a collaborative director account (the first log-in)
  migrate           create or update the database tables
  send-reminders    send the day's monthly-report reminders (run daily from cron or a timer)
  send-digests      e-mail the daily discussion digest (run it once a day)
  import-measures   import monthly measure values from a CSV or Excel file
                    (`breakthrough import-measures FILE --collaborative SLUG`)
  report            write the final report, a storyboard or the practice model as PDF, DOCX
                    or HTML (`breakthrough report final --collaborative SLUG -o report.pdf`)

Data portability and backups:
  export            export a collaborative to an archive (--evaluator: de-identified tables)
  import            import a collaborative from an archive (or as a copy with --as-slug)
  backup            back up the whole installation: database snapshot and uploaded files
  restore           restore a backup made by `breakthrough backup` (stop the servers first)

REST API:
  api_schema        print the API's OpenAPI schema (--update refreshes the committed snapshot)

Statistics:
  spc analyze       analyse run charts and control charts from JSON or CSV
                    (see `breakthrough spc --help`)

Everything else Django offers is also available: `breakthrough help` lists every command,
`breakthrough help <command>` explains one.
"""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] == "spc":
        from breakthrough.spc.cli import main as spc_main

        return spc_main(args[1:])
    if not args or args[0] in {"-h", "--help"}:
        sys.stdout.write(VERBS)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "breakthrough.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["breakthrough", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
