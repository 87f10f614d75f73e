"""Full-text search over cycles: PostgreSQL's own text search, a word match on SQLite.

On PostgreSQL the query is a web-search expression ("quoted phrases", -excluded words, or) over
an English text-search vector of the cycle's text. The vector is a column PostgreSQL generates
and stores (migration 0002, with a GIN index), so matching and ranking by relevance read it
instead of parsing every cycle's text. On SQLite every word must appear (case-insensitive);
newest first.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import PDSACycle

CONFIG = "english"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _words(query: str) -> list[tuple[str, bool]]:
    """(word, excluded) pairs of a query: quotes dropped, "-word" excluded, "or" skipped."""
    out = []
    for token in re.findall(r'[^\s"]+', query or ""):
        excluded = token.startswith("-")
        for word in re.findall(r"\w+", token):
            if word.lower() not in {"or", "and"}:
                out.append((word, excluded))
    return out


def terms(query: str) -> list[str]:
    """The words a result must contain."""
    return [w for w, excluded in _words(query) if not excluded]


def search(cycles: QuerySet[PDSACycle], query: str) -> QuerySet[PDSACycle]:
    """Cycles matching `query`, best first (PostgreSQL) or newest first (SQLite)."""
    query = (query or "").strip()
    if not query:
        return cycles
    if is_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField

        # The generated column of migration 0002; it is not a model field, so name it in SQL.
        vector = RawSQL(
            '"pdsa_pdsacycle"."search_vector"',
            [],
            output_field=SearchVectorField(),
        )
        search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
        return (
            cycles.alias(document=vector)
            .filter(document=search_query)
            .annotate(rank=SearchRank(vector, search_query))
            .order_by("-rank", F("start").desc(nulls_last=True), "-id")
        )
    for word, excluded in _words(query):
        if excluded:
            cycles = cycles.exclude(search_text__icontains=word)
        else:
            cycles = cycles.filter(search_text__icontains=word)
    return cycles.order_by(F("start").desc(nulls_last=True), "-id")


def snippet(text: str, query: str, width: int = 90) -> SafeString:
    """A short extract around the first matching word, with matches marked."""
    text = " ".join(" · ".join(line for line in (text or "").splitlines() if line).split())
    words = [w for w in terms(query) if len(w) > 1]
    if not words:
        return mark_safe(escape(text[: width * 2]) + ("…" if len(text) > width * 2 else ""))
    # Stems: PostgreSQL matches "meetings" for "meeting"; mark the common beginning.
    stems = sorted({w.lower()[: max(4, len(w) - 2)] if len(w) > 5 else w.lower() for w in words})
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE)
    found = pattern.search(text)
    start = max(0, found.start() - width) if found else 0
    piece = text[start : start + width * 2]
    out, last = [], 0
    for m in pattern.finditer(piece):
        out.append(escape(piece[last : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        last = m.end()
    out.append(escape(piece[last:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width * 2 < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)
