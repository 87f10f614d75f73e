"""Measures, measure values (with the bulk upsert of a month) and chart data."""

from datetime import date

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from breakthrough.collaboratives.access import get_standing_for_user
from breakthrough.collaboratives.models import ReportingPeriod
from breakthrough.measures.access import get_measure_for_user, measures_for_standing
from breakthrough.measures.actions import (
    ValueConflict,
    ValueRow,
    ValueRowsInvalid,
    do_create_measure,
    do_update_measure,
    do_upsert_measure_values,
)
from breakthrough.measures.models import Measure, MeasureValue
from breakthrough.measures.small_cells import Cell, suppress_cells
from breakthrough.teams.access import get_team_for_user, teams_for_standing
from breakthrough.teams.models import Team

from ..auth import write_auth
from ..charts import team_charts
from ..errors import ERROR_RESPONSES, ApiError, reject_nulls
from ..schemas import (
    ChartOut,
    MeasureIn,
    MeasureOut,
    MeasurePatch,
    ValueOut,
    ValuesUpsertIn,
    ValuesUpsertOut,
)

router = Router(tags=["Measures and values"])


def measure_out(m: Measure) -> dict:
    return {
        **{
            f: getattr(m, f)
            for f in MeasureOut.model_fields
            if f not in ("owner_team", "stratifiers")
        },
        "owner_team": m.owner_team.slug if m.owner_team_id else None,
        "stratifiers": [s.code for s in m.stratifiers.all()],
    }


def visible_measures(standing):
    return (
        measures_for_standing(standing).select_related("owner_team").prefetch_related("stratifiers")
    )


@router.get(
    "/collaboratives/{slug}/measures",
    response={200: list[MeasureOut], **ERROR_RESPONSES},
    summary="The measure set with operational definitions",
)
@paginate
def list_measures(request: HttpRequest, slug: str, team: str | None = None):
    standing = get_standing_for_user(request.user, slug)
    measures = visible_measures(standing)
    if team:
        obj = get_team_for_user(standing, team)
        measures = measures.filter(team_measures__team=obj, team_measures__active=True)
    return [measure_out(m) for m in measures.order_by("order", "code")]


@router.get(
    "/collaboratives/{slug}/measures/{code}",
    response={200: MeasureOut, **ERROR_RESPONSES},
    summary="One measure",
)
def get_measure(request: HttpRequest, slug: str, code: str):
    standing = get_standing_for_user(request.user, slug)
    return measure_out(get_measure_for_user(standing, code))


def _owner(standing, fields: dict) -> None:
    if "owner_team" in fields:
        slug = fields["owner_team"]
        fields["owner_team"] = get_team_for_user(standing, slug) if slug else None


@router.post(
    "/collaboratives/{slug}/measures",
    auth=write_auth,
    response={201: MeasureOut, **ERROR_RESPONSES},
    summary="Add a measure (managers)",
)
def create_measure(request: HttpRequest, slug: str, payload: MeasureIn):
    standing = get_standing_for_user(request.user, slug, manage=True)
    fields = {k: v for k, v in payload.model_dump().items() if v is not None}
    _owner(standing, fields)
    code = fields.pop("code")
    measure = do_create_measure(standing.collaborative, code=code, **fields)
    return Status(201, measure_out(measure))


@router.patch(
    "/collaboratives/{slug}/measures/{code}",
    auth=write_auth,
    response={200: MeasureOut, **ERROR_RESPONSES},
    summary="Change a measure definition (managers)",
)
def patch_measure(request: HttpRequest, slug: str, code: str, payload: MeasurePatch):
    standing = get_standing_for_user(request.user, slug, manage=True)
    measure = get_measure_for_user(standing, code)
    changes = reject_nulls(
        payload.model_dump(exclude_unset=True),
        nullable={"goal", "owner_team", "effective_from"},
    )
    expected = changes.pop("edit_version")
    _owner(standing, changes)
    do_update_measure(measure, expected_version=expected, **changes)
    return measure_out(measure)


