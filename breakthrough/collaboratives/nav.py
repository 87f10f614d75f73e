"""The collaborative's navigation: a row of sections, and the pages of the current section.

Each page is (label, url name, who sees it, which views light it up). A section shows the pages
the person may open; a section with none is left out. Adding a page is one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from .access import Standing

Who = Callable[[Standing], bool]
EVERYONE: Who = lambda s: True  # noqa: E731
PARTICIPANTS: Who = lambda s: s.is_staff or s.is_member or s.is_observer  # noqa: E731
STAFF: Who = lambda s: s.is_staff  # noqa: E731
MANAGERS: Who = lambda s: s.can_manage  # noqa: E731
READERS_OF_DRAFTS: Who = lambda s: s.is_staff or s.is_observer or s.is_evaluator  # noqa: E731


def DATA_KEEPERS(s: Standing) -> bool:
    """Staff, and the leads and data contacts of a team: they import and export values."""
    from breakthrough.measures.access import data_contact_team_ids

    return s.is_staff or bool(s.lead_team_ids) or bool(data_contact_team_ids(s))


STAFF_OR_EVALUATORS: Who = lambda s: s.is_staff or s.is_evaluator  # noqa: E731


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    who: Who = EVERYONE
    # Prefixes of "namespace:name" view names that light this page up ("teams:" is a whole app).
    lights: tuple[str, ...] = ()

    def match(self, view: str) -> int:
        """How specifically this page claims the view: 0 not at all, longer prefixes win."""
        if view == self.url_name:
            return len(view) + 1
        return max((len(p) for p in self.lights if view.startswith(p)), default=0)


SECTIONS: list[tuple[str, list[Page]]] = [
    (
        "Overview",
        [
            Page("Overview", "collaboratives:detail", lights=("teams:",)),
            Page("Calendar", "collaboratives:calendar", lights=("collaboratives:event",)),
            Page(
                "Activity", "collaboratives:activity", PARTICIPANTS, ("collaboratives:engagement",)
            ),
        ],
    ),
    (
        "Changes",
        [
            Page("Change package", "changes:current", lights=("changes:",)),
            Page("PDSAs", "pdsa:overview", lights=("pdsa:",)),
            Page("Matrix", "pdsa:matrix"),
            Page("Lessons", "changes:lessons", lights=("changes:lesson",)),
        ],
    ),
    (
        "Measures",
        [
            Page("Measure set", "measures:list", lights=("measures:",)),
            Page("Import and export", "measures:import", DATA_KEEPERS, ("measures:import",)),
        ],
    ),
    (
        "Reports",
        [
            Page("Monthly reports", "reports:home", lights=("reports:",)),
            Page("Learning sessions", "reports:sessions", lights=("reports:session",)),
            Page("Faculty console", "reports:console", STAFF),
        ],
    ),
    (
        "Learning",
        [
            Page("Discussions", "discussions:list", PARTICIPANTS, ("discussions:",)),
            Page("Library", "resources:list", PARTICIPANTS, ("resources:",)),
            Page("Certificate Program", "certificates:list", PARTICIPANTS, ("certificates:",)),
        ],
    ),
    (
        "Dissemination",
        [
            Page("Storyboards", "publications:storyboards", lights=("publications:storyboard",)),
            Page("Final report", "publications:final", READERS_OF_DRAFTS, ("publications:",)),
            Page(
                "Practice model",
                "publications:model",
                READERS_OF_DRAFTS,
                ("publications:model", "publications:phase", "publications:practice"),
            ),
        ],
    ),
    (
        "Administration",
        [
            Page("People", "collaboratives:people", MANAGERS),
            Page("Exports", "archives:exports", STAFF_OR_EVALUATORS, ("archives:",)),
            Page("History", "collaboratives:history", STAFF, ("collaboratives:history-record",)),
        ],
    ),
]


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    current: bool


def navigation(standing: Standing, view: str) -> list[tuple[Link, list[Link]]]:
    """[(section link, its page links)] that `standing` may open, with the current ones marked.

    The current page is the most specific match: the view itself, else the longest prefix.
    """
    slug = standing.collaborative.slug
    out = []
    for label, pages in SECTIONS:
        links = []
        for page in pages:
            if not page.who(standing):
                continue
            try:
                href = reverse(page.url_name, args=[slug])
            except NoReverseMatch:
                continue
            links.append((page, href))
        if not links:
            continue
        best = max((p.match(view), -i) for i, (p, _) in enumerate(links))
        chosen = links[-best[1]][0] if best[0] else None
        page_links = [Link(p.label, href, p is chosen) for p, href in links]
        out.append((Link(label, links[0][1], chosen is not None), page_links))
    return out
