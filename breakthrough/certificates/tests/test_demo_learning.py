"""The demo's learning system matches DEMO.md §3 and §10."""

from __future__ import annotations

from collections import Counter

import pytest

from breakthrough.certificates.models import Capstone, Certificate, Enrolment, Program
from breakthrough.collaboratives.models import Event
from breakthrough.demodata import DEFAULT_PASSWORD, DEFAULT_SEED, DemoContext, foundation, learning
from breakthrough.discussions.models import CoachingNote, DiscussionPreference, Thread
from breakthrough.notifications.models import OutgoingEmail
from breakthrough.resources.models import Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    ctx = DemoContext(seed=DEFAULT_SEED, password=DEFAULT_PASSWORD, log=lambda _: None)
    foundation.seed(ctx)
    learning.seed(ctx)
    return ctx


def test_certificate_program_of_july_2008(demo):
    program = Program.objects.get()
    assert (program.start.isoformat(), program.end.isoformat()) == ("2008-07-21", "2008-07-25")
    assert program.cohort == "July 2008 cohort"
    modules = list(program.modules.prefetch_related("components"))
    assert len(modules) == 5
    codes = sorted(n.code for m in modules for n in m.components.all())
    assert codes == ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]
    sessions = list(program.sessions.select_related("event", "module"))
    assert [s.event.start.day for s in sessions] == [21, 22, 23, 24, 25]
    assert all(s.event.kind == Event.Kind.CERTIFICATE_PROGRAM for s in sessions)
    assert Event.objects.filter(kind=Event.Kind.CERTIFICATE_PROGRAM).count() == 5
    per_team = Counter(e.team.code for e in Enrolment.objects.select_related("team"))
    assert set(per_team) == {"BW", "AG", "SB", "CV", "FD", "GP", "CL"}
    assert all(2 <= n <= 5 for n in per_team.values())
    assert all(3 <= n <= 5 for code, n in per_team.items() if code != "SB")


def test_seven_capstones_and_certificates(demo):
    capstones = Capstone.objects.select_related("team")
    assert sorted(c.team.code for c in capstones) == ["AG", "BW", "CL", "CV", "FD", "GP", "SB"]
    assert all(c.status == "accepted" and c.cycles.exists() for c in capstones)
    # Sable Bay joined late (2 of 5 days) and Ashgrove's senior leader missed two days.
    without = set(
        Enrolment.objects.filter(certificate__isnull=True).values_list("full_name", flat=True)
    )
    assert {"Harold Nguyen", "Hon. Patricia Lowell", "Richard Hale"} <= without
    assert Certificate.objects.count() == Enrolment.objects.count() - len(without)
    assert Certificate.objects.filter(enrolment__person__username="bw-lead").exists()
    # Demo addresses are never mailed: the notices are logged as suppressed.
    assert set(
        OutgoingEmail.objects.filter(kind="certificate_issued").values_list("status", flat=True)
    ) == {"suppressed"}


def test_threads_notes_minutes_and_resources(demo):
    threads = Thread.objects.select_related("event").order_by("created_at")
    assert [t.event.title for t in threads] == [
        "Learning session 1",
        "Learning session 2",
        "Learning session 3 (spread)",
    ]
    assert all(t.posts.count() >= 4 for t in threads)
    assert Thread.objects.filter(is_prompt=True, is_pinned=True).count() == 1
    assert Event.objects.filter(kind="all_team_call").exclude(minutes="").count() == 13
    notes = Counter(CoachingNote.objects.values_list("team__code", flat=True))
    assert notes == dict.fromkeys(["BW", "AG", "SB", "CV", "FD", "GP", "CL"], 2)
    titles = set(Resource.objects.values_list("title", flat=True))
    assert len(titles) == 6
    assert {
        "Nightly crossover match: how it works",
        "Crossover alert template (24-hour notice)",
        "What we can share: a one-page guide for line staff",
    } <= titles
    assert Resource.objects.exclude(file="").count() == 4
    assert DiscussionPreference.objects.filter(mode="every").count() == 4
