from __future__ import annotations

import difflib
import json

import pytest

from breakthrough.api.schema import SNAPSHOT, schema_text


def test_the_openapi_schema_matches_the_committed_snapshot():
    """A change to the API must be reviewed: update the snapshot with
    `python -m breakthrough api_schema --update` and commit it with the change."""
    current = schema_text()
    committed = SNAPSHOT.read_text()
    if current != committed:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(True), current.splitlines(True), "committed", "generated", n=2
            )
        )
        pytest.fail(
            "The API schema changed. Review the difference and run "
            "`python -m breakthrough api_schema --update`.\n" + diff[:6000]
        )


def test_every_operation_documents_its_errors_and_auth():
    schema = json.loads(SNAPSHOT.read_text())
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            codes = set(op["responses"])
            assert {"401", "403", "404", "422", "429"} <= codes, (method, path)
            assert op["security"] == [{"TokenAuth": []}], (method, path)


@pytest.mark.django_db
def test_the_schema_and_the_reference_page_are_public_and_local(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json()["info"]["title"] == "Breakthrough API"
    page = client.get("/api/v1/docs")
    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert client.get("/api/").url == "/api/v1/docs"


@pytest.mark.django_db
def test_health_check(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_health_check_reports_a_failing_database(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def fail(*args, **kwargs):
        raise RuntimeError("down")

    monkeypatch.setattr(CursorWrapper, "execute", fail)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error: RuntimeError"
