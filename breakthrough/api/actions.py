"""Writes about API tokens: create, revoke, and note their use."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from breakthrough.accounts.models import hash_token

from .models import ApiToken

# last_used_at is written at most this often per token, so a busy script does not turn every
# read into a database write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def do_create_api_token(
    *, person, name: str, scope: str, expires_at: datetime
) -> tuple[ApiToken, str]:
    """Create a token for `person`; returns the row and the token text (shown only once)."""
    text = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person,
        name=name.strip(),
        scope=scope,
        token_hash=hash_token(text),
        hint=text[:8],
        expires_at=expires_at,
    )
    return token, text


@transaction.atomic
def do_revoke_api_token(token: ApiToken) -> ApiToken:
    """Revoke a token at once; requests with it get 401 from now on."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def do_note_token_use(token: ApiToken) -> None:
    """Record that the token was used (at most once a minute per token)."""
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
