# ruff: noqa: E501  (the default scale is a table of text, one level per line)
"""The assessment scale: the default text and the collaborative's current version.

The default is BRIEF §4 in our own paraphrase (IHI's wording is under IHI copyright); a
collaborative edits labels and definitions, and may paste licensed wording, as a new version.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import AssessmentScale, ReportSettings

# value, label, definition (our paraphrase; see docs/assessment-scale.md for what is verified)
# fmt: off
DEFAULT_LEVELS: list[tuple[str, str, str]] = [
    ("0.5", "Intent to participate", "A project is named, but there is no charter and no team yet."),
    ("1.0", "Team forming", "The team is named and its charter written and reviewed; aim and target population discussed. No testing yet, though information gathering and baseline measurement may have begun."),
    ("1.5", "Planning under way", "The team meets regularly; the aim is set and the measures match it; resources, first focus, tools and a meeting schedule are being arranged."),
    ("2.0", "Activity, no changes", "The team is learning: planning, defining measures, collecting baseline data and studying the current process. Changes are planned but none tested."),
    ("2.5", "Changes tested, no improvement", "Tests are under way; most goals have a measure; key measures are reported and charted against targets; the team reviews data at its meetings. No improvement yet."),
    ("3.0", "Modest improvement", "Successful tests in some components and some small-scale implementation; early evidence that process measures are better; about a fifth of the way to the numeric goals."),
    ("3.5", "Improvement", "Testing on all components, with implementation where tests succeeded; process measures still improving and some outcome measures improving."),
    ("4.0", "Significant improvement", "Expected results reached for major parts of the system; implementation (training, communication) under way for the whole population of focus; outcome gains starting to hold; about half of the goals met."),
    ("4.5", "Sustainable improvement", "Key measures show that the gains from implemented changes are holding."),
    ("5.0", "Outstanding sustainable results", "Implementation is complete, all goals are met, and the organisation has changed to sustain the gains."),
]
# fmt: on


@dataclass(frozen=True)
class Level:
    value: Decimal
    label: str
    definition: str
    local_notes: str = ""

    @property
    def display(self) -> str:
        return f"{self.value:.1f} {self.label}"


@dataclass(frozen=True)
class Scale:
    """The scale a collaborative scores with now (`record` is None until it is first saved)."""

    record: AssessmentScale | None
    levels: tuple[Level, ...]
    hide_half_point: bool = False

    @property
    def version(self) -> int:
        return self.record.version if self.record else 0

    @property
    def name(self) -> str:
        return self.record.name if self.record else "Assessment scale"

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [
            (f"{lv.value:.1f}", lv.display)
            for lv in self.levels
            if not (self.hide_half_point and lv.value == Decimal("0.5"))
        ]

    def level(self, value) -> Level | None:
        if value is None:
            return None
        value = Decimal(value)
        for lv in self.levels:
            if lv.value == value:
                return lv
        return None

    def label(self, value) -> str:
        lv = self.level(value)
        return lv.label if lv else ""


def default_levels() -> tuple[Level, ...]:
    return tuple(Level(Decimal(v), label, text) for v, label, text in DEFAULT_LEVELS)


def current_scale(collaborative) -> Scale:
    """The latest saved version, or the default text when the collaborative never saved one."""
    record = (
        AssessmentScale.objects.filter(collaborative=collaborative)
        .prefetch_related("levels")
        .order_by("-version")
        .first()
    )
    hide = ReportSettings.objects.filter(collaborative=collaborative, hide_half_point=True).exists()
    if record is None:
        return Scale(None, default_levels(), hide)
    levels = tuple(
        Level(lv.value, lv.label, lv.definition, lv.local_notes) for lv in record.levels.all()
    )
    return Scale(record, levels, hide)
