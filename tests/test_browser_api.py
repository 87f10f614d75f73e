"""Journey: a team lead creates an API token, sees it once, uses it, revokes it; the API
reference page loads everything from this server."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.test import Client

from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_token_journey_and_local_reference_page(page, live_server, world, tmp_path):
    log_in(page, "alice")
    page.goto("/accounts/settings/")
    page.get_by_label("Token name").fill("Monthly upload")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Create token").click()
    token = page.get_by_label("Your new token").input_value()
    assert token.startswith("bt_")
    page.screenshot(path=str(tmp_path / "token-created.png"))
    api = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200 and api.json()["token"]["scope"] == "write"

    page.goto("/accounts/settings/")
    assert token not in page.content()
    row = page.get_by_role("row", name="Monthly upload")
    assert "active" in row.inner_text() and "never" not in row.inner_text()  # used just now
    row.get_by_role("button", name="Revoke").click()
    assert "no longer works" in page.content()
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401

    hosts = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
    page.goto("/api/v1/docs")
    page.get_by_text("Breakthrough API").first.wait_for()
    page.get_by_text("/api/v1/collaboratives/{slug}/teams/{team}/values").first.wait_for()
    page.screenshot(path=str(tmp_path / "api-docs.png"))
    assert hosts == {urlparse(live_server.url).netloc}
