"""Demo: synthetic monthly measure values (DEMO.md §7), checked with the IHI run-chart rules.

Numerators follow `round(n × p) + jitter` and step to the improved rate in the step month. Each
team's months are drawn from the fixed seed; a draw that does not tell the team's storyline
(a shift where one is expected, none where the story is "no improvement" or "small numbers") is
drawn again from the same random stream, so the data are identical on every run and the
acceptance checks always hold. A check that still fails stops the command.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from simple_history.utils import bulk_create_with_history

from breakthrough.measures.models import MeasureValue

from . import DemoContext, DemoError, add_months
from .foundation import TEAMS

START = date(2007, 7, 1)
MONTHS = [add_months(START, i) for i in range(30)]
BASELINE_POINTS = 12

BASE_RATES = {
    "M1": 0.45,
    "M2": 0.40,
    "M3": 0.38,
    "M4": 0.22,
    "M5": 0.30,
    "M7": 0.35,
    "M10": 0.42,
    "M6": 0.50,
    "M8": 0.30,
    "M9": 0.35,
    "M11": 0.55,
    "M15": 0.50,
    "CL1": 0.60,
}
TEAM_RATES = {
    "BW": {"M3": 0.40},
    "AG": {"M1": 0.50, "M3": 0.36, "M4": 0.22, "M5": 0.30},
    "SB": {"M4": 0.20, "M1": 0.40},
    "CV": {"M4": 0.25, "M5": 0.35},
    "GP": {"M2": 0.35},
    "CL": {"M2": 0.30, "M7": 0.40},
}
STEPS = {  # team -> measure -> (improved rate, first month)
    "BW": {
        "M1": (0.78, date(2008, 12, 1)),
        "M2": (0.85, date(2009, 1, 1)),
        "M3": (0.27, date(2009, 5, 1)),
        "M5": (0.70, date(2009, 7, 1)),
    },
    "SB": {"M4": (0.45, date(2009, 7, 1)), "M1": (0.60, date(2009, 10, 1))},
    "CV": {
        "M2": (0.85, date(2009, 1, 1)),
        "M4": (0.55, date(2009, 4, 1)),
        "M5": (0.70, date(2009, 7, 1)),
    },
    "FD": {"M5": (0.70, date(2009, 3, 1)), "M7": (0.75, date(2009, 3, 1))},
    "GP": {"M2": (0.70, date(2009, 9, 1))},
    "CL": {"M2": (0.90, date(2009, 2, 1)), "M7": (0.80, date(2009, 4, 1))},
}
# Months without values: SB re-forming (skipped), GP's data contact on leave (skipped) and
# GP's July 2009, an empty overdue draft.
NO_DATA = {
    "SB": {date(2008, m, 1) for m in range(7, 12)},
    "GP": {date(2008, 12, 1), date(2009, 1, 1), date(2009, 7, 1)},
}
EXPECT_SHIFT = {"BW": ["M1", "M3"], "CV": ["M4"], "SB": ["M4"]}
QUIET_ALL = {"FD", "GP", "CL"}  # no monthly signal on any measure
QUIET_MANDATORY = {"AG"}
MANDATORY = ["M1", "M2", "M3", "M4", "M5", "M7", "M10"]
STRATIFIED = ("M1", "M3", "M4")
# Detention of Black and Hispanic youth relative to white youth (M3), at baseline and in
# Brightwater from May 2009.
DISPARITY = {"BW": (1.5, 1.3), "AG": (1.5, 1.3), "SB": (1.5, 1.3)}
BW_NARROWED = (date(2009, 5, 1), (1.2, 1.1))
CATEGORIES = ["black", "hispanic", "white", "aian", "api", "other", "unknown"]
LAST_LAGGED_COHORT = date(2008, 12, 1)  # M8 follows a cohort 12 months, to Dec 2009
MAX_DRAWS = 5000


@dataclass
class Point:
    num: int | None = None
    den: int | None = None
    strata: dict[str, tuple[int, int]] = field(default_factory=dict)


def jitter(rng: random.Random, n: int) -> int:
    if n < 10:
        return rng.choice((-1, 0, 1))
    return round(n * rng.uniform(-0.06, 0.06))


def draw(rng: random.Random, n: int, p: float) -> int:
    return max(0, min(n, round(n * p) + jitter(rng, n)))


def split(n: int, mix: tuple[int, ...]) -> dict[str, int]:
    """Split n youth into the race/ethnicity strata by the largest-remainder method."""
    shares = [m * 0.985 for m in mix] + [1.5]
    raw = [n * s / 100 for s in shares]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return dict(zip(CATEGORIES, counts, strict=True))


def rate(team: str, measure: str, month: date) -> float:
    p = TEAM_RATES.get(team, {}).get(measure, BASE_RATES[measure])
    step = STEPS.get(team, {}).get(measure)
    if step and month >= step[1]:
        p = step[0]
    return p


def draw_team(
    rng: random.Random,
    code: str,
    ref: tuple[int, int],
    stock: tuple[int, int],
    mix: tuple[int, ...],
    measures: list[str],
) -> dict[str, list[Point]]:
    series: dict[str, list[Point]] = {m: [] for m in measures}
    for month in MONTHS:
        referrals = rng.randint(*ref)
        in_care = rng.randint(*stock)
        if month in NO_DATA.get(code, ()):
            for m in measures:
                series[m].append(Point())
            continue
        strata_n = split(referrals, mix)
        points: dict[str, Point] = {}
        for m in STRATIFIED:
            p = rate(code, m, month)
            factors = dict.fromkeys(CATEGORIES, 1.0)
            if m == "M3" and code in DISPARITY:
                black, hispanic = DISPARITY[code]
                if code == "BW" and month >= BW_NARROWED[0]:
                    black, hispanic = BW_NARROWED[1]
                factors.update(black=black, hispanic=hispanic)
            mean_factor = (
                sum(factors[k] * v for k, v in strata_n.items()) / referrals if referrals else 1.0
            )
            strata = {
                k: (draw(rng, v, min(1.0, p * factors[k] / mean_factor)), v)
                for k, v in strata_n.items()
            }
            total = sum(num for num, _ in strata.values())
            points[m] = Point(total, referrals, strata)
        identified = points["M1"].num
        points["M2"] = Point(draw(rng, identified, rate(code, "M2", month)), identified)
        dual = round(referrals * 0.6)
        points["M5"] = Point(draw(rng, dual, rate(code, "M5", month)), dual)
        meetings = round(points["M5"].num * 1.5)
        points["M7"] = Point(draw(rng, meetings, rate(code, "M7", month)), meetings)
        points["M10"] = Point(draw(rng, in_care, rate(code, "M10", month)), in_care)
        points["M6"] = Point(draw(rng, dual, rate(code, "M6", month)), dual)
        points["M8"] = (
            Point(draw(rng, identified, rate(code, "M8", month)), identified)
            if month <= LAST_LAGGED_COHORT
            else Point()
        )
        points["M9"] = Point(draw(rng, referrals, rate(code, "M9", month)), referrals)
        points["M11"] = Point(draw(rng, in_care, rate(code, "M11", month)), in_care)
        days = in_care * 30
        points["M12"] = Point(
            max(0, round(days * 0.004) + jitter(rng, max(1, round(days * 0.004)))), days
        )
        points["M15"] = Point(draw(rng, identified, rate(code, "M15", month)), identified)
        points["CL1"] = Point(draw(rng, identified, rate(code, "CL1", month)), identified)
        for m in measures:
            series[m].append(points[m])
    return series


def run_chart(points: list[Point]) -> dict:
    """The IHI run-chart analysis of a monthly proportion, on the baseline median."""
    from breakthrough.spc import analyze

    usable = [pt.den is not None and pt.den > 0 for pt in points]
    spec = {
        "chart": "run",
        "input": {
            "x": [m.isoformat() for m in MONTHS],
            "y": [pt.num if ok else None for pt, ok in zip(points, usable, strict=True)],
            "n": [pt.den if ok else None for pt, ok in zip(points, usable, strict=True)],
        },
        "params": {"rules": "ihi", "freeze": BASELINE_POINTS},
    }
    return analyze(spec)


def has_signal(result: dict) -> bool:
    summary = result["summary"][0]
    return (
        any(result["per_point"]["signals"][i] for i in range(len(MONTHS)))
        or bool(summary.get("too_few_runs"))
        or bool(summary.get("too_many_runs"))
    )


def shift_from(result: dict, month: date) -> bool:
    """A shift that covers the step month or starts within two months after it."""
    start = MONTHS.index(month)
    flagged = [i for i, s in enumerate(result["per_point"]["signals"]) if "ihi_shift" in s]
    return any(start <= i <= start + 2 for i in flagged)


def quarterly_rise(points: list[Point], month: date) -> bool:
    """Quarterly pooled rate after the step is clearly above the rate before it."""
    before = [pt for m, pt in zip(MONTHS, points, strict=True) if m < month and pt.den]
    after = [pt for m, pt in zip(MONTHS, points, strict=True) if m >= month and pt.den]
    pooled = lambda pts: sum(p.num for p in pts) / max(1, sum(p.den for p in pts))  # noqa: E731
    return pooled(after) >= pooled(before) + 0.2


def storyline_holds(code: str, series: dict[str, list[Point]]) -> bool:
    for m in EXPECT_SHIFT.get(code, []):
        if not shift_from(run_chart(series[m]), STEPS[code][m][1]):
            return False
    quiet = list(series) if code in QUIET_ALL else MANDATORY if code in QUIET_MANDATORY else []
    if any(has_signal(run_chart(series[m])) for m in quiet):
        return False
    return code != "FD" or quarterly_rise(series["M5"], STEPS["FD"]["M5"][1])


def seed(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed + 7)
    rows: list[MeasureValue] = []
    pooled: list[Point] = [Point(0, 0) for _ in MONTHS]
    draws: list[str] = []
    for code, _name, _slug, _kind, ref, stock, _mou, mix, _aim in TEAMS:
        team = ctx.teams[code]
        measures = [
            tm.measure.code
            for tm in team.team_measures.select_related("measure")
            if tm.measure.is_numeric
        ]
        for attempt in range(1, MAX_DRAWS + 1):
            series = draw_team(rng, code, ref, stock, mix, measures)
            if storyline_holds(code, series):
                draws.append(f"{code} {attempt}")
                break
        else:
            raise DemoError(f"No draw of {code}'s data fits its storyline in {MAX_DRAWS} tries.")
        contact = team.memberships.filter(is_data_contact=True).order_by("-started_on").first()
        for m in measures:
            measure = ctx.measures[m]
            for month, pt in zip(MONTHS, series[m], strict=True):
                if pt.den is None:
                    continue
                period = ctx.periods[f"{month:%Y-%m}"]
                entered = entered_at(code, period)
                rows.append(
                    MeasureValue(
                        team=team,
                        measure=measure,
                        period=period,
                        numerator=pt.num,
                        denominator=pt.den,
                        entered_by=contact.person if contact else None,
                        entered_at=entered,
                    )
                )
                for stratum, (num, den) in pt.strata.items():
                    rows.append(
                        MeasureValue(
                            team=team,
                            measure=measure,
                            period=period,
                            stratum=f"race_ethnicity:{stratum}",
                            numerator=num,
                            denominator=den,
                            entered_by=contact.person if contact else None,
                            entered_at=entered,
                        )
                    )
        for i, pt in enumerate(series["M1"]):
            if pt.den:
                pooled[i].num += pt.num
                pooled[i].den += pt.den
    if not shift_from(run_chart(pooled), STEPS["BW"]["M1"][1]):
        raise DemoError("The pooled M1 chart shows no shift from December 2008.")
    bulk_create_with_history(rows, MeasureValue, batch_size=500)
    ctx.log(f"    {len(rows)} values; acceptance checks (IHI run-chart rules) passed")
    ctx.log(f"    draws needed per team: {', '.join(draws)}")


def entered_at(code: str, period) -> datetime:
    """Baselines were entered in September 2008 (Sable Bay's late, in February 2009); months
    between the 5th and the 15th of the next month."""
    from django.utils import timezone

    if period.is_baseline:
        day = date(2009, 2, 10) if code == "SB" else date(2008, 9, 20)
    else:
        day = add_months(period.start, 1) + timedelta(
            days=4 + (period.start.month * 3 + len(code)) % 10
        )
    return timezone.make_aware(datetime.combine(day, time(10, 0)))
