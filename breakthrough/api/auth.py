"""Personal access tokens for the API, and the per-token rate limit."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle, SimpleRateThrottle

from .access import TokenRefused, get_token_by_text
from .actions import do_note_token_use
from .models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer bt_…`. The request then acts as the token's person.

    `write=True` operations refuse read-only tokens with 403.
    """

    def __init__(self, *, write: bool = False):
        super().__init__()
        self.write = write

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        try:
            api_token = get_token_by_text(token.strip())
        except TokenRefused as refused:
            raise AuthenticationError(401, str(refused)) from None
        if self.write and not api_token.can_write:
            raise HttpError(
                403, "This token may only read; create a token with the write scope to change data."
            )
        request.user = api_token.person
        do_note_token_use(api_token)
        return api_token


read_auth = TokenAuth()
write_auth = TokenAuth(write=True)


class TokenRateThrottle(BaseThrottle):
    """A fixed window per token in Django's cache (shared between servers through REDIS_URL).

    The limit is API_RATE_LIMIT, e.g. "600/min"; "off" switches it off.
    """

    def __init__(self) -> None:
        self._wait: float | None = None

    def limits(self) -> tuple[int, int] | None:
        rate = getattr(settings, "API_RATE_LIMIT", "600/min")
        if not rate or rate == "off":
            return None
        count, seconds = SimpleRateThrottle.parse_rate(SimpleRateThrottle, rate)  # type: ignore[arg-type]
        return int(count), int(seconds)  # type: ignore[arg-type]

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        limits = self.limits()
        if not isinstance(token, ApiToken) or limits is None:
            return True
        count, seconds = limits
        now = time.time()
        window = int(now // seconds)
        key = f"api-rate:{token.pk}:{window}"
        cache.add(key, 0, timeout=seconds + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.set(key, 1, timeout=seconds + 1)
            used = 1
        if used <= count:
            return True
        self._wait = (window + 1) * seconds - now
        return False

    def wait(self) -> float | None:
        return self._wait
