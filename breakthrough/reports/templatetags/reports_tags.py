from __future__ import annotations

from decimal import Decimal

from django import template
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.html import format_html

from breakthrough.reports.models import Assessment, MonthlyReport

register = template.Library()


def _score(kind: str) -> Subquery:
    return Subquery(
        Assessment.objects.filter(report=OuterRef("pk"), kind=kind).order_by().values("score")[:1]
    )


@register.simple_tag
def gap_flag(self_score, faculty_score, threshold=Decimal("1.0")) -> str:
    """A badge when the team's view of itself and the faculty's differ by the threshold or more."""
    if self_score is None or faculty_score is None:
        return ""
    gap = Decimal(self_score) - Decimal(faculty_score)
    if abs(gap) < Decimal(threshold):
        return ""
    direction = "above" if gap > 0 else "below"
    return format_html(
        '<span class="badge warn" title="Self-assessment {} points {} the faculty score">'
        "gap {}{}</span>",
        f"{abs(gap):.1f}",
        direction,
        "+" if gap > 0 else "−",
        f"{abs(gap):.1f}",
    )


@register.inclusion_tag("reports/_team_section.html", takes_context=True)
def team_reports_section(context, team) -> dict:
    """The reports part of the team page: the latest months and a link to all of them."""
    from breakthrough.reports.access import can_read_narrative, can_read_scores

    standing = context.get("standing")
    if standing is None or not can_read_narrative(standing, team):
        return {"visible": False}
    c = standing.collaborative
    today = timezone.localdate(timezone=c.tz)
    show_scores = can_read_scores(standing, team)
    latest = MonthlyReport.objects.filter(team=team).select_related("period")
    if show_scores:
        # The two scores shown, read in the same query as the reports.
        latest = latest.annotate(
            self_value=_score("self"), agreed_value=_score(Assessment.Kind.RECONCILED)
        )
    rows = [
        {
            "report": r,
            "month": f"{r.period.start:%Y-%m}",
            "self": r.self_value if show_scores else None,
            "agreed": r.agreed_value if show_scores else None,
        }
        # Only what the section shows, not the narratives.
        for r in latest.only("id", "team_id", "state", "period").order_by("-period__start")[:4]
    ]
    next_period = c.periods.filter(is_baseline=False, due_on__gte=today).order_by("start").first()
    return {
        "visible": True,
        "team": team,
        "collaborative": c,
        "rows": rows,
        "show_scores": show_scores,
        "can_edit": standing.can_edit_team(team),
        "next_period": next_period,
        "next_month": f"{next_period.start:%Y-%m}" if next_period else "",
    }
