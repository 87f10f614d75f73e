"""A pattern check for free text that looks like a record about a young person (BRIEF §8).

It does not prove anything: it catches the usual slips (a date of birth, a case number, a social
security number) and asks the author to edit before saving.
"""

from __future__ import annotations

import re

PATTERNS = [
    (
        re.compile(r"\b(d\.?o\.?b\.?|date of birth|born on)\b", re.IGNORECASE),
        "a date of birth",
    ),
    (
        re.compile(
            r"\b(case|file|docket|petition)\s*(no\.?|number|num|#|id)\s*[:#]?\s*[A-Z0-9-]*\d{3,}",
            re.IGNORECASE,
        ),
        "a case or file number",
    ),
    (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), "a social security number"),
]


def identifying_detail(text: str) -> str | None:
    """What in `text` looks like a detail about an individual, or None."""
    for pattern, what in PATTERNS:
        if pattern.search(text or ""):
            return what
    return None


WARNING = (
    "Aggregate only: never write names, dates of birth or case numbers of young people or families."
)
