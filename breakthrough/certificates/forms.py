from __future__ import annotations

from django import forms

from breakthrough.collaboratives.access import collaboratives_for_user, standing_for
from breakthrough.collaboratives.models import Organisation
from breakthrough.discussions.forms import MARKDOWN_HELP, NodeChoiceField, NodeSelectField
from breakthrough.discussions.privacy import IdentifyingDetailsCheck
from breakthrough.teams.models import Agency, Membership

from .models import Capstone, Program

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgramForm(forms.Form):
    title = forms.CharField(max_length=200)
    cohort = forms.CharField(max_length=100, help_text="e.g. July 2008 cohort.")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    start = forms.DateField(widget=DATE)
    end = forms.DateField(widget=DATE)
    place = forms.CharField(max_length=200)
    sponsors = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Named on the certificates.",
    )
    shared_with = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Shared with other collaboratives",
        help_text="Their teams may enrol; you can choose those you help run.",
    )
    min_attendance = forms.IntegerField(
        label="Attendance required (%)",
        min_value=0,
        max_value=100,
        initial=80,
        help_text="Share of the sessions a participant must attend to complete the program.",
    )
    capstone_required = forms.BooleanField(
        required=False,
        initial=True,
        label="The team's capstone must be accepted for a certificate",
    )
    signatories = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who signs the certificates: one per line, the name, a comma, then the title "
        "(e.g. “Helen Marsh, Collaborative Director”).",
    )
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, standing, **kwargs):
        super().__init__(*args, **kwargs)
        user, own = standing.user, standing.collaborative
        managed = [
            c.pk
            for c in collaboratives_for_user(user).exclude(pk=own.pk)
            if standing_for(user, c).can_manage
        ]
        self.fields["shared_with"].queryset = own.__class__.objects.filter(pk__in=managed)
        if not managed:
            del self.fields["shared_with"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The program cannot end before it starts.")
        for line in (cleaned.get("signatories") or "").splitlines():
            if line.strip() and "," not in line:
                self.add_error(
                    "signatories", f"“{line.strip()}”: put a comma between the name and the title."
                )
        return cleaned


class ModuleForm(forms.Form):
    order = forms.IntegerField(min_value=1, max_value=99)
    title = forms.CharField(max_length=200)
    objectives = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What participants can do after the module.",
    )
    materials = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=MARKDOWN_HELP
    )
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, collaborative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["components"] = NodeChoiceField(
            collaborative,
            kinds=("component", "primary_driver"),
            label="Change-package components it teaches",
        )
        self.order_fields(["order", "title", "objectives", "materials", "components"])


class SessionForm(forms.Form):
    module = forms.ModelChoiceField(queryset=None, required=False, empty_label="(no module)")
    title = forms.CharField(
        max_length=200, required=False, help_text="Left empty: the module's name."
    )
    start = forms.DateField(label="Date", widget=DATE)
    end = forms.DateField(label="Last day", required=False, widget=DATE, help_text="If longer.")
    location = forms.CharField(max_length=200, required=False, help_text="Left empty: the place.")

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["module"].queryset = program.modules.all()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "A session cannot end before it starts.")
        if not cleaned.get("title") and not cleaned.get("module"):
            self.add_error("title", "Give the session a title or choose its module.")
        return cleaned


class EnrolForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="A member of a team",
        help_text="Or enrol someone new below: they are invited to join the team.",
    )
    team = forms.ModelChoiceField(queryset=None, required=False, label="Jurisdiction team")
    agency = forms.ModelChoiceField(queryset=None, required=False)
    full_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)

    def __init__(self, *args, standing, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        c = standing.collaborative
        enrolled = program.enrolments.values("email")
        self.fields["member"].queryset = (
            Membership.objects.filter(team__collaborative=c, ended_on__isnull=True)
            .exclude(person__email__in=enrolled)
            .select_related("person", "team", "agency")
            .order_by("team__name", "person__full_name")
        )
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.person.display_name} — {m.team.name}" + (f", {m.agency.name}" if m.agency else "")
        )
        self.fields["team"].queryset = c.teams.all()
        self.fields["agency"].queryset = Agency.objects.filter(
            jurisdiction__teams__collaborative=c
        ).select_related("jurisdiction")
        self.fields["agency"].label_from_instance = lambda a: f"{a.name} ({a.jurisdiction.name})"

    def clean(self):
        cleaned = super().clean()
        member = cleaned.get("member")
        if member:
            if not member.person.email:
                self.add_error("member", f"{member.person} has no e-mail address on file.")
            cleaned["team"] = member.team
            cleaned["agency"] = member.agency
            cleaned["full_name"] = member.person.display_name
            cleaned["email"] = member.person.email
            return cleaned
        for name, message in (
            ("team", "Choose the participant's jurisdiction team."),
            ("full_name", "Give the participant's name."),
            ("email", "Give the participant's e-mail address."),
        ):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        team, agency = cleaned.get("team"), cleaned.get("agency")
        if team and agency and agency.jurisdiction_id != team.jurisdiction_id:
            self.add_error("agency", f"{agency.name} is not an agency of {team.jurisdiction}.")
        return cleaned


class CapstoneForm(IdentifyingDetailsCheck, forms.Form):
    privacy_fields = ("title", "summary")

    title = forms.CharField(max_length=200, initial="Our action plan")
    summary = forms.CharField(
        label="The plan",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="What you will change on returning home, and why: the problem, the aim, "
        "who leads. " + MARKDOWN_HELP,
    )
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlannedCycleForm(forms.Form):
    title = forms.CharField(max_length=200, label="Cycle")
    objective = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), help_text="What will this cycle find out?"
    )
    planned_start = forms.DateField(required=False, widget=DATE, label="Start by")

    def __init__(self, *args, collaborative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = NodeSelectField(
            collaborative, label="Change idea", empty_label="Choose the change idea it tests"
        )
        self.order_fields(["title", "node", "objective", "planned_start"])


class BasePlannedCycleFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        kept = [
            f
            for f in self.forms
            if f.is_valid() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        self.cycles = [f.cleaned_data for f in kept]


PlannedCycleFormSet = forms.formset_factory(
    PlannedCycleForm, formset=BasePlannedCycleFormSet, extra=2, can_delete=True, max_num=10
)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("return", "Return to the team for changes")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when returning it: what should the team change?",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Say what the team should change.")
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.CharField(max_length=300)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Verification code", max_length=40, help_text="As printed on the certificate."
    )


CAPSTONE_STATUSES = dict(Capstone.Status.choices)
