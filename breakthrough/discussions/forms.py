from __future__ import annotations

from django import forms
from django.db.models import F

from breakthrough.changes.models import ChangeNode, ChangePackage
from breakthrough.changes.tree import build_tree
from breakthrough.collaboratives.models import Event

from .models import CoachingNote, DiscussionPreference
from .privacy import IdentifyingDetailsCheck

MARKDOWN_HELP = (
    "Markdown: **bold**, *italic*, lists with - or 1., [link](https://…), > quote. "
    "Mention someone with @ and their username. HTML is shown as text."
)
# Tags read best as components first, then their ideas.
TAG_ORDER = (F("parent").asc(nulls_first=True), "order", "id")
TAGGABLE_KINDS = ("component", "concept", "idea", "primary_driver", "secondary_driver")


def current_nodes(collaborative) -> list[tuple[ChangeNode, int]]:
    """The nodes of the collaborative's published change package in tree order, with depth."""
    package = (
        ChangePackage.objects.filter(
            collaborative=collaborative, status=ChangePackage.Status.PUBLISHED
        ).first()
        or ChangePackage.objects.filter(collaborative=collaborative).first()
    )
    if package is None:
        return []
    nodes = list(package.nodes.filter(kind__in=TAGGABLE_KINDS, retired=False))
    out: list[tuple[ChangeNode, int]] = []

    def walk(items, depth):
        for item in items:
            out.append((item.node, depth))
            walk(item.children, depth + 1)

    walk(build_tree(nodes), 0)
    return out


def node_filter(nodes, node_id: str | None) -> tuple[ChangeNode | None, list[int]]:
    """The chosen node among `nodes` (tree order, with depth) and the ids of it and its subtree."""
    try:
        wanted = int(node_id)
    except (TypeError, ValueError):
        return None, []
    chosen = next((n for n, _ in nodes if n.pk == wanted), None)
    if chosen is None:
        return None, []
    ids = {chosen.pk}
    for n, _ in nodes:  # tree order: descendants come after their parent
        if n.parent_id in ids:
            ids.add(n.pk)
    return chosen, sorted(ids)


