import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from breakthrough.archives.actions import do_record_export
from breakthrough.archives.archive import ArchiveError, write_archive
from breakthrough.archives.evaluator import write_evaluator_export
from breakthrough.collaboratives.models import Collaborative


class Command(BaseCommand):
    help = (
        "Export a whole collaborative to a versioned archive (JSON per entity, uploaded files, "
        "manifest with checksums), or with --evaluator the de-identified aggregate tables (CSV "
        "and Parquet, small counts suppressed). Every export is logged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--collaborative", required=True, metavar="SLUG")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="A .zip file.")
        parser.add_argument(
            "--evaluator",
            action="store_true",
            help="Write the evaluator tables instead of the whole archive.",
        )

    def handle(self, *args, collaborative, output, evaluator, **options):
        c = Collaborative.objects.filter(slug=collaborative).first()
        if c is None:
            raise CommandError(f"No collaborative with the slug '{collaborative}'.")
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"The folder {path.parent} does not exist.")
        try:
            if evaluator:
                manifest = write_evaluator_export(c, path)
                rows = manifest["rows"]
            else:
                manifest = write_archive(c, path)
                rows = sum(e["rows"] for e in manifest["entities"].values())
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        do_record_export(
            collaborative=c,
            kind="evaluator" if evaluator else "archive",
            filename=path.name,
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            rows=rows,
            via="command",
        )
        what = "Evaluator tables" if evaluator else "Archive"
        self.stdout.write(f"{what} of '{c.slug}' written to {path} ({rows} rows).")
