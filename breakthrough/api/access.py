from __future__ import annotations

from django.http import Http404

from breakthrough.accounts.models import hash_token

from .models import ApiToken


def get_token_for_user(user, pk: int) -> ApiToken:
    """One of the person's own tokens (nobody sees or revokes another person's tokens)."""
    token = ApiToken.objects.filter(person=user, pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    return token


def tokens_for_user(user):
    return ApiToken.objects.filter(person=user)


class TokenRefused(Exception):
    """The token cannot be used; the message says why."""


def get_token_by_text(text: str) -> ApiToken:
    """The active token with this text, with its person; TokenRefused otherwise."""
    if not text.startswith(ApiToken.PREFIX):
        raise TokenRefused("This is not a Breakthrough API token (they start with 'bt_').")
    token = ApiToken.objects.select_related("person").filter(token_hash=hash_token(text)).first()
    if token is None:
        raise TokenRefused("Unknown token.")
    if token.status == "revoked":
        raise TokenRefused("This token was revoked.")
    if token.status == "expired":
        raise TokenRefused(
            f"This token expired on {token.expires_at:%Y-%m-%d}; create a new one in your settings."
        )
    if not token.person.is_active:
        raise TokenRefused("The token's account is deactivated.")
    return token
