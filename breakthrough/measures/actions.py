"""Writes about measures: definitions and a team's monthly values.

`do_upsert_measure_values` is the one way values are written, from the data-entry page, the API
and imports alike: it checks every row first and writes nothing if any row is wrong.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from breakthrough.concurrency import save_versioned

from .models import Measure, MeasureValue, TeamMeasure

EDITABLE_MEASURE_FIELDS = (
    "name",
    "kind",
    "data_type",
    "definition",
    "numerator_definition",
    "denominator_definition",
    "multiplier",
    "unit",
    "direction",
    "goal",
    "goal_basis",
    "scope",
    "owner_team",
    "lag_months",
    "source",
    "basis",
    "order",
    "effective_from",
)


@transaction.atomic
def do_create_measure(collaborative, *, code: str, **fields) -> Measure:
    """Add a measure definition to the collaborative's measure set."""
    unknown = set(fields) - set(EDITABLE_MEASURE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if Measure.objects.filter(collaborative=collaborative, code=code).exists():
        raise ValidationError({"code": f"The collaborative already has a measure {code}."})
    measure = Measure(collaborative=collaborative, code=code, **fields)
    measure.full_clean()
    measure.save()
    return measure


# A change to any of these is a new version of the operational definition: charts mark it.
DEFINITION_FIELDS = ("definition", "numerator_definition", "denominator_definition")


@transaction.atomic
def do_update_measure(measure: Measure, *, expected_version: int, **changes) -> Measure:
    """Change a measure definition; EditConflict if someone saved it meanwhile.

    Changing the operational definition (DEFINITION_FIELDS) raises `version` by one and sets
    `effective_from` (the given date, else the first of the current month); the previous
    definition stays in `Measure.history`.
    """
    unknown = set(changes) - set(EDITABLE_MEASURE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    redefined = any(
        name in changes and (changes[name] or "") != (getattr(measure, name) or "")
        for name in DEFINITION_FIELDS
    )
    explicit_from = changes.get("effective_from")
    for name, value in changes.items():
        setattr(measure, name, value)
    fields = list(changes)
    if redefined:
        measure.version += 1
        measure.effective_from = explicit_from or timezone.localdate().replace(day=1)
        fields += [f for f in ("version", "effective_from") if f not in fields]
    measure.full_clean()
    save_versioned(measure, expected_version, fields)
    return measure


@transaction.atomic
def do_set_team_measure(team, measure: Measure, *, active: bool, by=None) -> TeamMeasure:
    """Switch an optional (or the team's custom) measure on or off for a team.

    Mandatory measures stay on; values already entered are kept when a measure is switched off.
    """
    if measure.collaborative_id != team.collaborative_id:
        raise ValidationError("The measure belongs to another collaborative.")
    if measure.scope == Measure.Scope.CUSTOM and measure.owner_team_id != team.pk:
        raise ValidationError(f"{measure.code} is another team's custom measure.")
    if measure.scope in (Measure.Scope.MANDATORY, Measure.Scope.DERIVED) and not active:
        raise ValidationError(
            f"{measure.code} is {measure.get_scope_display().lower()}: every team reports it."
        )
    tm, created = TeamMeasure.objects.get_or_create(
        team=team, measure=measure, defaults={"active": active}
    )
    if not created and tm.active != active:
        tm.active = active
        tm._history_user = by
        tm.save(update_fields=["active"])
    return tm


@transaction.atomic
def do_create_custom_measure(team, *, code: str, by=None, **fields) -> Measure:
    """A team's own measure: seen by the team and staff only, reported by the team."""
    fields.update(scope=Measure.Scope.CUSTOM, owner_team=team)
    measure = do_create_measure(team.collaborative, code=code, **fields)
    TeamMeasure.objects.create(team=team, measure=measure, active=True)
    return measure


@dataclass
class ValueRow:
    """One value to enter: a measure (by code), a stratum ('' for the total) and the numbers."""

    measure: str
    stratum: str = ""
    value: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    note: str = ""
    revision: int | None = None  # the revision the person last saw; None skips the check


class ValueRowsInvalid(Exception):
    """Rows that cannot be entered; `errors` lists (row index, field, message)."""

    def __init__(self, errors: list[tuple[int, str, str]]):
        self.errors = errors
        n = len({e[0] for e in errors})
        super().__init__(f"{n} row{'s' if n != 1 else ''} cannot be entered; nothing was saved.")


class ValueConflict(Exception):
    """Rows that someone else changed since the revision the person saw."""

    def __init__(self, rows: list[tuple[int, MeasureValue]]):
        self.rows = rows
        super().__init__(
            f"{len(rows)} value(s) were changed by someone else meanwhile; nothing was saved."
        )


@dataclass
class UpsertResult:
    created: list[MeasureValue] = field(default_factory=list)
    updated: list[MeasureValue] = field(default_factory=list)
    unchanged: list[MeasureValue] = field(default_factory=list)
    removed: list[MeasureValue] = field(default_factory=list)
    n_created: int = 0
    n_updated: int = 0
    n_unchanged: int = 0

    @property
    def values(self) -> list[MeasureValue]:
        return sorted(
            self.created + self.updated + self.unchanged,
            key=lambda v: (v.measure.order, v.measure.code, v.stratum),
        )


MAX_COUNT = 2_147_483_647  # what the numerator and denominator columns hold


def _is_whole(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and 0 <= x <= MAX_COUNT


def check_value_row(row: ValueRow, measure: Measure) -> list[tuple[str, str]]:
    """What is wrong with one row for this measure, as (field, message) pairs."""
    out: list[tuple[str, str]] = []
    for name in ("numerator", "denominator"):
        x = getattr(row, name)
        if x is not None and not _is_whole(x):
            out.append(
                (
                    name,
                    f"The {name} must be a whole number from 0 to {MAX_COUNT:,}; got {x!r}.",
                )
            )
    if out:
        return out
    dtype = measure.data_type
    if dtype in ("proportion", "rate"):
        if row.numerator is None:
            out.append(("numerator", f"{measure.code} is a {dtype}: give the numerator."))
        if row.denominator is None:
            out.append(("denominator", f"{measure.code} is a {dtype}: give the denominator."))
        if (
            dtype == "proportion"
            and row.numerator is not None
            and row.denominator is not None
            and row.numerator > row.denominator
        ):
            out.append(
                (
                    "numerator",
                    f"The numerator ({row.numerator}) cannot exceed the denominator "
                    f"({row.denominator}).",
                )
            )
        if row.value is not None:
            out.append(("value", f"{measure.code} takes a numerator and denominator, not a value."))
    elif dtype == "count":
        if row.value is None and row.numerator is None:
            out.append(("value", f"{measure.code} is a count: give the value."))
        if row.value is not None and (row.value < 0 or row.value != int(row.value)):
            out.append(("value", f"A count is a whole number of 0 or more; got {row.value!r}."))
    elif dtype in ("continuous", "rare_event", "score"):
        if row.value is None:
            out.append(("value", f"{measure.code} needs a value."))
        elif dtype == "rare_event" and row.value < 0:
            out.append(("value", "Time or cases between events cannot be negative."))
    elif dtype == "text":
        if not row.note.strip():
            out.append(("note", f"{measure.code} is narrative: write it in the note."))
    else:
        out.append(("measure", f"{measure.code} is derived from other measures; enter those."))
    if len(row.note) > 500:
        out.append(("note", "A note holds at most 500 characters."))
    return out


VALUE_COLUMNS = (
    "team_id",
    "measure_id",
    "period_id",
    "stratum",
    "value",
    "numerator",
    "denominator",
    "note",
    "entered_by_id",
    "entered_at",
    "revision",
)
INSERT_BATCH = 500


def _insert(model, columns: tuple[str, ...], rows: list[tuple], *, returning: bool = False):
    """Insert many rows (returning their new ids, in order, if asked): Django's bulk_create
    costs ~25 µs a field a row in Python, too slow for 100,000-value imports
    (bench/measures_import_bench.py).

    SQLite takes multi-row INSERT … RETURNING id. PostgreSQL takes COPY, its bulk-load path;
    COPY returns nothing, so the ids are drawn from the table's sequence first.
    """
    if connection.vendor == "postgresql":
        return _copy(model, columns, rows, returning=returning)
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            sql = head + ", ".join([one] * len(batch))
            params = [x for row in batch for x in row]
            if returning:
                cursor.execute(sql + " RETURNING " + quote("id"), params)
                ids += [r[0] for r in cursor.fetchall()]
            else:
                cursor.execute(sql, params)
    return ids


def _copy(model, columns: tuple[str, ...], rows: list[tuple], *, returning: bool):
    """PostgreSQL: COPY … FROM STDIN, with ids taken from the table's sequence when asked.

    Text, not binary: the server then checks every value against its column (psycopg's binary
    int4 silently wraps a number too large), for 10% of the time of a 100,000-value import."""
    quote = connection.ops.quote_name
    table = model._meta.db_table
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [quote(table), len(rows)],
            )
            ids = [r[0] for r in cursor.fetchall()]
            columns = ("id", *columns)
            rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
        sql = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
        # `cursor.copy` is psycopg's own: its errors are made Django's (DataError...) here.
        with connection.wrap_database_errors, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    return ids


@functools.cache
def _history_model():
    return MeasureValue.history.model  # simple-history builds a manager on every access


def _insert_with_history(rows: list[tuple], person, now) -> list[int]:
    """Insert new values (tuples in VALUE_COLUMNS order, `entered_at` adapted) and their '+'
    history rows, as bulk_create_with_history would; returns the new ids in order."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    user_id = getattr(person, "pk", None)
    ids = _insert(MeasureValue, VALUE_COLUMNS, rows, returning=True)
    _insert(
        _history_model(),
        ("id", *VALUE_COLUMNS, "history_date", "history_type", "history_user_id"),
        [(pk, *row, stamp, "+", user_id) for pk, row in zip(ids, rows, strict=True)],
    )
    return ids


def reported_measures(teams) -> dict[int, dict[str, Measure]]:
    """team id -> {code: measure} of the measures each team reports (stratifiers loaded).

    Callers writing many periods (imports) load this once and pass each team's to
    `do_upsert_measure_values(reported=...)`.
    """
    out: dict[int, dict[str, Measure]] = {t.pk: {} for t in teams}
    for tm in (
        TeamMeasure.objects.filter(team__in=list(out), active=True)
        .select_related("measure")
        .prefetch_related("measure__stratifiers")
    ):
        out[tm.team_id][tm.measure.code] = tm.measure
    return out


def check_value_rows(team, period, rows: list[ValueRow], reported: dict[str, Measure]) -> None:
    """ValueRowsInvalid listing every problem of a team's rows for a period (nothing if fine)."""
    if period.collaborative_id != team.collaborative_id:
        raise ValidationError({"period": "The period belongs to another collaborative."})
    errors: list[tuple[int, str, str]] = []
    strata_of: dict[str, set[str]] = {}
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(rows):
        measure = reported.get(row.measure)
        if measure is None:
            errors.append((i, "measure", f"{team.name} does not report a measure {row.measure!r}."))
            continue
        if row.stratum:
            strata = strata_of.get(measure.code)
            if strata is None:
                strata = strata_of[measure.code] = {
                    f"{s.code}:{c}" for s in measure.stratifiers.all() for c in s.category_codes
                }
            if row.stratum not in strata:
                allowed = ", ".join(sorted(strata)) or "none (only the total)"
                errors.append(
                    (
                        i,
                        "stratum",
                        f"{row.stratum!r} is not a stratum of {measure.code}: {allowed}.",
                    )
                )
        key = (row.measure, row.stratum)
        if key in seen:
            errors.append(
                (i, "stratum", f"Row {seen[key]} already gives this measure and stratum.")
            )
        seen[key] = i
        errors.extend((i, f, m) for f, m in check_value_row(row, measure))
    if errors:
        raise ValueRowsInvalid(errors)


@transaction.atomic
def do_upsert_measure_values(
    *,
    team,
    period,
    rows: list[ValueRow],
    person,
    reported: dict[str, Measure] | None = None,
) -> UpsertResult:
    """Enter a team's values for one period: create new rows, update changed ones.

    Every row is checked first (the measure is one the team reports, the stratum is one of the
    measure's categories, the numbers fit the measure's type); if any row is wrong, nothing is
    written and ValueRowsInvalid lists every problem. A changed value's revision goes up by one.
    """
    if reported is None:
        reported = reported_measures([team])[team.pk]
    check_value_rows(team, period, rows, reported)
    existing = {
        (v.measure.code, v.stratum): v
        for v in MeasureValue.objects.select_for_update()
        .filter(team=team, period=period, measure__code__in=[r.measure for r in rows])
        .select_related("measure")
    }
    conflicts = [
        (i, existing[(r.measure, r.stratum)])
        for i, r in enumerate(rows)
        if r.revision is not None
        and (r.measure, r.stratum) in existing
        and existing[(r.measure, r.stratum)].revision != r.revision
    ]
    if conflicts:
        raise ValueConflict(conflicts)

    now = timezone.now()
    result = UpsertResult()
    for row in rows:
        measure = reported[row.measure]
        numbers = {
            "value": row.value,
            "numerator": row.numerator,
            "denominator": row.denominator,
            "note": row.note,
        }
        current = existing.get((row.measure, row.stratum))
        if current is None:
            result.created.append(
                MeasureValue(
                    team=team,
                    measure=measure,
                    period=period,
                    stratum=row.stratum,
                    entered_by=person,
                    entered_at=now,
                    **numbers,
                )
            )
        elif all(getattr(current, k) == v for k, v in numbers.items()):
            result.unchanged.append(current)
        else:
            for k, v in numbers.items():
                setattr(current, k, v)
            current.entered_by = person
            current.entered_at = now
            current.revision += 1
            result.updated.append(current)
    if result.created:
        stamp = connection.ops.adapt_datetimefield_value(now)
        ids = _insert_with_history([_as_row(v, stamp) for v in result.created], person, now)
        for v, pk in zip(result.created, ids, strict=True):
            v.pk = pk
            v._state.adding = False
    _update_with_history(result.updated, person)
    result.n_created, result.n_updated = len(result.created), len(result.updated)
    result.n_unchanged = len(result.unchanged)
    return result


def _as_row(v: MeasureValue, stamp) -> tuple:
    return (
        v.team_id,
        v.measure_id,
        v.period_id,
        v.stratum,
        v.value,
        v.numerator,
        v.denominator,
        v.note,
        v.entered_by_id,
        stamp,
        v.revision,
    )


def _update_with_history(updated: list[MeasureValue], person) -> None:
    if updated:
        bulk_update_with_history(
            updated,
            MeasureValue,
            ["value", "numerator", "denominator", "note", "entered_by", "entered_at", "revision"],
            default_user=person,
        )


@transaction.atomic
def do_upsert_measure_values_many(
    groups: list[tuple[object, object, list[ValueRow]]], *, person
) -> tuple[UpsertResult, list[tuple[int, ValueRowsInvalid]]]:
    """`do_upsert_measure_values` for many teams and periods at once (imports).

    The same checks per team and period; if any group is wrong nothing is written and the
    failures come back as (group index, ValueRowsInvalid). Otherwise one query reads what exists
    and multi-row INSERTs write the new values and their history: Django's per-object
    bulk_create is too slow for 100,000 values (bench/measures_import_bench.py). Revisions are
    not checked (files carry none). Returns counts, not lists.
    """
    teams = {team.pk: team for team, _p, _r in groups}
    reported = reported_measures(list(teams.values()))
    failures: list[tuple[int, ValueRowsInvalid]] = []
    for n, (team, period, rows) in enumerate(groups):
        try:
            check_value_rows(team, period, rows, reported[team.pk])
        except ValueRowsInvalid as error:
            failures.append((n, error))
    result = UpsertResult()
    if failures or not groups:
        return result, failures
    existing: dict[tuple, tuple[int, tuple]] = {}
    period_ids = {period.pk for _t, period, _r in groups}
    for pk, t, p, m, stratum, *numbers in (
        MeasureValue.objects.select_for_update()
        .filter(team_id__in=teams, period_id__in=period_ids)
        .values_list(
            "pk",
            "team_id",
            "period_id",
            "measure_id",
            "stratum",
            "value",
            "numerator",
            "denominator",
            "note",
        )
        .iterator(chunk_size=10_000)
    ):
        existing[(t, p, m, stratum)] = (pk, tuple(numbers))
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    user_id = getattr(person, "pk", None)
    new: list[tuple] = []
    changed: dict[int, ValueRow] = {}
    for team, period, rows in groups:
        measures = reported[team.pk]
        for row in rows:
            measure_id = measures[row.measure].pk
            numbers = (row.value, row.numerator, row.denominator, row.note)
            current = existing.get((team.pk, period.pk, measure_id, row.stratum))
            if current is None:
                new.append(
                    (team.pk, measure_id, period.pk, row.stratum, *numbers, user_id, stamp, 1)
                )
            elif current[1] == numbers:
                result.n_unchanged += 1
            else:
                changed[current[0]] = row
    if new:
        _insert_with_history(new, person, now)
    updated = list(MeasureValue.objects.filter(pk__in=changed)) if changed else []
    for v in updated:
        row = changed[v.pk]
        v.value, v.numerator, v.denominator, v.note = (
            row.value,
            row.numerator,
            row.denominator,
            row.note,
        )
        v.entered_by_id, v.entered_at, v.revision = user_id, now, v.revision + 1
    _update_with_history(updated, person)
    result.n_created, result.n_updated = len(new), len(updated)
    return result, failures


@transaction.atomic
def do_remove_measure_values(*, team, period, rows: list[ValueRow], person) -> list[MeasureValue]:
    """Remove values a person emptied (by measure code and stratum); the history keeps them.

    A row whose value someone changed since `row.revision` raises ValueConflict and nothing is
    removed; a row that names no stored value is ignored (it is already gone).
    """
    found = {
        (v.measure.code, v.stratum): v
        for v in MeasureValue.objects.select_for_update()
        .filter(team=team, period=period, measure__code__in=[r.measure for r in rows])
        .select_related("measure")
    }
    targets = [(i, r, found.get((r.measure, r.stratum))) for i, r in enumerate(rows)]
    conflicts = [
        (i, v)
        for i, r, v in targets
        if v is not None and r.revision is not None and v.revision != r.revision
    ]
    if conflicts:
        raise ValueConflict(conflicts)
    removed = []
    for _i, _r, value in targets:
        if value is not None:
            value._history_user = person
            value.delete()
            removed.append(value)
    return removed
