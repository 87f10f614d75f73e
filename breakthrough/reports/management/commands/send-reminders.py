"""`breakthrough send-reminders`: send the day's monthly-report reminders (run it daily)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from breakthrough.collaboratives.models import Collaborative
from breakthrough.reports.reminders import do_send_reminders


class Command(BaseCommand):
    help = (
        "Send the monthly-report reminders due today in each collaborative's time zone: before "
        "the due date to data contacts and day-to-day leads, after it the lists of teams that "
        "have and have not reported. Safe to run more than once a day: nothing is sent twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--collaborative", metavar="SLUG", help="Only this collaborative.")
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="Act as if today were this date (to catch up a missed day).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List the messages without sending them."
        )

    def handle(self, *args, **options) -> None:
        collaborative = None
        if slug := options["collaborative"]:
            collaborative = Collaborative.objects.filter(slug=slug).first()
            if collaborative is None:
                raise CommandError(f"No collaborative with the slug {slug!r}.")
        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date must look like 2009-03-14, not {options['date']!r}."
                ) from None
        results = do_send_reminders(
            day=day, collaborative=collaborative, dry_run=options["dry_run"]
        )
        sent = skipped = 0
        for reminder, record in results:
            if options["dry_run"]:
                status = "would send"
            elif record is None:
                status = "already sent"
                skipped += 1
            else:
                status = record.status
                sent += 1
            team = f" [{reminder.team.code or reminder.team.name}]" if reminder.team else ""
            self.stdout.write(
                f"{reminder.day} {status:>12}  {reminder.kind:<15} {reminder.period.label}{team} "
                f"-> {reminder.person.email}"
            )
        if options["dry_run"]:
            self.stdout.write(f"{len(results)} message(s) due; nothing sent (dry run).")
        else:
            self.stdout.write(f"{sent} message(s) sent or logged, {skipped} already sent before.")
