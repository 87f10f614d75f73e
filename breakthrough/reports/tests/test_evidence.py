"""The report reads measure charts and signals through the measurement part's contract."""

from types import SimpleNamespace

from django.urls import reverse

from breakthrough.reports import evidence

from .helpers import submitted_report


class FakeCharts:
    """Stands in for breakthrough.measures.charts: the same functions and signatures."""

    def __init__(self):
        self.calls = []

    def team_measure_charts(self, team, measures=None, *, viewer_standing, until_period, size):
        self.calls.append((team.slug, until_period.label, viewer_standing.user.username, size))
        return [SimpleNamespace(title=f"M1 for {team.name}", vega={"mark": "point"})]

    def render_chart(self, spec, fmt="svg"):
        return b"<svg><text>drawn</text></svg>"

    def latest_signal_status(self, collaborative, *, viewer_standing=None, team_ids=None):
        measure = collaborative.measures.get(code="M1")
        return {
            (tid, measure.pk): {"status": status, "label": label}
            for tid, (status, label) in zip(
                sorted(team_ids),
                [("improvement", "Improving"), ("common_cause", "No signal")],
                strict=False,
            )
        }


def test_report_page_and_console_use_the_measure_contract(rworld, monkeypatch):
    fake = FakeCharts()
    monkeypatch.setattr(
        evidence, "_contract", lambda name: fake if name == "breakthrough.measures.charts" else None
    )
    submitted_report(rworld)
    page = rworld.client("bob").get(reverse("reports:detail", args=["testbsc", "alder", "2024-01"]))
    content = page.content.decode()
    assert "M1 for Alder County" in content and "<svg><text>drawn</text></svg>" in content
    assert fake.calls == [("alder", "Jan 2024", "bob", "small")]
    console = rworld.client("dina").get(reverse("reports:console", args=["testbsc"]))
    content = console.content.decode()
    assert "Latest signals" in content and "M1 ↑" in content
    assert "No signal" not in content  # common cause is not a signal worth a look


def test_report_draws_the_real_measure_chart_of_the_team(rworld):
    """Without stand-ins: the report page embeds the chart `measures.charts` draws."""
    from breakthrough.measures.actions import ValueRow, do_upsert_measure_values
    from breakthrough.measures.models import TeamMeasure

    TeamMeasure.objects.get_or_create(team=rworld.team_a, measure=rworld.measure)
    code = rworld.measure.code
    for i, period in enumerate(rworld.periods[:3]):
        do_upsert_measure_values(
            team=rworld.team_a,
            period=period,
            rows=[ValueRow(code, numerator=4 + i, denominator=10)],
            person=rworld.alice,
        )
    submitted_report(rworld, period=rworld.periods[2])
    month = rworld.periods[2].start.strftime("%Y-%m")
    page = rworld.client("bob").get(reverse("reports:detail", args=["testbsc", "alder", month]))
    content = page.content.decode()
    assert page.status_code == 200
    from breakthrough.collaboratives.access import get_standing_for_user

    standing = get_standing_for_user(rworld.bob, "testbsc")
    drawn = evidence.measure_charts(rworld.team_a, rworld.periods[2], standing)
    assert len(drawn) == 1
    title, svg = drawn[0]
    assert code in title and svg.startswith("<svg") and svg in content