class NodeChoiceField(forms.ModelMultipleChoiceField):
    """Change-package nodes as a list of checkboxes in tree order (ideas under components)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, collaborative, *, kinds=TAGGABLE_KINDS, **kwargs):
        self.tree = [(n, d) for n, d in current_nodes(collaborative) if n.kind in kinds]
        self.depth = {n.pk: d for n, d in self.tree}
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Change package")
        super().__init__(queryset=ChangeNode.objects.filter(pk__in=self.depth), **kwargs)
        self.widget.attrs["class"] = "node-picker"

    def _get_choices(self):
        return [(n.pk, self.label_from_instance(n)) for n, _ in self.tree]

    choices = property(_get_choices, forms.ChoiceField.choices.fset)

    def label_from_instance(self, obj) -> str:
        return ("\u2003" * self.depth.get(obj.pk, 0)) + str(obj)


def event_choices(collaborative):
    return Event.objects.filter(collaborative=collaborative).exclude(kind=Event.Kind.ACTION_PERIOD)


class ThreadForm(IdentifyingDetailsCheck, forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 8}))
    team = forms.ModelChoiceField(
        queryset=None, required=False, help_text="Optional: the team this is about."
    )
    event = forms.ModelChoiceField(
        queryset=None,
        required=False,
        help_text="Optional: the learning session, call or visit this follows.",
    )
    is_pinned = forms.BooleanField(required=False, label="Pin to the top of the list")
    is_prompt = forms.BooleanField(
        required=False,
        label="A question from staff to start the conversation",
        help_text="Shown with a “Question from staff” mark.",
    )

    field_order = ["title", "body", "nodes", "team", "event", "is_pinned", "is_prompt"]

    def __init__(self, *args, standing, **kwargs):
        super().__init__(*args, **kwargs)
        c = standing.collaborative
        self.fields["body"].help_text = MARKDOWN_HELP
        self.fields["nodes"] = NodeChoiceField(
            c, help_text="Tag the components or change ideas this is about."
        )
        teams = c.teams.all()
        if not standing.is_staff:
            teams = teams.filter(pk__in=standing.team_ids)
        self.fields["team"].queryset = teams
        self.fields["event"].queryset = event_choices(c)
        if not standing.is_staff:
            del self.fields["is_pinned"]
            del self.fields["is_prompt"]
        self.order_fields(self.field_order)


class ThreadEditForm(forms.Form):
    title = forms.CharField(max_length=200)
    team = forms.ModelChoiceField(queryset=None, required=False)
    event = forms.ModelChoiceField(queryset=None, required=False)
    edit_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, standing, **kwargs):
        super().__init__(*args, **kwargs)
        c = standing.collaborative
        self.fields["nodes"] = NodeChoiceField(c)
        teams = c.teams.all()
        if not standing.is_staff:
            teams = teams.filter(pk__in=standing.team_ids)
        self.fields["team"].queryset = teams
        self.fields["event"].queryset = event_choices(c)
        self.order_fields(["title", "nodes", "team", "event"])


class ReplyForm(IdentifyingDetailsCheck, forms.Form):
    body = forms.CharField(
        label="Your reply", widget=forms.Textarea(attrs={"rows": 6}), help_text=MARKDOWN_HELP
    )


class PostEditForm(IdentifyingDetailsCheck, forms.Form):
    body = forms.CharField(
        label="Message", widget=forms.Textarea(attrs={"rows": 10}), help_text=MARKDOWN_HELP
    )
    edit_version = forms.IntegerField(widget=forms.HiddenInput)


class PreferenceForm(forms.Form):
    mode = forms.ChoiceField(
        label="E-mail from this collaborative's discussions",
        choices=DiscussionPreference.Mode.choices,
        widget=forms.RadioSelect,
    )


class CoachingNoteForm(IdentifyingDetailsCheck, forms.Form):
    team = forms.ModelChoiceField(queryset=None)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    event = forms.ModelChoiceField(
        queryset=None, required=False, help_text="The coaching call or site visit, if any."
    )
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Note", widget=forms.Textarea(attrs={"rows": 10}), help_text=MARKDOWN_HELP
    )
    share_scope = forms.ChoiceField(
        label="Shared with", choices=CoachingNote.Scope.choices, initial=CoachingNote.Scope.TEAM
    )
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, standing, **kwargs):
        super().__init__(*args, **kwargs)
        c = standing.collaborative
        self.fields["team"].queryset = c.teams.all()
        self.fields["event"].queryset = Event.objects.filter(
            collaborative=c, kind__in=["coaching_call", "site_visit", "all_team_call"]
        )
        self.fields["nodes"] = NodeChoiceField(c)
        self.order_fields(["team", "date", "event", "subject", "body", "nodes", "share_scope"])


class NodeSelectField(forms.ModelChoiceField):
    """One change-package node, chosen from a list in tree order (ideas indented)."""

    def __init__(self, collaborative, *, kinds=TAGGABLE_KINDS, **kwargs):
        self.tree = [(n, d) for n, d in current_nodes(collaborative) if n.kind in kinds]
        self.depth = {n.pk: d for n, d in self.tree}
        super().__init__(queryset=ChangeNode.objects.filter(pk__in=self.depth), **kwargs)

    def _get_choices(self):
        choices = [("", self.empty_label)] if self.empty_label is not None else []
        return choices + [(n.pk, self.label_from_instance(n)) for n, _ in self.tree]

    choices = property(_get_choices, forms.ChoiceField.choices.fset)

    def label_from_instance(self, obj) -> str:
        return ("\u2003" * self.depth.get(obj.pk, 0)) + str(obj)
