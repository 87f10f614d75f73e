from django.core.management.base import BaseCommand, CommandError

from breakthrough.archives.actions import do_import_collaborative
from breakthrough.archives.archive import ArchiveError


class Command(BaseCommand):
    help = (
        "Import a collaborative from an archive written by `breakthrough export`, into an empty "
        "installation or, with --as-slug, as a copy beside the original."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--as-slug", metavar="NEW", help="Import under this slug (a copy).")

    def handle(self, *args, file, as_slug, **options):
        try:
            c = do_import_collaborative(file, as_slug=as_slug, log=self.stdout.write)
        except (ArchiveError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Imported '{c.name}' as /c/{c.slug}/.")
