"""`breakthrough demo --no-serve` on an empty database, twice: no duplicates, no error.

One test loads the demo and then reloads it: each load takes seconds, so the checks share them.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from breakthrough.collaboratives.models import Collaborative, Event, ReportingPeriod
from breakthrough.measures.models import ChartNote, ChartPhase, MeasureValue
from breakthrough.teams.models import Membership, Team

pytestmark = pytest.mark.django_db(transaction=False)


def counts():
    return {
        "collaboratives": Collaborative.objects.count(),
        "people": get_user_model().objects.count(),
        "teams": Team.objects.count(),
        "members": Membership.objects.count(),
        "events": Event.objects.count(),
        "periods": ReportingPeriod.objects.count(),
        "values": MeasureValue.objects.count(),
        "chart notes": ChartNote.objects.count(),
        "chart phases": ChartPhase.objects.count(),
    }


def measure_values():
    return list(
        MeasureValue.objects.order_by(
            "team__code", "measure__code", "period__start", "stratum"
        ).values_list("numerator", "denominator", "value")
    )


def test_demo_loads_once_is_idempotent_and_identical_for_a_seed():
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    first, values = counts(), measure_values()
    assert "Demo collaborative loaded" in out.getvalue()
    assert "bw-lead" in out.getvalue() and "breakthrough-demo" in out.getvalue()
    c = Collaborative.objects.get(slug="jjcw")
    assert c.is_demo and c.vocab["act"] == "Adjust"
    assert first["teams"] == 7 and first["periods"] == 30
    assert first["chart notes"] == 4 and first["chart phases"] == 2
    assert set(Team.objects.values_list("code", flat=True)) == {
        "BW",
        "AG",
        "SB",
        "CV",
        "FD",
        "GP",
        "CL",
    }
    assert (
        not get_user_model()
        .objects.filter(is_demo=True)
        .exclude(email__endswith="@demo.example.org")
        .exists()
    )
    assert Team.objects.get(code="CL").data_visibility == "faculty_only"

    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "already loaded" in out.getvalue()
    assert counts() == first

    # --reset deletes the demo and loads it again: the same seed gives the same numbers.
    call_command("demo", "--no-serve", "--reset", stdout=io.StringIO())
    assert counts() == first
    assert measure_values() == values
