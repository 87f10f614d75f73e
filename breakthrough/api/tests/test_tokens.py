from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from breakthrough.accounts.models import hash_token
from breakthrough.api.actions import do_create_api_token, do_revoke_api_token
from breakthrough.api.models import ApiToken

pytestmark = pytest.mark.django_db


def create(client, **data):
    body = {
        "name": "Scripts",
        "scope": "read",
        "expires_on": str(timezone.localdate() + timedelta(days=30)),
    }
    body.update(data)
    return client.post("/accounts/settings/tokens/", body)


def test_settings_page_lists_tokens_and_offers_a_form(world):
    do_create_api_token(
        person=world.alice,
        name="Monthly upload",
        scope="write",
        expires_at=timezone.now() + timedelta(days=5),
    )
    do_create_api_token(
        person=world.bob,
        name="Bob's token",
        scope="read",
        expires_at=timezone.now() + timedelta(days=5),
    )
    page = world.client("alice").get("/accounts/settings/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "API tokens" in html and "Monthly upload" in html and "Read and write" in html
    assert "Bob&#x27;s token" not in html and "Bob's token" not in html
    assert 'name="expires_on"' in html


def test_a_new_token_is_shown_once_and_stored_hashed(world):
    client = world.client("alice")
    response = create(client, name="R scripts", scope="write")
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(person=world.alice)
    text = response.context["new_token"][1]
    assert text.startswith("bt_") and text in response.content.decode()
    assert token.token_hash == hash_token(text) and text not in token.token_hash
    assert token.scope == "write" and token.name == "R scripts"
    assert timezone.localtime(token.expires_at).date() == timezone.localdate() + timedelta(days=30)
    again = client.get("/accounts/settings/")
    assert text not in again.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"expires_on": str(timezone.localdate())}, "expires_on", "Choose a day after today."),
        (
            {"expires_on": str(timezone.localdate() + timedelta(days=400))},
            "expires_on",
            "at most a year",
        ),
        ({"scope": "admin"}, "scope", "Select a valid choice"),
    ],
)
def test_the_token_form_says_what_is_wrong(world, data, field, message):
    response = create(world.client("alice"), **data)
    assert response.status_code == 400
    assert message in " ".join(response.context["token_form"].errors[field])
    assert not ApiToken.objects.exists()


def test_token_names_are_unique_among_active_tokens(world):
    client = world.client("alice")
    assert create(client, name="Upload").status_code == 201
    response = create(client, name="upload")
    assert response.status_code == 400
    assert "already have an active token" in str(response.context["token_form"].errors)


def test_a_person_revokes_their_own_token_only(world):
    token, _ = do_create_api_token(
        person=world.alice, name="x", scope="read", expires_at=timezone.now() + timedelta(days=1)
    )
    assert (
        world.client("bob").post(f"/accounts/settings/tokens/{token.pk}/revoke/").status_code == 404
    )
    token.refresh_from_db()
    assert token.revoked_at is None
    response = world.client("alice").post(f"/accounts/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.status == "revoked"


def test_anonymous_people_cannot_create_tokens(world):
    response = create(world.client("anon"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert world.client("alice").get("/accounts/settings/tokens/").status_code == 405


def test_requests_without_a_valid_token_get_401_with_the_error_body(world, api):
    response = api(None).get("/collaboratives")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401 and body["code"] == "unauthorized"
    assert "Bearer" in body["message"] and body["errors"] == []

    from .conftest import ApiClient

    assert ApiClient("bt_nonsense").get("/collaboratives").json()["message"] == "Unknown token."
    assert "not a Breakthrough API token" in ApiClient("abc").get("/me").json()["message"]


def test_revoked_and_expired_tokens_are_refused(world):
    from .conftest import ApiClient

    token, text = do_create_api_token(
        person=world.alice, name="x", scope="read", expires_at=timezone.now() + timedelta(days=1)
    )
    assert ApiClient(text).get("/me").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = ApiClient(text).get("/me")
        assert response.status_code == 401 and "expired" in response.json()["message"]
    do_revoke_api_token(token)
    response = ApiClient(text).get("/me")
    assert response.status_code == 401 and response.json()["message"] == "This token was revoked."


def test_a_deactivated_person_s_token_stops_working(world, api):
    client = api("bob")
    world.bob.is_active = False
    world.bob.save()
    assert client.get("/me").status_code == 401


def test_a_read_token_cannot_write(world, api):
    response = api("alice", scope="read").patch(
        "/collaboratives/testbsc/teams/alder", {"edit_version": 1, "aim": "x"}
    )
    assert response.status_code == 403
    assert "write scope" in response.json()["message"]


def test_last_used_is_recorded_at_most_once_a_minute(world):
    from .conftest import ApiClient

    token, text = do_create_api_token(
        person=world.alice, name="x", scope="read", expires_at=timezone.now() + timedelta(days=3)
    )
    assert token.last_used_at is None
    ApiClient(text).get("/me")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    ApiClient(text).get("/me")
    token.refresh_from_db()
    assert token.last_used_at == first
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        ApiClient(text).get("/me")
        token.refresh_from_db()
        assert token.last_used_at > first


def test_the_rate_limit_answers_429_with_retry_after(world, api, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE_LIMIT = "3/min"
    alice, bob = api("alice"), api("bob")
    assert [alice.get("/me").status_code for _ in range(3)] == [200, 200, 200]
    limited = alice.get("/me")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["code"] == "rate_limited"
    assert bob.get("/me").status_code == 200  # per token, not per address
    settings.API_RATE_LIMIT = "off"
    assert alice.get("/me").status_code == 200


def test_me_says_who_the_token_acts_as(world, api):
    body = api("alice", scope="read").get("/me").json()
    assert body["username"] == "alice" and body["token"]["scope"] == "read"
    assert body["collaboratives"] == ["testbsc"]
