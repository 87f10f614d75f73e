from __future__ import annotations

from django import forms

from breakthrough.discussions.forms import NodeChoiceField
from breakthrough.discussions.privacy import IdentifyingDetailsCheck

from .actions import max_upload_bytes
from .models import Resource
from .uploads import ALLOWED_LIST, UploadError, check_upload, human_size


class ResourceForm(IdentifyingDetailsCheck, forms.Form):
    privacy_fields = ("title", "description")

    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Resource.Kind.choices)
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What it is, who made it, and how a team used it.",
    )
    file = forms.FileField(required=False)
    url = forms.URLField(label="Or a link", required=False, max_length=500, assume_scheme="https")
    team = forms.ModelChoiceField(queryset=None, required=False, label="Shared by team")
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, standing, resource: Resource | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource
        c = standing.collaborative
        self.fields["nodes"] = NodeChoiceField(
            c, help_text="The components or change ideas it helps with."
        )
        teams = c.teams.all()
        if not standing.is_staff:
            teams = teams.filter(pk__in=standing.team_ids)
            self.fields["team"].required = True
            self.fields["team"].empty_label = None
        self.fields["team"].queryset = teams
        self.fields["file"].help_text = (
            f"{ALLOWED_LIST}; up to {human_size(max_upload_bytes())}."
            + (
                " Choose a file only to replace the current one."
                if resource and resource.file
                else ""
            )
        )
        if resource is not None and resource.file:
            del self.fields["url"]
        self.order_fields(["title", "kind", "description", "file", "url", "nodes", "team"])

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                check_upload(upload, upload.name, upload.size, max_upload_bytes())
            except UploadError as error:
                raise forms.ValidationError(str(error)) from None
        return upload

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file"))
        has_url = bool(cleaned.get("url"))
        if self.resource is None and "file" not in self.errors and "url" not in self.errors:
            if has_file and has_url:
                self.add_error("url", "Give either a file or a link, not both.")
            elif not has_file and not has_url:
                self.add_error("file", "Choose a file to upload, or give a link.")
        return cleaned
