from __future__ import annotations

from django import forms

from .models import FinalReport, Phase, Practice, PracticeModel, ReportSection, TeamStoryboard

TEXT = {"rows": 6}


class SectionForm(forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ReportSection
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}
        help_texts = {"body": "Markdown: blank lines between paragraphs, '-' for bullets."}


class ReportSettingsForm(forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = FinalReport
        fields = ["title", "subtitle", "status", "public_page"]


class StoryboardForm(forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TeamStoryboard
        fields = ["title", "event", "until_period", *TeamStoryboard.TEXT_FIELDS[1:]]
        widgets = {f: forms.Textarea(attrs=TEXT) for f in TeamStoryboard.TEXT_FIELDS[1:]}

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        c = team.collaborative
        self.fields["event"].queryset = c.events.filter(
            kind__in=["learning_session", "expert_meeting", "planning_meeting"]
        ).order_by("start")
        self.fields["until_period"].queryset = c.periods.order_by("start")


class ModelSettingsForm(forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = PracticeModel
        fields = ["title", "introduction", "status"]
        widgets = {"introduction": forms.Textarea(attrs=TEXT)}


class PhaseForm(forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Phase
        fields = ["code", "title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PracticeForm(forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Practice
        fields = [
            "phase",
            "area",
            "title",
            "description",
            "nodes",
            "lessons",
            "fidelity_measure",
            "order",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "nodes": forms.CheckboxSelectMultiple,
            "lessons": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, model: PracticeModel, **kwargs):
        super().__init__(*args, **kwargs)
        from breakthrough.changes.models import ChangeNode, Lesson
        from breakthrough.measures.models import Measure
        from breakthrough.pdsa.status import current_package

        c = model.collaborative
        package = current_package(c.pk)
        self.fields["phase"].queryset = model.phases.all()
        self.fields["nodes"].queryset = (
            ChangeNode.objects.filter(package=package, kind="idea").order_by("code", "id")
            if package
            else ChangeNode.objects.none()
        )
        self.fields["lessons"].queryset = Lesson.objects.filter(collaborative=c)
        self.fields["fidelity_measure"].queryset = Measure.objects.filter(
            collaborative=c, owner_team__isnull=True
        )
        self.fields["order"].required = False


class PackageVersionForm(forms.Form):
    version = forms.CharField(max_length=20, help_text="The new change-package version, e.g. 3.0.")


class BuildForm(forms.Form):
    kind = forms.ChoiceField(choices=[("final", "Final report"), ("model", "Practice model")])
    format = forms.ChoiceField(choices=[("pdf", "PDF"), ("docx", "Word"), ("html", "HTML")])
