"""Run the production WSGI server (gunicorn) in this process, static files by whitenoise."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor


class NotMigrated(Exception):
    pass


def check_migrated() -> None:
    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise NotMigrated(
            f"The database has {len(plan)} migration(s) to apply. Run `breakthrough migrate` first."
        )


def run_server(*, bind: str, workers: int, allow_demo_logins: bool = False, log=print) -> None:
    from gunicorn.app.base import BaseApplication

    if allow_demo_logins:
        os.environ["BREAKTHROUGH_ALLOW_DEMO_LOGINS"] = "1"
        settings.ALLOW_DEMO_LOGINS = True
    if settings.STATIC_ROOT:
        # The API reference page uses Swagger UI only; leave out django-ninja's ReDoc bundle and
        # the unreferenced source map (6 MB that whitenoise would compress at every start).
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=["redoc.standalone.js*", "swagger-ui-bundle.js.map"],
        )
    # Workers are forked from this process; they must not share its database connection.
    connections.close_all()
    from breakthrough.wsgi import application  # after collectstatic: whitenoise indexes the files

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", bind)
            self.cfg.set("workers", workers)
            self.cfg.set("timeout", int(os.environ.get("WEB_TIMEOUT", "120")))
            self.cfg.set("accesslog", "-")
            self.cfg.set("errorlog", "-")
            self.cfg.set("proc_name", "breakthrough")
            self.cfg.set("forwarded_allow_ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"))
            if os.environ.get("LOG_FORMAT") == "json":
                self.cfg.set("logger_class", "breakthrough.jsonlog.GunicornJsonLogger")

        def load(self):
            return application

    log(f"Serving Breakthrough on http://{bind} with {workers} worker(s). Press Ctrl+C to stop.")
    Server().run()
