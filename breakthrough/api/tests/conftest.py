from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from breakthrough.api.actions import do_create_api_token


class ApiClient:
    """A test client that sends a person's token (or none) with JSON bodies."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params):
        return self.client.get("/api/v1" + path, params, **self.headers)

    def _send(self, method: str, path: str, body, raw: bool = False):
        data = body if raw else json.dumps(body)
        return getattr(self.client, method)(
            "/api/v1" + path, data=data, content_type="application/json", **self.headers
        )

    def post(self, path, body, raw=False):
        return self._send("post", path, body, raw)

    def put(self, path, body, raw=False):
        return self._send("put", path, body, raw)

    def patch(self, path, body, raw=False):
        return self._send("patch", path, body, raw)

    def delete(self, path, body=None):
        return self._send("delete", path, body or {})


@pytest.fixture
def api(world):
    """api("alice") or api("alice", scope="read") gives a client with that person's token."""

    def make(name: str | None, scope: str = "write") -> ApiClient:
        if name in (None, "anon"):
            return ApiClient(None)
        _, text = do_create_api_token(
            person=getattr(world, name),
            name=f"{name} {scope}",
            scope=scope,
            expires_at=timezone.now() + timedelta(days=30),
        )
        return ApiClient(text)

    return make
