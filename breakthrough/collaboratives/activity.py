"""The collaborative's activity feed: what teams and faculty did lately, newest first.

Each part of the platform registers a source in its AppConfig.ready():

    from breakthrough.collaboratives.activity import register_source
    register_source("post", "Posts", my_source)

A source is `fn(standing, before, limit) -> list[ActivityItem]`: the newest items strictly before
`before` (None: now), at most `limit` of them, only what the person may see. The feed merges the
sources, so each source needs one or two queries whatever the size of the collaborative.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .access import Standing


@dataclass(frozen=True)
class ActivityItem:
    when: datetime
    kind: str
    verb: str  # e.g. "replied in", "shared", "submitted the capstone"
    title: str
    url: str
    actor: str = ""
    team: str = ""
    detail: str = ""
    all_day: bool = False  # known to the day only (e.g. a decision date): no time is shown


Source = Callable[[Standing, datetime | None, int], list[ActivityItem]]


@dataclass(frozen=True)
class RegisteredSource:
    kind: str
    label: str
    fn: Source


SOURCES: dict[str, RegisteredSource] = {}


# The order of the kinds in the feed's filter; kinds not listed follow in the order registered.
KIND_ORDER = ["post", "cycle", "lesson", "resource", "capstone", "note"]


def register_source(kind: str, label: str, fn: Source) -> None:
    """Add (or replace) the source of one kind of activity."""
    SOURCES[kind] = RegisteredSource(kind, label, fn)


def sources() -> list[RegisteredSource]:
    rank = {k: i for i, k in enumerate(KIND_ORDER)}
    return sorted(SOURCES.values(), key=lambda s: rank.get(s.kind, len(rank)))


def feed(
    standing: Standing,
    *,
    before: datetime | None = None,
    limit: int = 40,
    kinds: list[str] | None = None,
) -> list[ActivityItem]:
    """The newest `limit` items before `before`, from every source (or those in `kinds`)."""
    streams = [
        source.fn(standing, before, limit)
        for kind, source in SOURCES.items()
        if not kinds or kind in kinds
    ]
    merged = heapq.merge(
        *[sorted(s, key=lambda i: i.when, reverse=True) for s in streams],
        key=lambda i: i.when,
        reverse=True,
    )
    return [item for _, item in zip(range(limit), merged, strict=False)]
