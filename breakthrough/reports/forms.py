from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model

from breakthrough.collaboratives.models import StaffRole
from breakthrough.teams.models import Team

from .models import ComponentStatus, MonthlyReport, ReportSettings, Storyboard

NARRATIVE_HELP = (
    "Aggregate facts only: never a young person's or family's name, date of birth or case number."
)

# Things that look like a person-level record in free text (BRIEF §8, "free-text care").
PERSONAL_PATTERNS = [
    (re.compile(r"\b(d\.?o\.?b\.?|date of birth|born on)\b", re.I), "a date of birth"),
    (re.compile(r"\bcase\s*(no\.?|number|#|id)\s*:?\s*[\w-]*\d", re.I), "a case number"),
    (re.compile(r"\b\d{1,2}/\d{1,2}/(19|20)\d{2}\b"), "a full date that may identify someone"),
]


def personal_data_problems(text: str) -> list[str]:
    return [what for pattern, what in PERSONAL_PATTERNS if pattern.search(text or "")]


class ReportForm(forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput)
    self_score = forms.TypedChoiceField(
        label="Self-assessment score",
        required=False,
        coerce=Decimal,
        empty_value=None,
        help_text="The team's own judgement of where it stands on the scale this month. It does "
        "not move by itself: look at your PDSA cycles and charts, then choose.",
    )

    class Meta:
        model = MonthlyReport
        fields = [
            "achievements",
            "learning",
            "barriers",
            "help_needed",
            "self_score",
            "self_justification",
        ]
        labels = {
            "achievements": "Achievements this month",
            "learning": "What we learned",
            "barriers": "Barriers",
            "help_needed": "Help we need from faculty or other teams",
            "self_justification": "Why this score",
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in [
                "achievements",
                "learning",
                "barriers",
                "help_needed",
                "self_justification",
            ]
        }

    def __init__(self, *args, scale=None, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["self_score"].choices = [
            ("", "— choose a level —"),
            *(scale.choices if scale else []),
        ]
        for name in ["achievements", "learning", "barriers", "help_needed"]:
            self.fields[name].help_text = NARRATIVE_HELP
        self.status_rows = []
        for cs in statuses:
            key = f"status_{cs.node_id}"
            self.fields[key] = forms.ChoiceField(
                label=str(cs.node),
                choices=ComponentStatus.Status.choices,
                initial=cs.status,
                required=False,  # a form without the row keeps the status as it is
            )
            self.fields[f"notes_{cs.node_id}"] = forms.CharField(
                label=f"Notes on {cs.node.code or cs.node.title}",
                required=False,
                max_length=500,
                initial=cs.notes,
            )
            self.status_rows.append((cs, self[key], self[f"notes_{cs.node_id}"]))

    def narrative_fields(self):
        return [self[n] for n in ["achievements", "learning", "barriers", "help_needed"]]

    def statuses(self) -> dict[int, tuple[str, str]]:
        return {
            cs.node_id: (
                self.cleaned_data.get(f"status_{cs.node_id}") or cs.status,
                self.cleaned_data.get(f"notes_{cs.node_id}", ""),
            )
            for cs, _s, _n in self.status_rows
            if f"status_{cs.node_id}" in self.data
        }

    def check_personal_data(self) -> bool:
        """On submit: refuse text that looks like a person-level record (True when clean)."""
        ok = True
        for name in ["achievements", "learning", "barriers", "help_needed", "self_justification"]:
            problems = personal_data_problems(self.cleaned_data.get(name, ""))
            if problems:
                ok = False
                self.add_error(
                    name,
                    f"This looks like it contains {', '.join(problems)}. Reports hold aggregate "
                    "facts only; remove it before submitting.",
                )
        return ok


class ScoreForm(forms.Form):
    score = forms.TypedChoiceField(label="Score", coerce=Decimal)
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Which evidence puts the team at this level (PDSAs, charts, the narrative).",
    )
    comments = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    suggestions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What the team could try next month.",
    )

    def __init__(self, *args, scale=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = [
            ("", "— choose a level —"),
            *(scale.choices if scale else []),
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, widget=forms.TextInput)


class ReportSettingsForm(forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ReportSettings
        fields = [
            "scorers",
            "sharing",
            "hide_half_point",
            "gap_threshold",
            "reminders_enabled",
            "remind_days_before",
            "reported_list_day",
            "overdue_days",
            "senior_leader_day",
            "weekly_digest",
        ]
        widgets = {"scorers": forms.CheckboxSelectMultiple}
        labels = {"reminders_enabled": "Send reminders"}

    def __init__(self, *args, collaborative=None, **kwargs):
        super().__init__(*args, **kwargs)
        roles: dict[int, list[str]] = {}
        for role in StaffRole.objects.filter(
            collaborative=collaborative,
            role__in=["director", "advisor", "chair", "faculty", "coach"],
            ended_on__isnull=True,
        ):
            roles.setdefault(role.person_id, []).append(role.title or role.get_role_display())
        self.fields["scorers"].queryset = get_user_model().objects.filter(pk__in=list(roles))
        self.fields["scorers"].label_from_instance = lambda p: (
            f"{p.display_name} ({', '.join(roles.get(p.pk, []))})"
        )

    def _clean_days(self, name: str) -> str:
        text = self.cleaned_data[name]
        try:
            days = ReportSettings.parse_days(text)
        except ValueError:
            raise forms.ValidationError(
                "Write whole numbers of days separated by commas, e.g. 7,1."
            ) from None
        if any(d < 1 or d > 60 for d in days):
            raise forms.ValidationError("Each day must be between 1 and 60.")
        return ",".join(str(d) for d in days)

    def clean_remind_days_before(self) -> str:
        return self._clean_days("remind_days_before")

    def clean_overdue_days(self) -> str:
        return self._clean_days("overdue_days")

    def clean_gap_threshold(self):
        value = self.cleaned_data["gap_threshold"]
        if value <= 0 or value > Decimal("4.5"):
            raise forms.ValidationError("The gap is between 0.5 and 4.5 points.")
        return value


class ScaleLevelForm(forms.Form):
    value = forms.DecimalField(widget=forms.HiddenInput, max_digits=2, decimal_places=1)
    label = forms.CharField(max_length=100)
    definition = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    local_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Local notes"
    )


ScaleLevelFormSet = forms.formset_factory(ScaleLevelForm, extra=0)


class ScaleMetaForm(forms.Form):
    note = forms.CharField(
        max_length=300, label="What changed in this version", help_text="Shown in the history."
    )


class PresenterForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none())
    topic = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, collaborative=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(collaborative=collaborative)


