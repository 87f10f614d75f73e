"""`breakthrough send-digests`: e-mail the daily discussion digest (run it once a day)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from breakthrough.collaboratives.models import Collaborative
from breakthrough.discussions.actions import do_send_digests


class Command(BaseCommand):
    help = (
        "E-mail each person who chose a daily digest the discussion posts since their last "
        "digest. Safe to run more than once a day: nobody gets two digests on one day."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--collaborative", help="Only this collaborative (its slug).")

    def handle(self, *args, **options) -> None:
        collaborative = None
        if slug := options.get("collaborative"):
            collaborative = Collaborative.objects.filter(slug=slug).first()
            if collaborative is None:
                raise CommandError(f"No collaborative has the slug {slug!r}.")
        count = do_send_digests(collaborative=collaborative)
        self.stdout.write(f"{count} digest{'s' if count != 1 else ''} sent.")
