"""The demo's charts: Brightwater's M1 baseline and its new phase after the nightly match."""

import io

import pytest
from django.core.management import call_command

from breakthrough.collaboratives.access import standing_for
from breakthrough.collaboratives.models import Collaborative
from breakthrough.measures import charts
from breakthrough.measures.models import Measure
from breakthrough.teams.models import Team

pytestmark = pytest.mark.django_db


def test_demo_brightwater_m1_has_its_baseline_phase_and_notes():
    from django.contrib.auth import get_user_model

    call_command("demo", "--no-serve", stdout=io.StringIO())
    c = Collaborative.objects.get(slug="jjcw")
    bw = Team.objects.get(collaborative=c, code="BW")
    m1 = Measure.objects.get(collaborative=c, code="M1")
    viewer = standing_for(get_user_model().objects.get(username="bw-lead"), c)
    [spec] = charts.team_measure_charts(bw, viewer_standing=viewer, measures=[m1])
    parts = [row["part"] for row in spec.rows]
    assert parts.count(1) == 17 and parts.count(2) == 13  # Jul 2007–Nov 2008, Dec 2008–Dec 2009
    assert [row["baseline"] for row in spec.rows][:13] == [True] * 12 + [False]
    assert spec.rows[-1]["centre"] > spec.rows[0]["centre"]
    kinds = {a["kind"] for a in spec.annotations}
    assert {"baseline", "phase", "note", "pdsa_adopt", "learning_session"} <= kinds
    assert not spec.suggestions  # the phase the engine would suggest is already there
