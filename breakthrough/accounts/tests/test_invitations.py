"""Invitations and password reset, end to end through the test outbox."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from breakthrough.accounts.models import Invitation
from breakthrough.notifications.models import OutgoingEmail

User = get_user_model()


def link_in(message) -> str:
    return re.search(r"https?://[^\s]+", message.body).group(0).replace("http://127.0.0.1:8000", "")


def invite(world, **data):
    client = world.client("dina")
    payload = {"email": "new.person@example.com", "full_name": "Nina New", **data}
    return client, client.post(reverse("collaboratives:people", args=["testbsc"]), payload)


def test_director_invites_team_member_who_sets_password(world, client):
    agency = world.team_a.jurisdiction.agencies.get()
    _, response = invite(world, team=world.team_a.pk, team_roles=["data_contact"], agency=agency.pk)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.com"]
    assert "Test Collaborative" in message.subject
    assert "data contact of Alder County" in message.body
    assert OutgoingEmail.objects.get().status == "sent"

    url = link_in(message)
    page = client.get(url)
    assert page.status_code == 200 and "Create my account" in page.content.decode()
    response = client.post(
        url,
        {
            "full_name": "Nina New",
            "username": "nina",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    nina = User.objects.get(username="nina")
    assert nina.email == "new.person@example.com"
    membership = nina.memberships.get()
    assert (
        membership.team == world.team_a
        and membership.is_data_contact
        and membership.agency == agency
    )
    # Logged in straight away, and the team page is hers now.
    assert client.get(reverse("teams:detail", args=["testbsc", "alder"])).status_code == 200
    # The link works once.
    client.logout()
    reused = client.get(url)
    assert reused.status_code == 410
    assert "already been used" in reused.content.decode()


def test_staff_invitation_gives_staff_role(world, client):
    _, response = invite(world, staff_role="coach")
    assert response.status_code == 302
    url = link_in(mail.outbox[0])
    client.post(
        url,
        {
            "full_name": "Cody Coach",
            "username": "cody",
            "password1": "another-long-passphrase",
            "password2": "another-long-passphrase",
        },
    )
    cody = User.objects.get(username="cody")
    assert cody.staff_roles.get().role == "coach"
    assert client.get(reverse("collaboratives:history", args=["testbsc"])).status_code == 200


def test_existing_user_accepts_while_logged_in(world):
    invite(world, email="carol@example.com", team=world.team_a.pk)
    url = link_in(mail.outbox[0])
    carol = world.client("carol")
    assert "Accept the invitation" in carol.get(url).content.decode()
    assert carol.post(url).status_code == 302
    assert world.carol.memberships.filter(team=world.team_a).exists()


def test_expired_and_withdrawn_links_say_so(world, client):
    invite(world, staff_role="faculty")
    url = link_in(mail.outbox[0])
    invitation = Invitation.objects.get()
    invitation.expires_at = timezone.now() - timedelta(days=1)
    invitation.save()
    response = client.get(url)
    assert response.status_code == 410 and "expired on" in response.content.decode()

    invite(world, staff_role="faculty")  # a second invitation replaces the first
    first, second = Invitation.objects.order_by("created_at")
    assert first.status == "revoked" and second.status == "pending"
    assert "withdrawn or replaced" in client.get(url).content.decode()

    assert client.get("/invitations/not-a-token/").status_code == 410


def test_invitation_form_explains_errors(world):
    _, response = invite(world, email="not-an-email")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a valid email address" in body
    assert "Choose a team" in body
    _, response = invite(world, team=world.team_a.pk, staff_role="faculty")
    assert "either a team or a staff role" in response.content.decode()
    other_agency = world.team_b.jurisdiction.agencies.get()
    _, response = invite(world, team=world.team_a.pk, agency=other_agency.pk)
    assert "is not an agency of Alder County" in response.content.decode()
    assert not mail.outbox


@pytest.mark.parametrize("person", ["alice", "bob", "carol", "olga"])
def test_only_managers_invite(world, person):
    response = world.client(person).post(
        reverse("collaboratives:people", args=["testbsc"]),
        {"email": "x@example.com", "staff_role": "director"},
    )
    assert response.status_code in (403, 404)
    assert not Invitation.objects.exists()


def test_withdraw_invitation(world):
    invite(world, staff_role="faculty")
    invitation = Invitation.objects.get()
    url = reverse("collaboratives:revoke-invitation", args=["testbsc", invitation.pk])
    assert world.client("alice").post(url).status_code == 403
    assert world.client("dina").post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "revoked"


def test_password_reset_end_to_end(world, client):
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    url = re.search(r"http://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    response = client.get(url, follow=True)
    assert "Choose a new password" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "fresh-secret-words", "new_password2": "fresh-secret-words"}
    )
    assert response.status_code == 302
    assert client.login(username="alice", password="fresh-secret-words")
    client.logout()
    assert "cannot be used" in client.get(url, follow=True).content.decode()


def test_password_reset_does_not_reveal_unknown_addresses(world, client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert not mail.outbox


def test_login_logout_and_change_password(world, client):
    from breakthrough.test import PASSWORD

    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "bobs-new-passphrase",
            "new_password2": "bobs-new-passphrase",
        },
    )
    assert response.status_code == 302
    client.post(reverse("logout"))
    assert client.get(reverse("collaboratives:home")).status_code == 302
    assert client.login(username="bob", password="bobs-new-passphrase")


def test_failed_logins_are_throttled(world, client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "bob", "password": "wrong"})
    from breakthrough.test import PASSWORD

    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def test_demo_accounts_are_refused_unless_allowed(world, client, settings):
    from breakthrough.test import PASSWORD

    world.bob.is_demo = True
    world.bob.save()
    settings.ALLOW_DEMO_LOGINS = False
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 200
    assert "Demo accounts cannot log in on this server" in response.content.decode()
    settings.ALLOW_DEMO_LOGINS = True
    assert (
        client.post(reverse("login"), {"username": "bob", "password": PASSWORD}).status_code == 302
    )
