from __future__ import annotations

from django import forms

from .models import Team


class TeamForm(forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Team
        fields = ["aim", "data_visibility"]
        widgets = {"aim": forms.Textarea(attrs={"rows": 5})}
        labels = {"data_visibility": "Who outside the team sees its work"}
