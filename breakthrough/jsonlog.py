"""Structured logs: one JSON object per line (LOG_FORMAT=json), for log collectors.

Django's and the application's records go through `JsonFormatter`; `breakthrough serve` also
writes gunicorn's access and error logs as JSON with `GunicornJsonLogger`.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else was passed with `extra=` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            out["method"] = request.method
            out["path"] = request.path
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in ("request", "server_time") and key not in out:
                out[key] = (
                    value if isinstance(value, int | float | str | bool | None) else str(value)
                )
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


try:
    from gunicorn import glogging
except ImportError:  # gunicorn is only needed by `serve`
    glogging = None

if glogging is not None:

    class GunicornJsonLogger(glogging.Logger):
        """gunicorn's logger with JSON access and error lines."""

        def setup(self, cfg) -> None:
            super().setup(cfg)
            for handler in self.error_log.handlers:
                handler.setFormatter(JsonFormatter())

        def access(self, resp, req, environ, request_time) -> None:
            if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.syslog):
                return
            atoms = self.atoms(resp, req, environ, request_time)
            line = {
                "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "level": "INFO",
                "logger": "gunicorn.access",
                "method": atoms["m"],
                "path": atoms["U"],
                "query": atoms["q"],
                "status": int(str(atoms["s"]).split()[0])
                if str(atoms["s"])[:3].isdigit()
                else atoms["s"],
                "bytes": atoms["B"],
                "duration_ms": round(request_time.total_seconds() * 1000, 2),
                "remote": atoms["h"],
                "agent": atoms["a"],
            }
            self.access_log.info(json.dumps(line, ensure_ascii=False))
