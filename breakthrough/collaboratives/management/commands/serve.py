import os

from django.core.management.base import BaseCommand, CommandError

from breakthrough.collaboratives.server import NotMigrated, check_migrated, run_server


class Command(BaseCommand):
    help = "Run the production web server (gunicorn; static files served by whitenoise)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("BIND", "127.0.0.1:8000"),
            help="Address and port to listen on (default 127.0.0.1:8000, or $BIND).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "2")),
            help="Worker processes (default 2, or $WEB_CONCURRENCY).",
        )
        parser.add_argument(
            "--allow-demo-logins",
            action="store_true",
            help="Let demo accounts log in (they are refused on a server started any other way).",
        )

    def handle(self, *args, bind, workers, allow_demo_logins, **options):
        try:
            check_migrated()
        except NotMigrated as error:
            raise CommandError(str(error)) from None
        run_server(
            bind=bind, workers=workers, allow_demo_logins=allow_demo_logins, log=self.stdout.write
        )
