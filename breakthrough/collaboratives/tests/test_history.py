"""Every change to domain data is kept (who, when, old and new values) and can be restored."""

from django.urls import reverse

from breakthrough.collaboratives import history
from breakthrough.teams.models import Team


def edit_aim(world, person, aim, version):
    return world.client(person).post(
        reverse("teams:edit", args=["testbsc", "alder"]),
        {"aim": aim, "data_visibility": "collaborative", "edit_version": version},
    )


def test_change_is_recorded_with_who_and_values(world):
    edit_aim(world, "alice", "First aim", 1)
    record = world.team_a.history.first()
    assert record.history_user == world.alice
    assert record.history_type == "~"
    assert history.describe_changes(record) == [("aim", "", "First aim")]
    changes = history.recent_changes(world.collaborative.pk, labels=["teams.team"])
    assert changes[0].who == world.alice and changes[0].action == "changed"


def test_staff_read_history_and_restore_a_version(world):
    edit_aim(world, "alice", "First aim", 1)
    edit_aim(world, "alice", "Second aim", 2)
    listing = world.client("fran").get(reverse("collaboratives:history", args=["testbsc"]))
    assert "Alder County" in listing.content.decode()

    first_version = world.team_a.history.get(aim="First aim")
    url = reverse(
        "collaboratives:history-record", args=["testbsc", "teams.team", first_version.history_id]
    )
    page = world.client("dina").get(url)
    assert page.status_code == 200
    assert "First aim" in page.content.decode()

    assert world.client("alice").post(url).status_code == 403  # team members cannot restore
    assert world.client("dina").post(url, {"reason": "Undo"}).status_code == 302
    team = Team.objects.get(pk=world.team_a.pk)
    assert team.aim == "First aim"
    assert team.edit_version == 4  # the restore moves the version on, so open forms notice
    latest = team.history.first()
    assert latest.history_user == world.dina and latest.history_change_reason == "Undo"


def test_restore_undeletes(world):
    from breakthrough.teams.models import Membership

    membership = Membership.objects.get(person=world.bob)
    membership.delete()
    deleted = Membership.history.filter(history_type="-").get()
    url = reverse(
        "collaboratives:history-record", args=["testbsc", "teams.membership", deleted.history_id]
    )
    assert world.client("dina").post(url).status_code == 302
    assert Membership.objects.filter(person=world.bob, team=world.team_a).exists()


def test_history_of_another_collaborative_is_not_reachable(world):
    other_team = Team.objects.get(slug="oak")
    other_team.aim = "Secret"
    other_team.save()
    record = other_team.history.first()
    url = reverse(
        "collaboratives:history-record", args=["testbsc", "teams.team", record.history_id]
    )
    assert world.client("dina").get(url).status_code == 404
    assert (
        world.client("dina")
        .get(reverse("collaboratives:history-record", args=["testbsc", "nope.model", 1]))
        .status_code
        == 404
    )
