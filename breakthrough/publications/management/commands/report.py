"""`breakthrough report final|storyboard|model ...`: the publications as files, from the shell.

The files are the same as the web exports. The command reads as the collaborative's staff (all
true counts); `--public` reads as the public page does, with small counts hidden.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

FORMATS = ("pdf", "docx", "html")


class Command(BaseCommand):
    help = "Write the final report, a team's storyboard or the practice model to a file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="document", required=True, title="documents")
        for name, text in (
            ("final", "the collaborative's final report"),
            ("storyboard", "one team's storyboard"),
            ("model", "the practice model"),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("--collaborative", required=True, metavar="SLUG")
            if name == "storyboard":
                p.add_argument("--team", required=True, metavar="SLUG")
            p.add_argument("--format", choices=FORMATS, default="pdf")
            p.add_argument("-o", "--output", required=True, metavar="FILE", help="'-' for stdout")
            p.add_argument(
                "--public", action="store_true", help="Hide small counts as the public page does."
            )
            if name == "final":
                p.add_argument(
                    "--generate",
                    action="store_true",
                    help="Generate the report's sections first if they do not exist yet.",
                )

    def handle(self, *args, **options):
        from breakthrough.collaboratives.access import Standing
        from breakthrough.collaboratives.models import Collaborative

        from ... import actions, documents
        from ...models import FinalReport, PracticeModel

        slug = options["collaborative"]
        try:
            c = Collaborative.objects.get(slug=slug)
        except Collaborative.DoesNotExist:
            raise CommandError(f"No collaborative with the slug '{slug}'.") from None
        standing = Standing(
            user=None,
            collaborative=c,
            roles=frozenset() if options["public"] else frozenset({"director"}),
        )
        fmt = options["format"]
        doc = options["document"]
        verbosity = options.get("verbosity", 1)

        def progress(fraction: float, step: str) -> None:
            if verbosity > 1:
                self.stderr.write(f"{fraction:4.0%} {step}")

        if doc == "final":
            if not FinalReport.objects.filter(collaborative=c).exists():
                if not options["generate"]:
                    raise CommandError(
                        f"'{slug}' has no final report yet; generate it on the final report page "
                        "or pass --generate."
                    )
                actions.do_create_final_report(c)
            data = documents.final_report_file(c, standing, fmt, progress=progress)
        elif doc == "model":
            if not PracticeModel.objects.filter(collaborative=c).exists():
                raise CommandError(f"'{slug}' has no practice model yet.")
            data = documents.practice_model_file(c, standing, fmt, progress=progress)
        else:
            team = c.teams.filter(slug=options["team"]).first()
            if team is None:
                slugs = ", ".join(c.teams.order_by("slug").values_list("slug", flat=True))
                raise CommandError(
                    f"No team '{options['team']}' in '{slug}'; its teams are: {slugs or 'none'}."
                )
            data = documents.storyboard_file(actions.storyboard_for(team), standing, fmt)
        out = options["output"]
        if out == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(out).write_bytes(data)
            if verbosity:
                self.stdout.write(f"Wrote {out} ({len(data):,} bytes).")
