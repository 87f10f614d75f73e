"""The team page leads the team and staff to the month's data; others do not get the links."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "shown"),
    [("alice", True), ("bob", True), ("dina", True), ("carol", False), ("fran", True)],
)
def test_monthly_data_link_follows_who_reads_the_data(world, who, shown):
    team = world.team_a
    page = world.client(who).get(
        reverse("teams:detail", args=[world.collaborative.slug, team.slug])
    )
    assert page.status_code == 200
    link = reverse("measures:entry-index", args=[world.collaborative.slug, team.slug])
    assert (link in page.content.decode()) is shown
    if shown:
        assert world.client(who).get(link).status_code == 200
    else:
        assert world.client(who).get(link).status_code in (403, 404)
