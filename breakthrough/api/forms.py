from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from .models import ApiToken

MAX_DAYS = 366


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What the token is for, e.g. 'Evaluation scripts' or 'Monthly upload'.",
    )
    scope = forms.ChoiceField(
        label="Scope",
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text="Read and write lets the token enter data and change what you may change.",
    )
    expires_on = forms.DateField(
        label="Expires on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="At most a year from today. The token stops working at the end of that day.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=90)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if (
            self.user is not None
            and ApiToken.objects.filter(
                person=self.user, name__iexact=name, revoked_at__isnull=True
            )
            .filter(expires_at__gt=timezone.now())
            .exists()
        ):
            raise forms.ValidationError(
                f"You already have an active token named “{name}”; choose another name."
            )
        return name

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError("Choose a day after today.")
        if day > today + timedelta(days=MAX_DAYS):
            raise forms.ValidationError(
                f"A token may last at most a year; choose a day before "
                f"{today + timedelta(days=MAX_DAYS):%d %B %Y}."
            )
        return day

    @property
    def expires_at(self) -> datetime:
        day = self.cleaned_data["expires_on"]
        return timezone.make_aware(datetime.combine(day, time.max))
