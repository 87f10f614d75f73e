"""The collaborative's navigation: sections a person may open, and the current page."""

from __future__ import annotations

import pytest

from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.collaboratives.nav import navigation

pytestmark = pytest.mark.django_db


def labels(standing, view):
    return {s.label: [p.label for p in pages] for s, pages in navigation(standing, view)}


def test_a_team_member_sees_no_administration_and_no_console(world):
    nav = labels(get_standing_for_user(world.bob, world.collaborative.slug), "pdsa:overview")
    assert "Administration" not in nav
    assert "Faculty console" not in nav["Reports"]
    assert nav["Changes"] == ["Change package", "PDSAs", "Matrix", "Lessons"]


def test_the_director_sees_every_section(world):
    nav = labels(get_standing_for_user(world.dina, world.collaborative.slug), "reports:console")
    assert list(nav) == [
        "Overview",
        "Changes",
        "Measures",
        "Reports",
        "Learning",
        "Dissemination",
        "Administration",
    ]
    assert nav["Administration"] == ["People", "Exports", "History"]


def test_the_most_specific_page_is_current(world):
    standing = get_standing_for_user(world.dina, world.collaborative.slug)
    sections = dict(navigation(standing, "pdsa:matrix"))
    current = [s.label for s in sections if s.current]
    assert current == ["Changes"]
    pages = next(p for s, p in sections.items() if s.current)
    assert [p.label for p in pages if p.current] == ["Matrix"]


def test_the_page_shows_sections_and_the_current_sections_pages(client, world):
    client.force_login(world.alice)
    html = client.get(f"/c/{world.collaborative.slug}/change-package/matrix/").content.decode()
    assert 'class="subtab" href="/c/' in html
    assert ">Matrix</a>" in html and ">Learning</a>" in html


def test_import_and_export_is_offered_to_leads_and_staff_not_to_members(world):
    def measures(name):
        standing = get_standing_for_user(getattr(world, name), world.collaborative.slug)
        return labels(standing, "measures:list")["Measures"]

    assert measures("alice") == ["Measure set", "Import and export"]
    assert measures("dina") == ["Measure set", "Import and export"]
    assert measures("bob") == ["Measure set"]
