"""Who may read, write and score monthly reports, and which scores each person sees.

- A team's members and collaborative staff read and write its reports.
- Other teams (and sponsor observers) read a team's narrative only when the collaborative's report
  sharing says so and the team shares its work; scores only with sharing "all".
- Faculty scoring is blind: an assigned scorer sees the self-score and the other scorers' scores
  only after scoring; other staff see faculty scores once they are reconciled; the team sees the
  reconciled score and its feedback, never the individual scorers' scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404

from breakthrough.collaboratives.access import Standing
from breakthrough.collaboratives.models import ReportingPeriod
from breakthrough.teams.access import get_team_for_user

from .actions import scorers_for, settings_for
from .models import Assessment, MonthlyReport, ReportSettings


def can_read_narrative(standing: Standing, team, cfg: ReportSettings | None = None) -> bool:
    if team.collaborative_id != standing.collaborative.pk:
        return False
    if standing.is_staff or team.pk in standing.team_ids:
        return True
    cfg = cfg or settings_for(standing.collaborative)
    return cfg.sharing != ReportSettings.Sharing.PRIVATE and standing.can_read_team(team)


def can_read_scores(standing: Standing, team, cfg: ReportSettings | None = None) -> bool:
    if team.collaborative_id != standing.collaborative.pk:
        return False
    if standing.is_staff or team.pk in standing.team_ids:
        return True
    cfg = cfg or settings_for(standing.collaborative)
    return cfg.sharing == ReportSettings.Sharing.ALL and standing.can_read_team(team)


def get_period_for_month(standing: Standing, month: str) -> ReportingPeriod:
    try:
        year, mon = (int(p) for p in month.split("-"))
        start = date(year, mon, 1)
    except ValueError:
        raise Http404("No such reporting period.") from None
    period = ReportingPeriod.objects.filter(
        collaborative=standing.collaborative, start__year=start.year, start__month=start.month
    ).first()
    if period is None:
        raise Http404("No such reporting period.")
    return period


def get_report_for_user(
    standing: Standing, team_slug: str, month: str, *, write: bool = False
) -> tuple[object, ReportingPeriod, MonthlyReport | None]:
    """The team, the period and the team's report for it (None before the first draft).

    404 when the person may not read the team's reports; 403 when they may read but not write.
    """
    team = get_team_for_user(standing, team_slug)
    if not can_read_narrative(standing, team):
        raise Http404("No such report.")
    if write and not standing.can_edit_team(team):
        raise PermissionDenied("Only members of this team and collaborative staff may change it.")
    period = get_period_for_month(standing, month)
    report = (
        MonthlyReport.objects.select_related("team__collaborative", "period", "submitted_by")
        .filter(team=team, period=period)
        .first()
    )
    return team, period, report


def get_scorable_report(standing: Standing, team_slug: str, month: str) -> MonthlyReport:
    """A submitted report the person may score (an assigned scorer); 403 otherwise."""
    if not standing.is_staff:
        raise PermissionDenied("Only faculty score reports.")
    _team, _period, report = get_report_for_user(standing, team_slug, month)
    if report is None:
        raise Http404("No such report.")
    if standing.user.pk not in {p.pk for p in scorers_for(standing.collaborative)}:
        raise PermissionDenied("Only the faculty assigned to score reports may score.")
    return report


@dataclass
class ScoreView:
    """The scores of one report as one person may see them."""

    is_scorer: bool
    mine: Assessment | None
    faculty: list[Assessment]  # the individual faculty scores this person may see
    hidden_faculty: int  # how many scores exist that this person may not see yet
    self_assessment: Assessment | None
    show_self: bool
    reconciled: Assessment | None
    waiting_for: list  # scorers who have not scored yet
    can_score: bool
    can_reconcile: bool

    @property
    def gap(self):
        if self.reconciled and self.self_assessment and self.show_self:
            return abs(self.reconciled.score - self.self_assessment.score)
        return None


def score_view(
    standing: Standing,
    report: MonthlyReport,
    assessments: list[Assessment] | None = None,
    scorers: list | None = None,
) -> ScoreView:
    """`assessments` and `scorers` may be given when already read (e.g. for a list)."""
    if assessments is None:
        assessments = list(report.assessments.select_related("assessor"))
    if scorers is None:
        scorers = scorers_for(standing.collaborative)
    scorer_ids = {p.pk for p in scorers}
    user_id = getattr(standing.user, "pk", None)
    faculty = [a for a in assessments if a.kind == Assessment.Kind.FACULTY]
    self_a = next((a for a in assessments if a.kind == Assessment.Kind.SELF), None)
    reconciled = next((a for a in assessments if a.kind == Assessment.Kind.RECONCILED), None)
    mine = next((a for a in faculty if a.assessor_id == user_id), None)
    scored = {a.assessor_id for a in faculty}
    complete = scorer_ids <= scored
    is_scorer = standing.is_staff and user_id in scorer_ids
    if is_scorer:
        visible = faculty if (mine and complete) or reconciled else [mine] if mine else []
        # Blind to the team's own view until scored; a draft is not up for scoring yet.
        show_self = bool(mine or reconciled) or (report.state != "submitted" and not faculty)
    elif standing.is_staff:
        visible = faculty if reconciled else []
        show_self = True
    else:
        visible = []
        show_self = True
    submitted = report.state == MonthlyReport.State.SUBMITTED
    return ScoreView(
        is_scorer=is_scorer,
        mine=mine,
        faculty=visible,
        hidden_faculty=len(faculty) - len(visible),
        self_assessment=self_a,
        show_self=show_self,
        reconciled=reconciled,
        waiting_for=[p for p in scorers if p.pk not in scored],
        can_score=is_scorer and submitted and reconciled is None,
        can_reconcile=is_scorer and submitted and complete and reconciled is None,
    )
