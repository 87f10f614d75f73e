from __future__ import annotations

from django import forms
from django.forms import formset_factory

from breakthrough.changes.models import ChangeNode
from breakthrough.measures.models import Measure

from . import files
from .models import PDSACycle
from .privacy import identifying_detail

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _privacy(value: str) -> str:
    what = identifying_detail(value)
    if what:
        raise forms.ValidationError(
            f"This looks like {what}. Breakthrough holds aggregates only: describe youth in "
            "numbers, never by name, birth date or case number."
        )
    return value


class NodeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ChangeNode) -> str:
        return f"{obj.code} {obj.title}".strip()


def node_choices(nodes: list[ChangeNode]) -> list:
    """Change ideas grouped by component, for checkboxes (components themselves selectable)."""
    by_parent: dict[int | None, list[ChangeNode]] = {}
    for n in nodes:
        by_parent.setdefault(n.parent_id, []).append(n)
    groups = []
    for comp in by_parent.get(None, []):
        if comp.kind not in ("component", "primary_driver"):
            continue
        options = [(comp.pk, f"{comp.code} {comp.title} (the component itself)".strip())]
        stack = list(reversed(by_parent.get(comp.pk, [])))
        while stack:
            n = stack.pop()
            if not n.retired:
                options.append((n.pk, f"{n.code} {n.title}".strip()))
            stack.extend(reversed(by_parent.get(n.pk, [])))
        groups.append((f"{comp.code} {comp.title}".strip(), options))
    known = {n.pk for n in nodes}
    older = [n for n in nodes if n.parent_id is not None and n.parent_id not in known]
    if older:
        groups.append(
            (
                "From an earlier version of the change package",
                [(n.pk, f"{n.code} {n.title} (v{n.package.version})".strip()) for n in older],
            )
        )
    return groups


class CycleForm(forms.Form):
    """The PDSA worksheet. Which sections show depends on the cycle's stage."""

    title = forms.CharField(max_length=200, help_text="A short name for the change being tested.")
    nodes = NodeChoiceField(
        queryset=ChangeNode.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Change ideas tested",
        error_messages={"required": "Choose at least one change idea the cycle tests."},
    )
    measures = forms.ModelMultipleChoiceField(
        queryset=Measure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Linked measures",
        help_text="Charts of these measures will show when the cycle started and was adopted.",
    )
    purpose = forms.ChoiceField(choices=PDSACycle.Purpose.choices)
    objective = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What is this cycle trying to learn or accomplish?",
    )
    scale = forms.CharField(
        max_length=200,
        required=False,
        help_text='Keep early tests small, e.g. "1 intake officer, 3 youth, 1 week".',
    )
    planned_start = forms.DateField(required=False, widget=DATE)
    planned_end = forms.DateField(required=False, widget=DATE)
    data_plan = forms.CharField(
        label="Data-collection plan",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What will you count or observe, who records it, and how?",
    )
    start = forms.DateField(label="Started on", required=False, widget=DATE)
    end = forms.DateField(label="Ended on", required=False, widget=DATE)
    do_notes = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    do_problems = forms.CharField(
        label="Problems and unexpected observations",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    results = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="The data: counts, times, what you saw. Attach tally sheets below.",
    )
    learned = forms.CharField(
        label="What we learned", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    next_steps = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    implementation_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="How the adopted change will be implemented and sustained.",
    )
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    PLAN = ("title", "nodes", "measures", "purpose", "objective", "scale", "planned_start",
            "planned_end", "data_plan")  # fmt: skip
    DO = ("start", "end", "do_notes", "do_problems")
    STUDY = ("results", "learned")
    ACT = ("next_steps", "implementation_note")

    def __init__(self, *args, team, nodes: list[ChangeNode], state: str, decided: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.state = state
        self.fields["nodes"].queryset = ChangeNode.objects.filter(pk__in=[n.pk for n in nodes])
        self._node_groups = node_choices(nodes)
        self.fields["nodes"].choices = self._node_groups
        self.fields["measures"].queryset = Measure.objects.filter(
            team_measures__team=team, team_measures__active=True
        ).exclude(data_type__in=["text", "score"])
        order = ("planned", "doing", "studying", "decided")
        reached = order.index(state)
        drop = []
        if reached < 1:
            drop += self.DO
        if reached < 2:
            drop += self.STUDY
        if not decided:
            drop += self.ACT
        for name in drop:
            del self.fields[name]

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str) and value:
                try:
                    _privacy(value)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "The planned end cannot come before the start.")
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The test cannot end before it started.")
        return data

    @property
    def node_groups(self):
        """(component label, checkbox widgets) pairs, for one fieldset per component."""
        widgets = {str(w.data["value"]): w for w in self["nodes"].subwidgets}
        return [
            (label, [widgets[str(v)] for v, _ in options if str(v) in widgets])
            for label, options in self._node_groups
        ]

    @property
    def selected_nodes(self) -> list[str]:
        """Labels of the ticked ideas, shown above the (scrolling) list of checkboxes."""
        chosen = {str(v) for v in (self["nodes"].value() or [])}
        return [
            label for _, options in self._node_groups for v, label in options if str(v) in chosen
        ]

    def section(self, names):
        return [self[n] for n in names if n in self.fields]

    @property
    def plan_fields(self):
        return self.section(self.PLAN)

    @property
    def do_fields(self):
        return self.section(self.DO)

    @property
    def study_fields(self):
        return self.section(self.STUDY)

    @property
    def act_fields(self):
        return self.section(self.ACT)


