from __future__ import annotations

from django import forms

from .models import Measure

DEFINITION_HELP = (
    "Changing the operational definition starts a new version of the measure from the "
    "'effective from' month; charts mark the change."
)


class MeasureDefinitionForm(forms.ModelForm):
    """What staff change about a measure: its wording, definitions and the collaborative goal."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Measure
        fields = [
            "name",
            "definition",
            "numerator_definition",
            "denominator_definition",
            "unit",
            "direction",
            "goal",
            "goal_basis",
            "effective_from",
            "source",
            "basis",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "numerator_definition": forms.Textarea(attrs={"rows": 2}),
            "denominator_definition": forms.Textarea(attrs={"rows": 2}),
            "basis": forms.Textarea(attrs={"rows": 2}),
            "effective_from": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"definition": DEFINITION_HELP}
        labels = {"goal": "Collaborative goal"}


class CustomMeasureForm(forms.ModelForm):
    """A team's own measure."""

    class Meta:
        model = Measure
        fields = [
            "code",
            "name",
            "kind",
            "data_type",
            "definition",
            "numerator_definition",
            "denominator_definition",
            "multiplier",
            "unit",
            "direction",
            "goal",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "numerator_definition": forms.Textarea(attrs={"rows": 2}),
            "denominator_definition": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"code": "Short and unique in the collaborative, e.g. AL1."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data_type"].choices = [
            c for c in Measure.DataType.choices if c[0] not in {"ratio", "score"}
        ]
        self.fields["definition"].required = True

    def validate_unique(self) -> None:  # the action checks the code within the collaborative
        pass
