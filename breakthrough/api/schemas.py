"""Request and response types of the API. The OpenAPI schema is generated from these."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Path, Schema
from pydantic import field_validator, model_validator

# Identifiers sent by clients: positive and within what every database stores (2^53 also stays
# exact in JavaScript), so a huge number is a 422, not a database error.
MAX_ID = 2**53
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=1, le=MAX_ID)]
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]  # an id in the URL


class BodyIn(Schema):
    """A request body: a JSON object, nothing else."""

    @model_validator(mode="before")
    @classmethod
    def _object_only(cls, data):
        if isinstance(data, (list, str, int, float, bool)) or data is None:
            raise ValueError("The body must be a JSON object.")
        return data


class PersonOut(Schema):
    username: str
    name: str


class StandingOut(Schema):
    roles: list[str]
    teams: list[str] = Field(description="Slugs of the teams the person is on.")
    is_staff: bool
    can_manage: bool


class CollaborativeOut(Schema):
    slug: str
    name: str
    topic: str
    mission: str
    aim_statement: str
    start: date | None
    end: date | None
    phase: str
    rule_set: str
    teams_share_work: bool
    suppression_threshold: int
    time_zone: str
    is_demo: bool
    vocabulary: dict[str, str]


class CollaborativeDetailOut(CollaborativeOut):
    you: StandingOut


class CollaborativePatch(BodyIn):
    name: str | None = Field(None, min_length=1, max_length=200)
    topic: str | None = Field(None, max_length=200)
    mission: str | None = None
    aim_statement: str | None = None
    start: date | None = None
    end: date | None = None
    phase: (
        Literal["planning", "prework", "active", "closing", "holding_gains", "archived"] | None
    ) = None
    rule_set: Literal["anhoej", "ihi", "provost", "mdc", "western_electric", "nelson"] | None = None
    teams_share_work: bool | None = None
    suppression_threshold: int | None = Field(None, ge=1, le=50)
    time_zone: str | None = Field(None, max_length=64)


class MeOut(Schema):
    username: str
    name: str
    token: TokenInfoOut
    collaboratives: list[str]


class TokenInfoOut(Schema):
    name: str
    scope: Literal["read", "write"]
    expires_at: datetime


class PeriodOut(Schema):
    label: str
    start: date
    end: date
    due_on: date
    is_baseline: bool


class JurisdictionOut(Schema):
    name: str
    kind: str
    region: str


class TeamPermissionsOut(Schema):
    read_work: bool
    edit: bool
    manage: bool


class TeamOut(Schema):
    slug: str
    code: str
    name: str
    jurisdiction: JurisdictionOut
    status: str
    joined_on: date | None
    data_visibility: Literal["collaborative", "faculty_only"]
    aim: str
    edit_version: int
    you: TeamPermissionsOut


class TeamPatch(BodyIn):
    edit_version: Version = Field(description="The edit_version you read; 409 if it moved on.")
    aim: str | None = None
    data_visibility: Literal["collaborative", "faculty_only"] | None = None


TeamRole = Literal["senior_leader", "day_to_day_lead", "data_contact"]


class MembershipOut(Schema):
    id: int
    team: str
    person: PersonOut
    agency: str | None
    roles: list[str]
    partner: Literal["", "youth", "family"]
    started_on: date | None
    ended_on: date | None


class MembershipPatch(BodyIn):
    roles: list[TeamRole] | None = Field(None, description="Team roles; [] for a plain member.")
    partner: Literal["", "youth", "family"] | None = None
    end: bool = Field(False, description="End the membership today.")


class InvitationIn(BodyIn):
    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str) -> str:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(value)
        except ValidationError:
            raise ValueError("Enter a valid e-mail address.") from None
        return value

    full_name: str = Field("", max_length=150)
    roles: list[TeamRole] = []
    partner: Literal["", "youth", "family"] = ""
    agency: str | None = Field(None, description="Name of an agency of the team's jurisdiction.")


class InvitationOut(Schema):
    email: str
    role: str
    status: str
    expires_at: datetime


class ChangePackageOut(Schema):
    version: str
    title: str
    status: Literal["draft", "published", "superseded"]
    goals: str
    published_on: date | None
    based_on: str | None


NodeKind = Literal[
    "principle", "value", "component", "concept", "idea", "primary_driver", "secondary_driver"
]


class ChangeNodeOut(Schema):
    id: int
    package: str
    parent: int | None
    lineage: int | None = Field(description="The same node in the version this one came from.")
    kind: NodeKind
    code: str
    title: str
    guiding_question: str
    description: str
    evidence_notes: str
    order: int
    retired: bool
    tags: list[str]
    edit_version: int


class ChangeNodeIn(BodyIn):
    parent: Id | None = None
    kind: NodeKind
    code: str = Field("", max_length=20)
    title: str = Field(min_length=1, max_length=300)
    guiding_question: str = Field("", max_length=300)
    description: str = ""
    evidence_notes: str = ""


class ChangeNodePatch(BodyIn):
    edit_version: Version = Field(description="The edit_version you read; 409 if it moved on.")
    code: str | None = Field(None, max_length=20)
    title: str | None = Field(None, min_length=1, max_length=300)
    guiding_question: str | None = Field(None, max_length=300)
    description: str | None = None
    evidence_notes: str | None = None
    order: int | None = Field(None, ge=0, le=1_000_000)
    retired: bool | None = Field(None, description="Retire the node (and what sits under it).")


MeasureKind = Literal["outcome", "process", "balancing", "structure"]
DataType = Literal[
    "proportion", "rate", "count", "continuous", "rare_event", "ratio", "text", "score"
]
Direction = Literal["up", "down", "target", "watch"]
GoalBasis = Literal["absolute", "baseline_ratio", "baseline_offset"]
Scope = Literal["mandatory", "optional", "custom", "derived"]


class MeasureOut(Schema):
    code: str
    name: str
    kind: MeasureKind
    data_type: DataType
    definition: str
    numerator_definition: str
    denominator_definition: str
    multiplier: float
    unit: str
    direction: Direction
    goal: float | None
    goal_basis: GoalBasis
    scope: Scope
    owner_team: str | None
    stratifiers: list[str]
    lag_months: int
    source: str
    basis: str
    order: int
    version: int
    effective_from: date | None
    edit_version: int


class MeasureFields(BodyIn):
    definition: str | None = None
    numerator_definition: str | None = None
    denominator_definition: str | None = None
    multiplier: float | None = Field(None, gt=0, le=1_000_000)
    unit: str | None = Field(None, max_length=40)
    direction: Direction | None = None
    goal: float | None = Field(None, ge=-1e12, le=1e12)
    goal_basis: GoalBasis | None = None
    owner_team: str | None = Field(None, description="Team slug, for team custom measures.")
    lag_months: int | None = Field(None, ge=0, le=36)
    source: str | None = Field(None, max_length=200)
    basis: str | None = None
    order: int | None = Field(None, ge=0, le=1_000_000)
    effective_from: date | None = None


class MeasureIn(MeasureFields):
    code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9._-]+$")
    name: str = Field(min_length=1, max_length=200)
    kind: MeasureKind
    data_type: DataType
    scope: Scope = "mandatory"


class MeasurePatch(MeasureFields):
    edit_version: Version = Field(description="The edit_version you read; 409 if it moved on.")
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: MeasureKind | None = None
    data_type: DataType | None = None
    scope: Scope | None = None


class ValueOut(Schema):
    team: str
    measure: str
    period: date = Field(description="Start date of the reporting period.")
    period_label: str
    stratum: str = Field(description="'' for the total, else '<stratifier>:<category>'.")
    value: float | None
    numerator: int | None
    denominator: int | None
    rate: float | None = Field(description="numerator / denominator, or the value.")
    suppressed: bool = Field(
        description="Small counts hidden (shown as null) because you are outside the team."
    )
    note: str
    revision: int
    entered_at: datetime


class ValueIn(Schema):
    measure: str = Field(min_length=1, max_length=20)
    stratum: str = Field("", max_length=80)
    value: float | None = Field(None, ge=-1e12, le=1e12)
    numerator: int | None = Field(None, ge=0, le=2_000_000_000)
    denominator: int | None = Field(None, ge=0, le=2_000_000_000)
    note: str = Field("", max_length=500)
    revision: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="The revision you last read; 409 if the value changed since.",
    )


MAX_VALUE_ROWS = 2000


class ValuesUpsertIn(BodyIn):
    period: date = Field(description="Start date of the reporting period, e.g. 2008-09-01.")
    values: list[ValueIn] = Field(min_length=1, max_length=MAX_VALUE_ROWS)


class ValuesUpsertOut(Schema):
    created: int
    updated: int
    unchanged: int
    values: list[ValueOut]


class ChartPointOut(Schema):
    period: date
    label: str
    y: float | None
    n: float | None
    cl: float | None
    lcl: float | None
    ucl: float | None
    part: int
    suppressed: bool
    signals: list[str]


class ChartSignalOut(Schema):
    rule: str
    rule_set: str
    direction: str | None
    periods: list[date]
    explanation: str


class ChartOut(Schema):
    team: str
    measure: str
    chart: str
    rules: str
    unit: str
    multiplier: float
    status: str
    summary: str
    points: list[ChartPointOut]
    signals: list[ChartSignalOut]


MeOut.model_rebuild()


class QuestionIO(Schema):
    question: str = Field("", max_length=2000)
    prediction: str = Field("", max_length=2000)
    outcome: Literal["", "confirmed", "partly", "not"] = ""
    comparison: str = Field("", max_length=2000)


class TaskIO(Schema):
    what: str = Field("", max_length=500)
    who: str = Field("", max_length=200)
    when: str = Field("", max_length=100)
    where: str = Field("", max_length=200)


class RampOut(Schema):
    id: int
    title: str
    status: str
    change_node: int | None


class CycleOut(Schema):
    id: int
    team: str
    ramp: RampOut
    cycle_no: int
    title: str
    state: Literal["planned", "doing", "studying", "decided"]
    purpose: str
    objective: str
    nodes: list[int]
    measures: list[str]
    questions: list[dict]
    tasks: list[dict]
    data_plan: str
    scale: str
    planned_start: date | None
    planned_end: date | None
    start: date | None
    end: date | None
    do_notes: str
    do_problems: str
    results: str
    learned: str
    decision: str
    next_steps: str
    implementation_note: str
    decided_on: date | None
    predictions: int
    predictions_confirmed: int
    edit_version: int


Purpose = Literal["collect", "develop", "test", "implement"]


class CycleIn(BodyIn):
    title: str = Field(min_length=1, max_length=200)
    objective: str = ""
    nodes: list[Id] = Field(
        min_length=1, description="Change package node ids; the first names the ramp."
    )
    purpose: Purpose = "test"
    scale: str = Field("", max_length=200)
    questions: list[QuestionIO] = Field([], max_length=50)
    tasks: list[TaskIO] = Field([], max_length=100)
    data_plan: str = ""
    measures: list[str] = Field([], description="Measure codes the cycle watches.")
    planned_start: date | None = None
    planned_end: date | None = None
    ramp: Id | None = Field(None, description="Add the cycle to this ramp of the team.")


class CyclePatch(BodyIn):
    edit_version: Version = Field(description="The edit_version you read; 409 if it moved on.")
    title: str | None = Field(None, min_length=1, max_length=200)
    purpose: Purpose | None = None
    objective: str | None = None
    nodes: list[Id] | None = Field(None, min_length=1)
    measures: list[str] | None = None
    questions: list[QuestionIO] | None = Field(None, max_length=50)
    tasks: list[TaskIO] | None = Field(None, max_length=100)
    data_plan: str | None = None
    scale: str | None = Field(None, max_length=200)
    planned_start: date | None = None
    planned_end: date | None = None
    start: date | None = None
    end: date | None = None
    do_notes: str | None = None
    do_problems: str | None = None
    results: str | None = None
    learned: str | None = None
    next_steps: str | None = None
    implementation_note: str | None = None


class CycleAdvanceIn(BodyIn):
    to_state: Literal["doing", "studying", "decided"]


class CycleDecideIn(BodyIn):
    decision: Literal["adopt", "adapt", "abandon", "expand_scale"]
    next_steps: str = ""
    implementation_note: str = ""
    decided_on: date | None = None
    start_next: bool = Field(True, description="Adapt or expand starts the ramp's next cycle.")


class CycleDecisionOut(Schema):
    cycle: CycleOut
    next_cycle: int | None


class LessonOut(Schema):
    id: int
    statement: str
    detail: str
    strength: Literal["tested", "implemented", "spread"]
    status: Literal["draft", "endorsed"]
    nodes: list[int]
    cycles: list[int]
    teams: list[str]
    measures: list[str]
    created_at: datetime
    endorsed_on: date | None
    edit_version: int


class LessonIn(BodyIn):
    statement: str = Field(min_length=1, max_length=5000)
    detail: str = ""
    strength: Literal["tested", "implemented", "spread"] = "tested"
    nodes: list[Id] = Field(min_length=1)
    cycles: list[Id] = []
    teams: list[str] = []
    measures: list[str] = []


class LessonPatch(LessonIn):
    edit_version: Version = Field(description="The edit_version you read; 409 if it moved on.")


class LessonEndorseIn(BodyIn):
    endorse: bool = True


# ---------------------------------------------------------------------------------------------
# Monthly reports and their scores

ReportState = Literal["draft", "submitted", "reopened", "skipped"]
ComponentState = Literal["not_started", "testing", "implementing", "spreading", "abandoned"]
Score = Annotated[float, Field(ge=0.5, le=5.0, multiple_of=0.5)]
Month = Annotated[str, Path(pattern=r"^\d{4}-\d{2}$", description="The period's month, YYYY-MM.")]


class ComponentStatusOut(Schema):
    node: int
    code: str
    title: str
    status: ComponentState
    suggested_status: ComponentState | Literal[""] = Field(
        description="What the team's PDSA cycles suggested when the report was started."
    )
    notes: str


class AssessmentOut(Schema):
    kind: Literal["self", "faculty", "reconciled"]
    score: float
    assessor: str | None = Field(description="The scorer's username (shown to staff only).")
    justification: str
    comments: str
    suggestions: str
    created_at: datetime
    updated_at: datetime


class ReportScoresOut(Schema):
    self_assessment: AssessmentOut | None = Field(
        description="The team's own score as submitted (hidden from a scorer until they score)."
    )
    agreed: AssessmentOut | None = Field(description="The reconciled faculty score and feedback.")
    faculty: list[AssessmentOut] = Field(
        description="Individual faculty scores you may see (scoring is blind until complete)."
    )
    hidden_faculty: int = Field(description="How many faculty scores you may not see yet.")
    waiting_for: list[str] = Field(description="Usernames of scorers who have not scored yet.")
    can_score: bool
    can_reconcile: bool


class ReportOut(Schema):
    id: int
    team: str
    month: str = Field(description="YYYY-MM")
    period: date = Field(description="The first day of the reporting period.")
    due_on: date
    state: ReportState
    revision: int
    achievements: str
    learning: str
    barriers: str
    help_needed: str
    self_score: float | None = Field(description="Null when you may not see the team's score.")
    self_justification: str
    skip_reason: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    first_submitted_at: datetime | None
    late: bool = Field(description="First submitted after the due day.")
    leader_acknowledged_at: datetime | None
    statuses: list[ComponentStatusOut]
    scores: ReportScoresOut | None = Field(
        description="Null when the collaborative's sharing does not show you this team's scores."
    )
    edit_version: int


class ComponentStatusIn(Schema):
    node: Id
    status: ComponentState
    notes: str = Field("", max_length=500)


class ReportDraftIn(BodyIn):
    """Fields left out keep their value."""

    achievements: str | None = None
    learning: str | None = None
    barriers: str | None = None
    help_needed: str | None = None
    self_score: Score | None = None
    self_justification: str | None = None
    statuses: list[ComponentStatusIn] = Field(
        [], description="Statuses to change, by change package node id."
    )
    edit_version: Version | None = Field(
        None,
        description="The edit_version you read; required once the report exists (409 if it "
        "moved on).",
    )


class ReportSubmitIn(BodyIn):
    edit_version: Version = Field(description="The edit_version you read; 409 if it moved on.")


class ReasonIn(BodyIn):
    reason: str = Field(min_length=1, max_length=300, description="Why, in a sentence or two.")


class ReopenIn(ReasonIn):
    edit_version: Version = Field(description="The edit_version you read; 409 if it moved on.")


class ScoreIn(BodyIn):
    score: Score
    justification: str = Field(min_length=1, max_length=5000)
    comments: str = Field("", max_length=5000)
    suggestions: str = Field("", max_length=5000)


# ---------------------------------------------------------------------------------------------
# Learning sessions


class AgendaItemOut(Schema):
    id: int
    title: str
    day: date | None
    time: str | None = Field(description="HH:MM, or null.")
    lead: str


class PresenterOut(Schema):
    team: str
    topic: str
    month: str | None = Field(description="The report (YYYY-MM) that made faculty pick the team.")


class MaterialOut(Schema):
    id: int
    title: str
    url: str
    has_file: bool = Field(description="A file to download from the session page.")


class StoryboardOut(Schema):
    team: str
    title: str
    review_status: Literal["submitted", "changes", "approved"]
    uploaded_at: datetime


class SessionOut(Schema):
    id: int
    kind: Literal["certificate_program", "learning_session", "closing_congress"]
    number: int | None
    title: str
    start: date
    end: date | None
    location: str
    objectives: str
    agenda: list[AgendaItemOut]
    presenters: list[PresenterOut]
    materials: list[MaterialOut]
    storyboards: list[StoryboardOut] = Field(
        description="Storyboards of the teams whose work you may read."
    )
    attended: list[str] | None = Field(
        description="Usernames of the people recorded as present (staff); null for others."
    )


class AgendaItemIn(BodyIn):
    title: str = Field(min_length=1, max_length=200)
    day: date | None = None
    time: str | None = Field(
        None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, local time."
    )
    lead: str = Field("", max_length=200, description="Who leads the item.")


class PresenterIn(BodyIn):
    topic: str = Field("", max_length=200)
    month: str | None = Field(
        None,
        pattern=r"^\d{4}-\d{2}$",
        description="The team's report (YYYY-MM) that made faculty pick it, if any.",
    )


class AttendanceIn(BodyIn):
    present: list[str] = Field(
        max_length=5000, description="Usernames of the team members who were there."
    )
