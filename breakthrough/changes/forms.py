from __future__ import annotations

from django import forms

from breakthrough.measures.models import Measure
from breakthrough.pdsa.forms import NodeChoiceField, node_choices
from breakthrough.pdsa.privacy import identifying_detail
from breakthrough.teams.models import Team

from .models import ChangeNode, Lesson


class CycleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        code = obj.ramp.change_node.code
        return (
            f"{obj.team.code or obj.team.name} · {code} {obj.title}, cycle {obj.cycle_no}".strip()
        )


class LessonForm(forms.Form):
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The lesson in one or two sentences, as another team could use it.",
    )
    detail = forms.CharField(
        label="What the evidence shows",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    strength = forms.ChoiceField(
        choices=Lesson.Strength.choices,
        widget=forms.RadioSelect,
        help_text="Tested: cycles support it. Implemented: a team adopted it. "
        "Spread: several teams use it.",
    )
    nodes = NodeChoiceField(
        queryset=ChangeNode.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Change-package nodes",
        error_messages={"required": "Link the lesson to at least one node of the change package."},
    )
    cycles = CycleChoiceField(
        queryset=None,
        required=False,
        label="Evidence: PDSA cycles",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (or ⌘) to choose several.",
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The teams of the chosen cycles are added for you.",
    )
    measures = forms.ModelMultipleChoiceField(
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Evidence: charts of these measures",
    )
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, collaborative, nodes, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nodes"].queryset = ChangeNode.objects.filter(pk__in=[n.pk for n in nodes])
        self._node_groups = node_choices(nodes)
        self.fields["nodes"].choices = self._node_groups
        self.fields["cycles"].queryset = cycles
        self.fields["teams"].queryset = Team.objects.filter(collaborative=collaborative)
        self.fields["measures"].queryset = Measure.objects.filter(
            collaborative=collaborative, owner_team__isnull=True
        ).exclude(data_type__in=["text", "score"])

    @property
    def node_groups(self):
        widgets = {str(w.data["value"]): w for w in self["nodes"].subwidgets}
        return [
            (label, [widgets[str(v)] for v, _ in options if str(v) in widgets])
            for label, options in self._node_groups
        ]

    def clean(self):
        data = super().clean()
        for name in ("statement", "detail"):
            what = identifying_detail(data.get(name) or "")
            if what:
                self.add_error(
                    name,
                    f"This looks like {what}. Lessons are about practice, never about an "
                    "individual young person.",
                )
        return data


class DraftVersionForm(forms.Form):
    version = forms.CharField(max_length=20, help_text="e.g. 2.0")
    title = forms.CharField(max_length=200)


class NodeForm(forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ChangeNode
        fields = ["code", "title", "guiding_question", "description", "evidence_notes", "order"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence_notes": forms.Textarea(attrs={"rows": 3}),
        }


class AddNodeForm(forms.Form):
    parent = forms.ModelChoiceField(
        queryset=ChangeNode.objects.none(),
        required=False,
        empty_label="(top level: a new component)",
        label="Under",
    )
    code = forms.CharField(max_length=20, required=False)
    title = forms.CharField(max_length=300)
    guiding_question = forms.CharField(max_length=300, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, package, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = package.nodes.filter(
            kind__in=["component", "concept", "primary_driver", "secondary_driver"]
        )

    def kind(self) -> str:
        parent = self.cleaned_data.get("parent")
        if parent is None:
            return "component"
        return "secondary_driver" if parent.kind == "primary_driver" else "idea"
