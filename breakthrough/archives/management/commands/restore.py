from django.core.management.base import BaseCommand, CommandError

from breakthrough.archives.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `breakthrough backup`: the database and the uploaded files "
        "are replaced by the backup's. Stop the application servers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (for scripts)."
        )

    def handle(self, *args, file, yes, **options):
        try:
            manifest = read_manifest(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not yes:
            answer = input(
                f"Replace ALL data of this installation with the backup of "
                f"{manifest['created_at']}? Type 'restore' to go on: "
            )
            if answer.strip() != "restore":
                raise CommandError("Nothing was restored.")
        try:
            restore_backup(file, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored the backup of {manifest['created_at']}.")
