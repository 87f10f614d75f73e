from __future__ import annotations

import json
import logging
import sys

from breakthrough.jsonlog import JsonFormatter


def test_json_log_lines():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "breakthrough.api", logging.ERROR, __file__, 1, "Failed %s", ("x",), sys.exc_info()
        )
    record.status_code = 500
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR" and line["logger"] == "breakthrough.api"
    assert line["message"] == "Failed x" and line["status_code"] == 500
    assert "ValueError: boom" in line["exception"] and line["time"].endswith("+00:00")


def test_gunicorn_access_lines_are_json():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from breakthrough.jsonlog import GunicornJsonLogger

    cfg = Config()
    cfg.set("accesslog", "-")
    logger = GunicornJsonLogger(cfg)
    lines = []
    logger.access_log.handlers = []
    logger.access_log.addHandler(logging.Handler())
    logger.access_log.handlers[0].emit = lambda r: lines.append(r.getMessage())
    resp = SimpleNamespace(status="200 OK", response_length=12, sent=12, headers=[])
    req = SimpleNamespace(
        headers=[("USER-AGENT", "wrk")],
        method="GET",
        path="/health/",
        query="",
        version=(1, 1),
        uri="/health/",
    )
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/health/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "RAW_URI": "/health/",
    }
    logger.access(resp, req, environ, timedelta(milliseconds=3))
    line = json.loads(lines[0])
    assert line["status"] == 200 and line["path"] == "/health/" and line["duration_ms"] == 3.0
