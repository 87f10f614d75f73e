from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm

User = get_user_model()


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=150)
    username = forms.RegexField(
        label="Username",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text="What you will type to log in. Letters, digits and @ . + - _ only.",
        error_messages={"invalid": "Use only letters, digits and @ . + - _ in a username."},
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(f"The username “{username}” is taken; choose another.")
        return username

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords differ; type the same password twice.")
        elif p1:
            candidate = User(
                username=data.get("username", ""),
                email=self.email,
                full_name=data.get("full_name", ""),
            )
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "title", "lived_experience"]
        labels = {"lived_experience": "I have lived experience of these systems"}
        help_texts = {
            "lived_experience": "Optional. Only you and the collaborative staff see this.",
        }


class LoginForm(AuthenticationForm):
    """Django's log-in form, which also says when a demo account is refused."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            username = self.cleaned_data.get("username", "")
            if (
                not settings.ALLOW_DEMO_LOGINS
                and User.objects.filter(username=username, is_demo=True).exists()
            ):
                raise forms.ValidationError(
                    "Demo accounts cannot log in on this server. Start the demo with "
                    "`breakthrough demo`, or this server with --allow-demo-logins.",
                    code="demo_login",
                ) from None
            raise
