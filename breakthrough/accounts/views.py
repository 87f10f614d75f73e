from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from breakthrough.collaboratives.access import collaboratives_for_user

from .actions import InvitationError, do_accept_invitation, get_invitation_by_token
from .forms import AcceptInvitationForm, ProfileForm


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = get_invitation_by_token(token)
    except InvitationError as error:
        return render(
            request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410
        )

    if request.user.is_authenticated:
        if request.method == "POST":
            do_accept_invitation(invitation, user=request.user)
            messages.success(request, f"Welcome to {invitation.collaborative.name}.")
            return redirect(invitation.collaborative)
        return render(request, "accounts/invitation_accept.html", {"invitation": invitation})

    form = AcceptInvitationForm(
        request.POST or None,
        email=invitation.email,
        initial={"full_name": invitation.full_name, "username": invitation.email.split("@")[0]},
    )
    if request.method == "POST" and form.is_valid():
        user = do_accept_invitation(
            invitation,
            username=form.cleaned_data["username"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="breakthrough.accounts.backends.PersonBackend")
        messages.success(
            request, f"Welcome to {invitation.collaborative.name}, {user.display_name}."
        )
        return redirect(invitation.collaborative)
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your details were saved.")
        return redirect("accounts:settings")
    return render_settings(request, form=form, status=400 if form.errors else 200)


def render_settings(
    request: HttpRequest,
    *,
    form: ProfileForm | None = None,
    token_form=None,
    new_token=None,
    status: int = 200,
) -> HttpResponse:
    """The settings page: details, security, collaboratives and API tokens."""
    from breakthrough.api.access import tokens_for_user
    from breakthrough.api.forms import ApiTokenForm

    return render(
        request,
        "accounts/settings.html",
        {
            "form": form or ProfileForm(instance=request.user),
            "collaboratives": collaboratives_for_user(request.user),
            "tokens": tokens_for_user(request.user),
            "token_form": token_form or ApiTokenForm(user=request.user),
            "new_token": new_token,
        },
        status=status,
    )
