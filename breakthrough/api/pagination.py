"""Limit/offset pagination with a bounded offset (an offset past any database integer is a 422,
not a server error)."""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_OFFSET = 1_000_000_000


class BoundedPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            getattr(settings, "NINJA_PAGINATION_PER_PAGE", 100),
            ge=1,
            le=getattr(settings, "NINJA_PAGINATION_MAX_LIMIT", 500),
            description="How many items to return.",
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")
