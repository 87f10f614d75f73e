"""The evidence the documents show, computed from the data each time they are rendered.

Read through the owners' contracts: `breakthrough.pdsa.status` for idea statuses, the PDSA and
change-package models for cycles and lessons, `breakthrough.reports` for assessment scores and
`breakthrough.measures.charts` (when installed) for the measure charts. Numbers are plain values
so the page, the PDF and the DOCX show the same figures.
"""

from __future__ import annotations

import importlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from breakthrough.measures.small_cells import is_small

from . import charts as pub_charts

DECISIONS = ("adopt", "adapt", "abandon")
# Calls and action periods are counted, not listed: the calendar table shows the convenings.
ROUTINE_EVENTS = {"coaching_call", "all_team_call", "action_period"}


def _contract(module: str):
    """The other part's contract module, or None while that part is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def measure_charts_available() -> bool:
    charts = _contract("breakthrough.measures.charts")
    return bool(charts and hasattr(charts, "team_measure_charts"))


@dataclass
class Chart:
    """One chart: a Vega-Lite specification and who draws it (our renderer or the measures')."""

    title: str
    caption: str
    vega: dict
    spec: object = None  # the measures contract's ChartSpec, drawn by its render_chart
    _drawn: dict = field(default_factory=dict, repr=False)

    def render(self, fmt: str = "svg"):
        if fmt not in self._drawn:
            if self.spec is not None:
                drawn = _contract("breakthrough.measures.charts").render_chart(self.spec, fmt=fmt)
            else:
                from breakthrough.reports import charts

                drawn = charts.render(self.vega, fmt=fmt)
            if fmt == "svg" and isinstance(drawn, bytes):
                drawn = drawn.decode()
            self._drawn[fmt] = drawn
        return self._drawn[fmt]

    @property
    def svg(self) -> str:
        return self.render("svg")

    @property
    def data_uri(self) -> str:
        import base64

        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _from_contract(spec, caption: str = "") -> Chart:
    title = getattr(spec, "title", "") or str(getattr(spec, "measure", ""))
    return Chart(title=title, caption=caption, vega=getattr(spec, "vega", {}), spec=spec)


# --------------------------------------------------------------------------------------------
# Team storyboard


@dataclass
class RampLine:
    title: str
    idea: str
    status: str
    cycles: int
    decision: str  # the latest decision taken on the ramp, if any
    learned: str


@dataclass
class StoryboardEvidence:
    team: object
    agencies: list[str]
    people: int
    ramps: list[RampLine]
    decisions: dict[str, int]
    cycles: int
    lessons: list
    charts: list[Chart]
    charts_available: bool
    until: object


def storyboard_evidence(team, standing, until_period=None, *, charts: bool = True):
    """What a team's storyboard shows: agencies, ramps with decisions, lessons and charts."""
    from breakthrough.changes.models import Lesson
    from breakthrough.pdsa.models import PDSACycle, Ramp
    from breakthrough.teams.models import Membership

    members = Membership.objects.filter(team=team, ended_on__isnull=True).select_related("agency")
    agencies = sorted({m.agency.name for m in members if m.agency_id})
    cycles = PDSACycle.objects.filter(team=team)
    if until_period is not None:
        cycles = cycles.filter(
            Q(start__lte=until_period.end)
            | Q(start__isnull=True, planned_start__lte=until_period.end)
        )
    by_ramp: dict[int, list] = defaultdict(list)
    for c in cycles.order_by("cycle_no", "id"):
        by_ramp[c.ramp_id].append(c)
    ramps = []
    for ramp in Ramp.objects.filter(pk__in=by_ramp).select_related("change_node").order_by("id"):
        cs = by_ramp[ramp.pk]
        decided = [c for c in cs if c.decision]
        last = decided[-1] if decided else None
        ramps.append(
            RampLine(
                title=ramp.title,
                idea=str(ramp.change_node) if ramp.change_node_id else "",
                status=ramp.get_status_display(),
                cycles=len(cs),
                decision=last.get_decision_display() if last else "",
                learned=(last.learned if last else "") or "",
            )
        )
    all_cycles = [c for cs in by_ramp.values() for c in cs]
    decisions = Counter(c.decision for c in all_cycles if c.decision)
    lessons = list(
        Lesson.objects.filter(Q(teams=team) | Q(cycles__team=team))
        .distinct()
        .order_by("created_at", "id")
    )
    shown = []
    available = measure_charts_available()
    if charts and available:
        mc = _contract("breakthrough.measures.charts")
        for spec in mc.team_measure_charts(
            team, viewer_standing=standing, until_period=until_period, size="normal"
        ):
            shown.append(_from_contract(spec, "Run or control chart with signals and annotations."))
    return StoryboardEvidence(
        team=team,
        agencies=agencies,
        people=members.count(),
        ramps=ramps,
        decisions={d: decisions.get(d, 0) for d in DECISIONS},
        cycles=len(all_cycles),
        lessons=lessons,
        charts=shown,
        charts_available=available,
        until=until_period,
    )


# --------------------------------------------------------------------------------------------
# Final report


@dataclass
class IdeaResult:
    node: object
    teams_tested: int
    by_status: dict[str, int]
    cycles: int
    decisions: dict[str, int]


@dataclass
class ComponentResult:
    node: object
    ideas: list[IdeaResult]
    ideas_tested: int
    teams_tested: int
    cycles: int
    decisions: dict[str, int]
    examples: list  # adopted cycles with what was learned


@dataclass
class TeamProfile:
    team: object
    jurisdiction: str
    agencies: list[str]
    people: int
    cycles: int
    ideas_tested: int
    ideas_adopted: int
    latest_score: Decimal | None


@dataclass
class MeasureSummary:
    measure: object
    period: object
    teams: int
    numerator: int | None
    denominator: int | None
    suppressed: bool

    @property
    def shown(self) -> str:
        if self.suppressed:
            return "small count, hidden"
        if self.numerator is None or not self.denominator:
            return "—"
        rate = self.numerator / self.denominator * self.measure.multiplier
        unit = "%" if self.measure.unit == "%" else f" {self.measure.unit}".rstrip()
        return f"{rate:.0f}{unit} ({self.numerator}/{self.denominator})"


@dataclass
class FinalEvidence:
    collaborative: object
    sponsors: list
    staff: list
    events: list
    convenings: list
    event_counts: dict[str, int]
    teams: list
    people: int
    agencies: int
    package: object
    components: list[ComponentResult]
    totals: dict
    measures: list[MeasureSummary]
    pooled: list[Chart]
    multiples: list[Chart]
    charts_available: bool
    status_chart: Chart | None
    trajectory: Chart | None
    trajectory_points: list
    profiles: list[TeamProfile]
    teams_scored: int
    teams_at_4: int
    lessons: list
    certificate_sessions: int


def _component_of(nodes) -> dict[int, int]:
    parent = {n.pk: n.parent_id for n in nodes}
    out = {}
    for n in nodes:
        current = n.pk
        while parent.get(current):
            current = parent[current]
        out[n.pk] = current
    return out


def final_evidence(collaborative, standing, *, charts: bool = True, progress=None):
    """Everything the final report shows, computed now. `progress(fraction, step)` is told how
    far it got (the export shows it)."""
    from breakthrough.changes.lineage import resolve_to_package
    from breakthrough.changes.models import Lesson
    from breakthrough.collaboratives.models import CollaborativeOrganisation, Event, StaffRole
    from breakthrough.pdsa import status
    from breakthrough.pdsa.models import PDSACycle
    from breakthrough.teams.models import Membership, Team

    tell = progress or (lambda fraction, step: None)
    c = collaborative
    tell(0.02, "Reading the collaborative")
    sponsors = list(
        CollaborativeOrganisation.objects.filter(collaborative=c)
        .select_related("organisation")
        .order_by("order", "id")
    )
    staff = list(
        StaffRole.objects.filter(collaborative=c)
        .exclude(role__in=["observer", "evaluator"])
        .select_related("person")
        .order_by("role", "id")
    )
    events = list(Event.objects.filter(collaborative=c).order_by("start", "id"))
    event_counts = Counter(e.get_kind_display() for e in events)
    teams = list(
        Team.objects.filter(collaborative=c).select_related("jurisdiction").order_by("name")
    )
    team_ids = [t.pk for t in teams]
    memberships = list(
        Membership.objects.filter(team__collaborative=c, ended_on__isnull=True).values_list(
            "team_id", "agency__name", "person_id"
        )
    )
    agencies_of: dict[int, set] = defaultdict(set)
    people_of: dict[int, set] = defaultdict(set)
    for team_id, agency, person in memberships:
        if agency:
            agencies_of[team_id].add(agency)
        people_of[team_id].add(person)

    tell(0.1, "Counting change ideas, cycles and decisions")
    package = status.current_package(c.pk)
    nodes = list(package.nodes.all()) if package else []
    statuses = status.idea_statuses(team_ids, package) if package and team_ids else {}
    mapping = resolve_to_package(package) if package else {}
    top = _component_of(nodes)
    decisions: dict[int, Counter] = defaultdict(Counter)  # node id -> decisions
    cycles_of: dict[int, set] = defaultdict(set)
    examples_of: dict[int, list] = defaultdict(list)
    links = PDSACycle.nodes.through.objects.filter(pdsacycle__team__collaborative=c).values_list(
        "changenode_id", "pdsacycle_id", "pdsacycle__decision"
    )
    adopted_ids: dict[int, int] = {}
    for node_id, cycle_id, decision in links:
        node_id = mapping.get(node_id)
        if node_id is None or cycle_id in cycles_of[node_id]:
            continue
        cycles_of[node_id].add(cycle_id)
        if decision:
            decisions[node_id][decision] += 1
        if decision == "adopt":
            adopted_ids.setdefault(cycle_id, top.get(node_id, node_id))
    adopted = {
        cy.pk: cy
        for cy in PDSACycle.objects.filter(pk__in=adopted_ids)
        .select_related("team")
        .order_by("decided_on", "id")
    }
    for cycle_id, comp_id in sorted(
        adopted_ids.items(), key=lambda kv: (adopted[kv[0]].decided_on or adopted[kv[0]].end, kv[0])
    ):
        examples_of[comp_id].append(adopted[cycle_id])

    components = []
    for comp in [n for n in nodes if n.kind in ("component", "primary_driver")]:
        ideas = [
            n
            for n in nodes
            if top.get(n.pk) == comp.pk
            and n.pk != comp.pk
            and n.kind in ("idea", "concept", "secondary_driver")
            and not n.retired
        ]
        results = []
        for idea in ideas:
            found = [s for (t, n), s in statuses.items() if n == idea.pk]
            by = Counter(s.status for s in found)
            results.append(
                IdeaResult(
                    node=idea,
                    teams_tested=len(found),
                    by_status={k: by.get(k, 0) for k in status.STATUSES if k != "not_started"},
                    cycles=len(cycles_of[idea.pk]),
                    decisions={d: decisions[idea.pk].get(d, 0) for d in DECISIONS},
                )
            )
        member_ids = {comp.pk, *(i.pk for i in ideas)}
        comp_cycles = set().union(*(cycles_of[m] for m in member_ids))
        comp_decisions = Counter()
        for m in member_ids:
            comp_decisions.update(decisions[m])
        components.append(
            ComponentResult(
                node=comp,
                ideas=results,
                ideas_tested=sum(1 for r in results if r.teams_tested),
                teams_tested=len({t for (t, n) in statuses if n in member_ids}),
                cycles=len(comp_cycles),
                decisions={d: comp_decisions.get(d, 0) for d in DECISIONS},
                examples=examples_of[comp.pk][:2],
            )
        )
    all_cycles = PDSACycle.objects.filter(team__collaborative=c)
    decision_counts = Counter(all_cycles.exclude(decision="").values_list("decision", flat=True))
    totals = {
        "teams": len(teams),
        "cycles": all_cycles.count(),
        "ramps": all_cycles.values("ramp_id").distinct().count(),
        "ideas_tested": len({n for (_t, n) in statuses}),
        "ideas": sum(len(comp.ideas) for comp in components),
        "decisions": {d: decision_counts.get(d, 0) for d in DECISIONS},
        "teams_adopting": len({t for (t, _n), s in statuses.items() if s.adopted_on}),
    }

    tell(0.3, "Summarising the measures")
    measures = measure_summaries(c, standing, team_ids)

    pooled, multiples = [], []
    available = measure_charts_available()
    mc = _contract("breakthrough.measures.charts")
    if charts and available:
        ms = [s.measure for s in measures]
        for i, m in enumerate(ms):
            tell(0.35 + 0.35 * i / max(len(ms), 1), f"Drawing the charts of {m.code}")
            if hasattr(mc, "pooled_chart"):
                spec = mc.pooled_chart(c, m, viewer_standing=standing)
                if spec is not None and spec.vega:  # no values yet: no chart
                    pooled.append(_from_contract(spec, f"{m.code}: all teams pooled."))
            if hasattr(mc, "small_multiples"):
                spec = mc.small_multiples(c, m, viewer_standing=standing)
                if spec is not None and spec.vega:  # no values yet: no chart
                    multiples.append(_from_contract(spec, f"{m.code}: one panel per team."))

    tell(0.72, "Drawing the assessment-score trajectory")
    points = score_points(c, team_ids)
    trajectory = None
    status_chart = None
    if charts:
        from breakthrough.reports import charts as rc

        if points:
            trajectory = Chart(
                title="Assessment scores across the collaborative",
                caption="Mean self-assessment and mean agreed faculty score of the teams scored "
                "each month (scale 0–5; dashed line: 4.0).",
                vega=rc.score_trajectory_spec(points, width=560, height=220, demo=c.is_demo),
            )
        if components:
            status_chart = Chart(
                title="Where the teams stand on each component",
                caption="Teams by the most advanced status of their change ideas in each "
                "component (derived from their PDSA cycles).",
                vega=pub_charts.status_spec(components, team_ids, statuses, nodes, demo=c.is_demo),
            )

    tell(0.8, "Writing the team profiles")
    last_scores = latest_scores(team_ids)
    profiles = []
    for t in teams:
        mine = [s for (tid, _n), s in statuses.items() if tid == t.pk]
        profiles.append(
            TeamProfile(
                team=t,
                jurisdiction=t.jurisdiction.name,
                agencies=sorted(agencies_of[t.pk]),
                people=len(people_of[t.pk]),
                cycles=0,
                ideas_tested=len(mine),
                ideas_adopted=sum(1 for s in mine if s.adopted_on),
                latest_score=last_scores.get(t.pk),
            )
        )
    cycle_counts = Counter(all_cycles.values_list("team_id", flat=True))
    for p in profiles:
        p.cycles = cycle_counts.get(p.team.pk, 0)
    lessons = list(
        Lesson.objects.filter(collaborative=c)
        .prefetch_related("teams", "nodes")
        .order_by("-status", "created_at", "id")
    )
    return FinalEvidence(
        collaborative=c,
        sponsors=sponsors,
        staff=staff,
        events=events,
        convenings=[e for e in events if e.kind not in ROUTINE_EVENTS],
        event_counts=dict(event_counts),
        teams=teams,
        people=len({p for *_x, p in memberships}),
        agencies=len({a for _t, a, _p in memberships if a}),
        package=package,
        components=components,
        totals=totals,
        measures=measures,
        pooled=pooled,
        multiples=multiples,
        charts_available=available,
        status_chart=status_chart,
        trajectory=trajectory,
        trajectory_points=points,
        profiles=profiles,
        teams_scored=sum(1 for p in profiles if p.latest_score is not None),
        teams_at_4=sum(1 for p in profiles if p.latest_score is not None and p.latest_score >= 4),
        lessons=lessons,
        certificate_sessions=sum(1 for e in events if e.kind == "certificate_program"),
    )


def measure_summaries(collaborative, standing, team_ids) -> list[MeasureSummary]:
    """Each shared measure's pooled total for the latest month with data. Outside the teams and
    faculty (the public page), a pooled count under the threshold is hidden."""
    from django.db.models import Count, Max, Sum

    from breakthrough.measures.models import Measure, MeasureValue

    out = []
    threshold = collaborative.suppression_threshold
    true_counts = standing is not None and standing.is_staff
    measures = [
        m
        for m in Measure.objects.filter(collaborative=collaborative, owner_team__isnull=True)
        if m.is_numeric and m.has_denominator
    ]
    base = MeasureValue.objects.filter(team_id__in=team_ids, stratum="", denominator__isnull=False)
    latest = dict(
        base.values("measure_id")
        .annotate(last=Max("period__start"))
        .values_list("measure_id", "last")
    )
    rows = (
        {
            r["measure_id"]: r
            for r in base.filter(
                Q(*[Q(measure_id=m, period__start=d) for m, d in latest.items()], _connector=Q.OR)
            )
            .values("measure_id")
            .annotate(n=Sum("numerator"), d=Sum("denominator"), teams=Count("team_id"))
        }
        if latest
        else {}
    )
    periods = {}
    if latest:
        from breakthrough.collaboratives.models import ReportingPeriod

        periods = {
            p.start: p
            for p in ReportingPeriod.objects.filter(
                collaborative=collaborative, start__in=set(latest.values())
            )
        }
    for m in measures:
        r = rows.get(m.pk)
        if r is None:
            continue
        n, d = r["n"], r["d"]
        hidden = not true_counts and (is_small(n, threshold) or is_small(d, threshold))
        out.append(
            MeasureSummary(
                measure=m,
                period=periods.get(latest[m.pk]),
                teams=r["teams"],
                numerator=None if hidden else n,
                denominator=None if hidden else d,
                suppressed=hidden,
            )
        )
    return out


def score_points(collaborative, team_ids) -> list[tuple]:
    """(month key, label, mean self score, mean agreed score) per month with scores."""
    from breakthrough.reports.models import Assessment

    sums: dict = defaultdict(lambda: {"self": [], "reconciled": []})
    periods = {}
    for kind, score, period_id, start in Assessment.objects.filter(
        report__team_id__in=team_ids, kind__in=["self", "reconciled"]
    ).values_list("kind", "score", "report__period_id", "report__period__start"):
        sums[start][kind].append(score)
        periods[start] = period_id
    points = []
    for start in sorted(sums):
        s = sums[start]
        points.append(
            (
                f"{start:%Y-%m}",
                f"{start:%b %y}",
                _mean(s["self"]),
                _mean(s["reconciled"]),
            )
        )
    return points


def _mean(values):
    if not values:
        return None
    return (sum(values) / len(values)).quantize(Decimal("0.01"))


def latest_scores(team_ids) -> dict[int, Decimal]:
    """team id -> its latest agreed faculty score."""
    from breakthrough.reports.models import Assessment

    out = {}
    for team_id, score in (
        Assessment.objects.filter(report__team_id__in=team_ids, kind="reconciled")
        .order_by("report__period__start")
        .values_list("report__team_id", "score")
    ):
        out[team_id] = score
    return out
