"""A large synthetic collaborative for query-count tests and benchmarks: many teams, thousands
of cycles, built with a few bulk inserts. Not demo data: nothing here is shown to people."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from breakthrough.changes.models import ChangeNode, ChangePackage
from breakthrough.collaboratives.models import Collaborative, StaffRole
from breakthrough.measures.models import Measure, TeamMeasure
from breakthrough.teams.models import Jurisdiction, Membership, Team

from .models import PDSACycle, Ramp

WORDS = tuple(
    " ".join(
        [
            "liaison detention placement intake officer youth family meeting joint assessment",
            "court probation caseworker notification alert school diversion conference",
            "protocol guide match daily list screening transport evening partner advocate",
            "elder tribal docket review data count weekly shift backup number phone video",
            "convener slot unit supervisor training",
        ]
    ).split(" ")
)


@dataclass
class Synthetic:
    collaborative: Collaborative
    teams: list[Team]
    member: object
    faculty: object
    cycles: int


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def build(
    *,
    slug: str = "bench",
    teams: int = 100,
    cycles: int = 5000,
    ideas_per_component: int = 6,
    seed: int = 1,
) -> Synthetic:
    """Create a collaborative with `teams` teams sharing `cycles` cycles in ramps of 1-4."""
    rng = random.Random(seed)
    c = Collaborative.objects.create(
        name=f"Synthetic collaborative ({slug})",
        slug=slug,
        start=date(2020, 1, 1),
        end=date(2021, 6, 30),
        vocabulary={"act": "Adjust"},
    )
    package = ChangePackage.objects.create(
        collaborative=c,
        version="1.0",
        title="Synthetic package",
        status="published",
        published_on=date(2020, 1, 1),
    )
    ideas = []
    for i in range(1, 8):
        comp = ChangeNode.objects.create(
            package=package, kind="component", code=f"C{i}", title=f"Component {i}", order=i
        )
        ideas += ChangeNode.objects.bulk_create(
            ChangeNode(
                package=package,
                parent=comp,
                kind="idea",
                code=f"{i}.{j}",
                title=f"Change idea {i}.{j}: {_text(rng, 5)}",
                order=j,
            )
            for j in range(1, ideas_per_component + 1)
        )
    measure = Measure.objects.create(
        collaborative=c,
        code="M1",
        name="Early identification",
        kind="process",
        data_type="proportion",
    )
    jurisdictions = Jurisdiction.objects.bulk_create(
        Jurisdiction(name=f"{slug} county {i:03d}", kind="rural") for i in range(teams)
    )
    team_list = Team.objects.bulk_create(
        Team(
            collaborative=c,
            jurisdiction=j,
            name=f"County {i:03d}",
            slug=f"t{i:03d}",
            code=f"T{i:03d}",
        )
        for i, j in enumerate(jurisdictions)
    )
    TeamMeasure.objects.bulk_create(TeamMeasure(team=t, measure=measure) for t in team_list)
    User = get_user_model()
    member = User.objects.create_user(f"{slug}-member", password="x", full_name="Mia Member")
    faculty = User.objects.create_user(f"{slug}-faculty", password="x", full_name="Fay Faculty")
    Membership.objects.create(team=team_list[0], person=member, is_day_to_day_lead=True)
    StaffRole.objects.create(collaborative=c, person=faculty, role="faculty")

    per_team = [cycles // teams + (1 if i < cycles % teams else 0) for i in range(teams)]
    ramps, specs = [], []
    for team, n in zip(team_list, per_team, strict=True):
        while n > 0:
            size = min(n, rng.randint(1, 4))
            idea = rng.choice(ideas)
            ramps.append(Ramp(team=team, change_node=idea, title=f"Test of {idea.code}"))
            specs.append((team, idea, size))
            n -= size
    ramps = Ramp.objects.bulk_create(ramps)
    objects = []
    now = timezone.now()
    for ramp, (team, _idea, size) in zip(ramps, specs, strict=True):
        start = date(2020, 2, 1) + timedelta(days=rng.randint(0, 400))
        final = rng.choice(["adopt", "adapt", "abandon", ""])
        for k in range(1, size + 1):
            last = k == size
            decision = (final if last else rng.choice(["adapt", "expand_scale"])) or ""
            state = "decided" if decision or not last else rng.choice(["planned", "doing"])
            cycle = PDSACycle(
                ramp=ramp,
                team=team,
                cycle_no=k,
                title=ramp.title,
                state=state,
                state_changed_at=now,
                objective=_text(rng, 25),
                scale=f"{k * 2} youth",
                questions=[
                    {
                        "question": _text(rng, 8),
                        "prediction": _text(rng, 8),
                        "outcome": rng.choice(["confirmed", "partly", "not"])
                        if state == "decided"
                        else "",
                        "comparison": "",
                    }
                ],
                tasks=[
                    {"what": _text(rng, 4), "who": "Officer", "when": "Week 1", "where": "Intake"}
                ],
                data_plan=_text(rng, 12),
                start=start if state != "planned" else None,
                do_notes=_text(rng, 30) if state == "decided" else "",
                results=_text(rng, 25) if state == "decided" else "",
                learned=_text(rng, 20) if state == "decided" else "",
                decision=decision,
                next_steps=_text(rng, 10) if decision else "",
                decided_on=start + timedelta(days=14) if decision else None,
            )
            cycle.refresh_derived()
            objects.append(cycle)
            start += timedelta(days=21)
        ramp.status = {"adopt": "adopted", "abandon": "abandoned"}.get(final, "open")
    Ramp.objects.bulk_update(ramps, ["status"])
    created = PDSACycle.objects.bulk_create(objects, batch_size=500)
    through = PDSACycle.nodes.through
    ramp_node = {r.pk: r.change_node_id for r in ramps}
    through.objects.bulk_create(
        (through(pdsacycle_id=x.pk, changenode_id=ramp_node[x.ramp_id]) for x in created),
        batch_size=1000,
    )
    measures = PDSACycle.measures.through
    measures.objects.bulk_create(
        (measures(pdsacycle_id=x.pk, measure_id=measure.pk) for x in created), batch_size=1000
    )
    return Synthetic(
        collaborative=c, teams=team_list, member=member, faculty=faculty, cycles=len(created)
    )
