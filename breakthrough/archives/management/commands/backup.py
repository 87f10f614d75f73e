import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from breakthrough.archives.backup import BackupError, make_backup, prune_backups


class Command(BaseCommand):
    help = (
        "Back up the whole installation (a consistent database snapshot and the uploaded "
        "files) into one .tar file in a folder; --keep N deletes older backups there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            default=os.environ.get("BACKUP_DIR") or str(Path(settings.DATA_DIR) / "backups"),
            metavar="FOLDER",
            help="Folder for the backup (default $BACKUP_DIR or the data folder's backups/).",
        )
        parser.add_argument(
            "--keep", type=int, default=0, metavar="N", help="Keep only the N newest backups."
        )

    def handle(self, *args, output, keep, **options):
        try:
            path = make_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size:,} bytes).")
        for old in prune_backups(output, keep) if keep else []:
            self.stdout.write(f"Deleted the older backup {old.name}.")