VALUE_FIELDS = (
    "pk",
    "team_id",
    "measure_id",
    "period_id",
    "measure__code",
    "measure__data_type",
    "period__start",
    "period__label",
    "stratum",
    "value",
    "numerator",
    "denominator",
    "note",
    "revision",
    "entered_at",
)


def _row(v: MeasureValue) -> dict:
    """A saved value in the shape of a `VALUE_FIELDS` row."""
    return {
        **{f: getattr(v, f) for f in VALUE_FIELDS if "__" not in f},
        "measure__code": v.measure.code,
        "measure__data_type": v.measure.data_type,
        "period__start": v.period.start,
        "period__label": v.period.label,
    }


def _hidden(rows: list[dict], standing, teams: dict[int, Team]) -> dict[int, bool]:
    """pk -> hidden, for the rows of teams whose true counts the person may not see.

    Complementary suppression looks at every stratum of the same team, measure and period,
    so the siblings of the rows on this page are fetched too.
    """
    hidden_teams = {pk for pk, t in teams.items() if not standing.sees_true_counts(t)}
    keys = {
        (r["team_id"], r["measure_id"], r["period_id"])
        for r in rows
        if r["team_id"] in hidden_teams
    }
    if not keys:
        return {}
    siblings = [
        r
        for r in MeasureValue.objects.filter(
            team_id__in={k[0] for k in keys},
            measure_id__in={k[1] for k in keys},
            period_id__in={k[2] for k in keys},
        ).values(*VALUE_FIELDS)
        if (r["team_id"], r["measure_id"], r["period_id"]) in keys
    ]
    cells = [
        Cell(
            key=(r["team_id"], r["measure_id"], r["period_id"]),
            stratum=r["stratum"],
            value=r["value"],
            numerator=r["numerator"],
            denominator=r["denominator"],
            count_like=r["measure__data_type"] == "count",
        )
        for r in siblings
    ]
    suppress_cells(cells, standing.collaborative.suppression_threshold)
    return {r["pk"]: c.suppressed for r, c in zip(siblings, cells, strict=True)}


def values_out(rows: list[dict], standing, teams: dict[int, Team]) -> list[dict]:
    """Values as the person may see them: small counts hidden outside the team."""
    hidden = _hidden(rows, standing, teams)
    out = []
    for r in rows:
        s = hidden.get(r["pk"], False)
        num, den, value = r["numerator"], r["denominator"], r["value"]
        rate = num / den if num is not None and den else (None if den == 0 else value)
        out.append(
            {
                "team": teams[r["team_id"]].slug,
                "measure": r["measure__code"],
                "period": r["period__start"],
                "period_label": r["period__label"],
                "stratum": r["stratum"],
                "value": None if s else value,
                "numerator": None if s else num,
                "denominator": None if s else den,
                "rate": None if s else rate,
                "suppressed": s,
                "note": r["note"],
                "revision": r["revision"],
                "entered_at": r["entered_at"],
            }
        )
    return out


class _ValuePage:
    """Paginate the queryset first, then apply suppression to the page."""

    def __init__(self, queryset, standing, teams):
        self.queryset, self.standing, self.teams = queryset, standing, teams

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice):
        return values_out(
            list(self.queryset[item].values(*VALUE_FIELDS)), self.standing, self.teams
        )


