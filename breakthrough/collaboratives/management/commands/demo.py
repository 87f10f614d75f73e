from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from breakthrough.demodata import DEFAULT_PASSWORD, DEFAULT_SEED, DemoError, load_demo
from breakthrough.demodata.foundation import LOGIN_STAFF, MEMBERS

LOGINS = [
    ("admin", "platform administrator"),
    ("director", "collaborative director (Helen Marsh)"),
    ("advisor", "improvement advisor (Owen Bradley)"),
    ("staff", "coordinator (Amy Liu)"),
    ("chair", "co-chair (Gloria Hendricks)"),
    ("faculty", "faculty (Naomi Fisher)"),
    ("coach", "coach for BW, AG, SB, CV (Laura Benson)"),
    ("sponsor", "sponsor observer, read only (Rachel Stein)"),
    ("evaluator", "evaluator, aggregate exports (Sam Whitfield)"),
    ("bw-leader", "Brightwater senior leader (Denise Okoro)"),
    ("bw-lead", "Brightwater day-to-day lead (Marcus Feld)"),
    ("bw-data", "Brightwater data contact (Priya Raman)"),
    ("bw-member", "Brightwater member (Aisha Grant)"),
    ("bw-family", "Brightwater family partner (Jasmine Reed)"),
    ("ag-youth", "Ashgrove youth partner (Kayla Moreno)"),
    ("gp-lead", "Granite Plains day-to-day lead (Holly Brandt)"),
    ("cl-data", "Cloudwater data contact (Shannon Ames)"),
]
assert {u for u, _ in LOGINS} == LOGIN_STAFF | {"admin"} | {
    m[0] for ms in MEMBERS.values() for m in ms if m[0]
}


class Command(BaseCommand):
    help = (
        "Load the demo collaborative (fictional data) into the database and serve it on "
        "http://127.0.0.1:8000. Running it again does not duplicate anything."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=8000, help="Port to serve on (default 8000)."
        )
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to bind (default 127.0.0.1: only this computer can connect).",
        )
        parser.add_argument("--no-serve", action="store_true", help="Only load the data.")
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo data and load it again."
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed of the synthetic data (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="Password of the demo log-ins (for the demo only).",
        )
        parser.add_argument(
            "--workers", type=int, default=2, help="Web server processes (default 2)."
        )

    def handle(self, *args, port, host, no_serve, reset, seed, password, workers, **options):
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            loaded = load_demo(seed=seed, password=password, reset=reset, log=self.stdout.write)
        except DemoError as error:
            raise CommandError(f"The demo could not be loaded: {error}") from None
        self.stdout.write(
            self.style.SUCCESS("Demo collaborative loaded.")
            if loaded
            else "The demo collaborative is already loaded (use --reset to load it again)."
        )
        self.print_logins(password, port, host)
        if not no_serve:
            from breakthrough.collaboratives.server import run_server

            run_server(
                bind=f"{host}:{port}",
                workers=workers,
                allow_demo_logins=True,
                log=self.stdout.write,
            )

    def print_logins(self, password: str, port: int, host: str) -> None:
        w = self.stdout.write
        w("")
        w(f"Open http://{host}:{port}/ and log in with one of these demo accounts.")
        w(f"Password for all of them: {password}   (demo only: never use it for real accounts)")
        w("")
        for username, role in LOGINS:
            w(f"  {username:<12} {role}")
        w("")
        w("Everything in the demo is fictional but the sponsors and the 2008-2009 time frame.")
