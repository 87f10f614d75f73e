from __future__ import annotations

from django import forms

from breakthrough.teams.models import Agency, Membership, Team

from .models import StaffRole


class InviteForm(forms.Form):
    """Invite a person to a team with team roles, or to the collaborative with a staff role."""

    TEAM_ROLE_CHOICES = [
        ("senior_leader", "Senior leader / sponsor"),
        ("day_to_day_lead", "Day-to-day lead"),
        ("data_contact", "Data contact"),
    ]

    email = forms.EmailField(label="E-mail address")
    full_name = forms.CharField(label="Name", max_length=150, required=False)
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, empty_label="— no team (staff role) —"
    )
    team_roles = forms.MultipleChoiceField(
        choices=TEAM_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty for a team member.",
    )
    partner = forms.ChoiceField(
        choices=Membership.Partner.choices, required=False, label="Lived-experience partner"
    )
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False)
    staff_role = forms.ChoiceField(
        choices=[("", "— none (team member) —"), *StaffRole.Role.choices], required=False
    )

    def __init__(self, *args, collaborative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(collaborative=collaborative)
        self.fields["agency"].queryset = (
            Agency.objects.filter(jurisdiction__teams__collaborative=collaborative)
            .select_related("jurisdiction")
            .order_by("jurisdiction__name", "name")
        )
        self.fields["agency"].label_from_instance = lambda a: f"{a.jurisdiction} — {a.name}"

    def clean(self):
        data = super().clean()
        team, role = data.get("team"), data.get("staff_role")
        if not team and not role:
            raise forms.ValidationError(
                "Choose a team (to invite a team member) or a staff role (to invite staff)."
            )
        if team and role:
            raise forms.ValidationError(
                "Choose either a team or a staff role: send a second invitation for the other."
            )
        agency = data.get("agency")
        if agency and team and agency.jurisdiction_id != team.jurisdiction_id:
            self.add_error("agency", f"{agency} is not an agency of {team.jurisdiction}.")
        if not team and (data.get("team_roles") or data.get("partner") or agency):
            self.add_error("team", "Team roles, partner and agency need a team.")
        return data