@router.get(
    "/collaboratives/{slug}/values",
    response={200: list[ValueOut], **ERROR_RESPONSES},
    summary="Measure values of the teams whose work you may read",
)
@paginate
def list_values(
    request: HttpRequest,
    slug: str,
    team: str | None = None,
    measure: str | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
    stratum: str | None = None,
):
    """Filter by team (slug), measure (code), periods (start dates, inclusive) and stratum
    ('' for totals only). Counts below the collaborative's threshold are hidden outside the team
    (`suppressed`), with a second stratum hidden where it would give the first away."""
    standing = get_standing_for_user(request.user, slug)
    teams = {t.pk: t for t in teams_for_standing(standing)}
    readable = {pk for pk, t in teams.items() if standing.can_read_team(t)}
    values = MeasureValue.objects.filter(team_id__in=readable)
    if team:
        obj = get_team_for_user(standing, team)
        if obj.pk not in readable:
            raise ApiError(403, f"{obj.name} keeps its work to the team and faculty.")
        values = values.filter(team=obj)
    if measure:
        values = values.filter(measure=get_measure_for_user(standing, measure))
    else:
        values = values.filter(measure__in=visible_measures(standing))
    if period_from:
        values = values.filter(period__start__gte=period_from)
    if period_to:
        values = values.filter(period__start__lte=period_to)
    if stratum is not None:
        values = values.filter(stratum=stratum)
    values = values.order_by(
        "team__name", "measure__order", "measure__code", "period__start", "stratum", "pk"
    )
    return _ValuePage(values, standing, teams)


@router.put(
    "/collaboratives/{slug}/teams/{team}/values",
    auth=write_auth,
    response={200: ValuesUpsertOut, **ERROR_RESPONSES},
    summary="Enter a team's values for one period (create or update; all or nothing)",
)
def upsert_values(request: HttpRequest, slug: str, team: str, payload: ValuesUpsertIn):
    """Every row is checked before anything is written: one bad row gets 422 listing each
    problem by row and field, and nothing is saved. Give `revision` to be told (409) when
    someone changed a value since you read it."""
    standing = get_standing_for_user(request.user, slug)
    obj = get_team_for_user(standing, team, write=True)
    period = ReportingPeriod.objects.filter(
        collaborative=standing.collaborative, start=payload.period
    ).first()
    if period is None:
        raise ApiError(
            422,
            "Unknown period.",
            [
                {
                    "loc": ["body", "period"],
                    "message": f"No reporting period starts on {payload.period}.",
                }
            ],
        )
    rows = [ValueRow(**row.model_dump()) for row in payload.values]
    try:
        result = do_upsert_measure_values(team=obj, period=period, rows=rows, person=request.user)
    except ValueRowsInvalid as invalid:
        raise ApiError(
            422,
            str(invalid),
            [{"loc": ["body", "values", i, f], "message": m} for i, f, m in invalid.errors],
        ) from None
    except ValueConflict as conflict:
        raise ApiError(
            409,
            str(conflict),
            [
                {
                    "loc": ["body", "values", i, "revision"],
                    "message": (
                        f"Now at revision {v.revision} (entered {v.entered_at:%Y-%m-%d %H:%M})."
                    ),
                }
                for i, v in conflict.rows
            ],
        ) from None
    for v in result.values:
        v.period = period
    return {
        "created": len(result.created),
        "updated": len(result.updated),
        "unchanged": len(result.unchanged),
        "values": values_out([_row(v) for v in result.values], standing, {obj.pk: obj}),
    }


@router.get(
    "/collaboratives/{slug}/teams/{team}/charts",
    response={200: list[ChartOut], **ERROR_RESPONSES},
    summary="A team's charts: centre lines, limits and signals for every numeric measure",
)
def team_chart_list(request: HttpRequest, slug: str, team: str, measure: str | None = None):
    standing = get_standing_for_user(request.user, slug)
    obj = get_team_for_user(standing, team)
    if not standing.can_read_team(obj):
        raise ApiError(403, f"{obj.name} keeps its work to the team and faculty.")
    measures = visible_measures(standing).filter(
        team_measures__team=obj, team_measures__active=True
    )
    if measure:
        measures = measures.filter(code=measure)
        if not measures:
            raise ApiError(404, f"{obj.name} does not report a measure {measure!r}.")
    c = standing.collaborative
    return team_charts(
        obj,
        list(measures.order_by("order", "code")),
        rule_set=c.rule_set,
        hide_small=not standing.sees_true_counts(obj),
        threshold=c.suppression_threshold,
    )