class AgendaItemForm(forms.Form):
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    title = forms.CharField(max_length=200)
    lead = forms.CharField(max_length=200, required=False, label="Led by")


MAX_UPLOAD = 25 * 1024 * 1024
STORYBOARD_TYPES = {".pdf", ".pptx", ".ppt", ".png", ".jpg", ".jpeg", ".odp"}


def _check_upload(upload, allowed: set[str]) -> None:
    name = upload.name.lower()
    if not any(name.endswith(ext) for ext in allowed):
        raise forms.ValidationError(
            f"Upload one of these file types: {', '.join(sorted(allowed))}."
        )
    if upload.size > MAX_UPLOAD:
        raise forms.ValidationError("The file is larger than 25 MB.")


class MaterialForm(forms.Form):
    title = forms.CharField(max_length=200)
    file = forms.FileField(required=False)
    url = forms.URLField(required=False, label="or a link", assume_scheme="https")

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("url"):
            raise forms.ValidationError("Attach a file or give a link.")
        if data.get("file"):
            _check_upload(
                data["file"], {*STORYBOARD_TYPES, ".docx", ".doc", ".xlsx", ".txt", ".odt"}
            )
        return data


class StoryboardForm(forms.Form):
    title = forms.CharField(max_length=200)
    file = forms.FileField(help_text="PDF, PowerPoint or an image, up to 25 MB.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        _check_upload(upload, STORYBOARD_TYPES)
        return upload


class StoryboardReviewForm(forms.Form):
    review_status = forms.ChoiceField(choices=Storyboard.Review.choices, label="Review")
    review_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Notes to the team"
    )
