"""The demo collaborative of `breakthrough demo` (specification: DEMO.md in the product brief).

Every object hangs off a collaborative flagged `is_demo`; people are flagged `is_demo` and use the
reserved domain demo.example.org. Each part of the platform seeds its own data in a module of
this package; `load_demo` runs them in order inside one transaction, so a failed load leaves
nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

DEFAULT_SEED = 20080701
DEFAULT_PASSWORD = "breakthrough-demo"
SLUG = "jjcw"


def month_label(d: date) -> str:
    return f"{d:%b %Y}"


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


class DemoError(Exception):
    """The demo cannot be loaded, or its data fail an acceptance check."""


@dataclass
class DemoContext:
    """What the seeding steps share: the random seed, the password and the objects made so far."""

    seed: int
    password: str
    log: Callable[[str], None] = print
    collaborative: object = None
    people: dict[str, object] = field(default_factory=dict)  # username -> user
    teams: dict[str, object] = field(default_factory=dict)  # code -> team
    nodes: dict[str, object] = field(default_factory=dict)  # code (C1, 1.1, ...) -> change node
    measures: dict[str, object] = field(default_factory=dict)  # code -> measure
    periods: dict[str, object] = field(default_factory=dict)  # "2008-07" -> period
    extra: dict[str, object] = field(default_factory=dict)


def steps() -> list[tuple[str, Callable[[DemoContext], None]]]:
    """The seeding steps in order. Each later capability adds its own step here."""
    from . import charts, foundation, learning, measures, pdsa, submissions
    from . import publications as dissemination
    from . import reports as monthly_reports

    return [
        ("collaborative, people and calendar", foundation.seed),
        ("PDSA ramps, lessons and the change package v2.0 draft", pdsa.seed),
        ("monthly measure values", measures.seed),
        ("monthly data submissions", submissions.seed),
        ("chart notes, baselines and phases", charts.seed),
        ("certificate program, discussions, notes and library", learning.seed),
        ("monthly reports, scores and reminders", monthly_reports.seed),
        ("draft final report and practice model", dissemination.seed),
    ]


def demo_exists() -> bool:
    from breakthrough.collaboratives.models import Collaborative

    return Collaborative.objects.filter(slug=SLUG, is_demo=True).exists()


def remove_demo() -> None:
    """Delete every demo object (and nothing else)."""
    from django.contrib.auth import get_user_model

    from breakthrough.collaboratives.models import Collaborative
    from breakthrough.resources.models import Resource
    from breakthrough.teams.models import Jurisdiction

    with transaction.atomic():
        for resource in Resource.objects.filter(collaborative__is_demo=True).exclude(file=""):
            resource.file.delete(save=False)
        for collaborative in Collaborative.objects.filter(is_demo=True):
            collaborative.delete()
        Jurisdiction.objects.filter(is_fictional=True, teams__isnull=True).delete()
        get_user_model().objects.filter(is_demo=True).delete()


def load_demo(
    *, seed: int = DEFAULT_SEED, password: str = DEFAULT_PASSWORD, reset: bool = False, log=print
) -> bool:
    """Load the demo collaborative. Returns False when it was already loaded (and not reset)."""
    from breakthrough.collaboratives.models import Collaborative

    if reset:
        remove_demo()
    elif demo_exists():
        return False
    if Collaborative.objects.filter(slug=SLUG).exists():
        raise DemoError(
            f"A collaborative with the slug '{SLUG}' exists and is not demo data; "
            "the demo will not touch it."
        )
    ctx = DemoContext(seed=seed, password=password, log=log)
    with transaction.atomic():
        for label, step in steps():
            log(f"  loading {label}…")
            step(ctx)
    return True