class QuestionForm(forms.Form):
    question = forms.CharField(
        max_length=500, required=False, widget=forms.TextInput(attrs={"size": 50})
    )
    prediction = forms.CharField(
        max_length=500, required=False, widget=forms.TextInput(attrs={"size": 50})
    )
    outcome = forms.ChoiceField(
        label="Compared with the results",
        choices=[("", "—"), *PDSACycle.Outcome.choices],
        required=False,
    )
    comparison = forms.CharField(
        label="How the results compare",
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs={"size": 50}),
    )

    def __init__(self, *args, studying: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not studying:
            del self.fields["outcome"]
            del self.fields["comparison"]

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str) and value:
                try:
                    _privacy(value)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        if data.get("prediction") and not data.get("question"):
            self.add_error("question", "Write the question this prediction answers.")
        if (data.get("outcome") or data.get("comparison")) and not data.get("prediction"):
            self.add_error("prediction", "There is no prediction to compare with.")
        return data


class TaskForm(forms.Form):
    what = forms.CharField(max_length=300, required=False)
    who = forms.CharField(max_length=200, required=False)
    when = forms.CharField(max_length=200, required=False)
    where = forms.CharField(max_length=200, required=False)

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str) and value:
                try:
                    _privacy(value)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data


QuestionFormSet = formset_factory(QuestionForm, extra=1, max_num=12, validate_max=True)
TaskFormSet = formset_factory(TaskForm, extra=1, max_num=20, validate_max=True)


def question_formset(data=None, *, cycle: PDSACycle | None, studying: bool):
    initial = list(cycle.questions) if cycle else []
    formset = QuestionFormSet(data, initial=initial, prefix="q", form_kwargs={"studying": studying})
    if not initial and data is None:
        formset.extra = 2
    return formset


def task_formset(data=None, *, cycle: PDSACycle | None):
    initial = list(cycle.tasks) if cycle else []
    formset = TaskFormSet(data, initial=initial, prefix="t")
    if not initial and data is None:
        formset.extra = 2
    return formset


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=PDSACycle.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a decision: adopt, adapt, abandon or expand the scale."
        },
    )
    next_steps = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the next steps."},
    )
    implementation_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="For adopt: how the change will be implemented and sustained.",
    )
    decided_on = forms.DateField(widget=DATE, required=False, help_text="Today if left empty.")
    start_next = forms.BooleanField(
        required=False,
        initial=True,
        label="Start the next cycle now, pre-filled from this one (adapt or expand)",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "adopt" and not (data.get("implementation_note") or "").strip():
            self.add_error(
                "implementation_note",
                "For adopt, say how the change will be implemented and sustained.",
            )
        for name in ("next_steps", "implementation_note"):
            if data.get(name):
                try:
                    _privacy(data[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(
        help_text=f"{files.ALLOWED_LABEL}; at most {files.max_bytes() // 1_048_576} MB. "
        "Blank forms and protocols only: no records about a young person."
    )
    description = forms.CharField(max_length=300, required=False)


class CloneForm(forms.Form):
    team = forms.ModelChoiceField(queryset=None, label="Into team", empty_label=None)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        from breakthrough.teams.models import Team

        self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])


class LibraryFilterForm(forms.Form):
    q = forms.CharField(
        label="Search", required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    component = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    idea = forms.TypedChoiceField(label="Change idea", required=False, coerce=int, empty_value=None)
    team = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    decision = forms.ChoiceField(required=False)
    state = forms.ChoiceField(label="Stage", required=False)
    date_from = forms.DateField(label="From", required=False, widget=DATE)
    date_to = forms.DateField(label="To", required=False, widget=DATE)

    def __init__(self, *args, components, ideas, teams, vocab, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["component"].choices = [("", "All components")] + [
            (c.pk, f"{c.code} {c.title}".strip()) for c in components
        ]
        self.fields["idea"].choices = [("", "All change ideas")] + [
            (n.pk, f"{n.code} {n.title}".strip()) for n in ideas
        ]
        self.fields["team"].choices = [("", f"All {vocab['teams'].lower()}")] + [
            (t.pk, t.name) for t in teams
        ]
        self.fields["decision"].choices = [
            ("", "Any decision"),
            ("none", "No decision yet"),
            *PDSACycle.Decision.choices,
        ]
        from .models import stage_label

        self.fields["state"].choices = [("", "Any stage")] + [
            (s, stage_label(s, vocab)) for s in PDSACycle.State.values
        ]


class MatrixFilterForm(forms.Form):
    component = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(required=False, label="Show ideas where a team is")
    tested_only = forms.BooleanField(required=False, label="Only ideas some team has tested")

    def __init__(self, *args, components, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        from .status import STATUS_LABELS

        self.fields["component"].choices = [("", "All components")] + [
            (c.pk, f"{c.code} {c.title}".strip()) for c in components
        ]
        self.fields["status"].choices = [("", "Any status")] + [
            (k, v) for k, v in STATUS_LABELS.items() if k != "not_started"
        ]
