"""The PDSA pages through the test client: plan, edit with autosave and conflicts, gates,
decisions, the board and the team page."""

import json

from django.urls import reverse

from breakthrough.pdsa.models import PDSACycle

from .helpers import decide, plan, to_decided, to_study


def plan_form(world, **extra):
    data = {
        "title": "Liaison before detention",
        "nodes": [world.idea.pk],
        "measures": [world.measure.pk],
        "purpose": "test",
        "objective": "Does a call change the decision?",
        "scale": "1 officer, 3 youth",
        "planned_start": "",
        "planned_end": "",
        "data_plan": "Tally sheet",
        "edit_version": "",
        "q-TOTAL_FORMS": "2",
        "q-INITIAL_FORMS": "0",
        "q-0-question": "Answered quickly?",
        "q-0-prediction": "3 of 3 within 15 minutes",
        "q-1-question": "",
        "q-1-prediction": "",
        "t-TOTAL_FORMS": "2",
        "t-INITIAL_FORMS": "0",
        "t-0-what": "Call the liaison",
        "t-0-who": "Officer",
        "t-0-when": "Day shift",
        "t-0-where": "Intake",
    }
    data.update(extra)
    return data


def edit_form(cycle, **extra):
    data = {
        "title": cycle.title,
        "nodes": [n.pk for n in cycle.nodes.all()],
        "measures": [m.pk for m in cycle.measures.all()],
        "purpose": cycle.purpose,
        "objective": cycle.objective,
        "scale": cycle.scale,
        "data_plan": cycle.data_plan,
        "edit_version": cycle.edit_version,
        "q-TOTAL_FORMS": str(len(cycle.questions)),
        "q-INITIAL_FORMS": str(len(cycle.questions)),
        "t-TOTAL_FORMS": str(len(cycle.tasks)),
        "t-INITIAL_FORMS": str(len(cycle.tasks)),
    }
    for i, q in enumerate(cycle.questions):
        data[f"q-{i}-question"] = q["question"]
        data[f"q-{i}-prediction"] = q["prediction"]
        if cycle.reached("studying"):
            data[f"q-{i}-outcome"] = q.get("outcome", "")
            data[f"q-{i}-comparison"] = q.get("comparison", "")
    for i, t in enumerate(cycle.tasks):
        for k, v in t.items():
            data[f"t-{i}-{k}"] = v
    for name in ("start", "end", "do_notes", "do_problems", "results", "learned"):
        data[name] = getattr(cycle, name) or ""
    data.update(extra)
    return data


def test_plan_a_cycle_through_the_form(world):
    response = world.client("bob").post(
        reverse("pdsa:new", args=["testbsc", "alder"]), plan_form(world)
    )
    cycle = PDSACycle.objects.get()
    assert response.status_code == 302 and response.url == f"/c/testbsc/pdsas/{cycle.pk}/"
    assert cycle.questions == [
        {
            "question": "Answered quickly?",
            "prediction": "3 of 3 within 15 minutes",
            "outcome": "",
            "comparison": "",
        }
    ]
    assert cycle.tasks == [
        {"what": "Call the liaison", "who": "Officer", "when": "Day shift", "where": "Intake"}
    ]
    assert cycle.created_by == world.bob and list(cycle.measures.all()) == [world.measure]


def test_the_plan_form_says_what_is_wrong(world):
    url = reverse("pdsa:new", args=["testbsc", "alder"])
    response = world.client("alice").post(
        url,
        plan_form(
            world,
            nodes=[],
            title="",
            **{"q-1-prediction": "a prediction without a question"},
            planned_start="2024-03-10",
            planned_end="2024-03-01",
        ),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose at least one change idea the cycle tests." in html
    assert "This field is required." in html
    assert "Write the question this prediction answers." in html
    assert "The planned end cannot come before the start." in html
    assert not PDSACycle.objects.exists()


def test_free_text_that_looks_like_a_youth_record_is_refused(world):
    url = reverse("pdsa:new", args=["testbsc", "alder"])
    response = world.client("alice").post(
        url, plan_form(world, objective="Youth J.D., DOB 3/4/1995")
    )
    assert response.status_code == 400
    assert "looks like a date of birth" in response.content.decode()
    response = world.client("alice").post(
        url, plan_form(world, **{"t-0-what": "Check case no. 2008-1234"})
    )
    assert "looks like a case or file number" in response.content.decode()


def test_gate_failure_page_says_exactly_what_is_missing(world):
    cycle = plan(world, data_plan="", scale="")
    response = world.client("alice").post(
        reverse("pdsa:advance", args=["testbsc", cycle.pk]), {"to": "doing"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "The cycle cannot move to Do yet." in html
    assert "Write the data-collection plan" in html and "Give the scale of the test" in html


def test_stage_labels_use_the_collaborative_vocabulary(world):
    cycle = to_study(plan(world))
    html = (
        world.client("alice")
        .get(reverse("pdsa:detail", args=["testbsc", cycle.pk]))
        .content.decode()
    )
    assert "Move to Adjust" in html and "Move to Act" not in html


def test_edit_saves_and_keeps_comparisons_made_later(world):
    cycle = to_decided(plan(world), outcome="confirmed")
    data = edit_form(cycle, results="2 of 3 in time", learned="Backup number needed")
    response = world.client("alice").post(reverse("pdsa:edit", args=["testbsc", cycle.pk]), data)
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.results == "2 of 3 in time" and cycle.questions[0]["outcome"] == "confirmed"


def test_second_save_is_told_what_changed(world):
    cycle = plan(world)
    alice, bob = world.client("alice"), world.client("bob")
    url = reverse("pdsa:edit", args=["testbsc", cycle.pk])
    loaded = edit_form(cycle)
    assert alice.post(url, {**loaded, "scale": "2 officers, 6 youth"}).status_code == 302
    response = bob.post(url, {**loaded, "scale": "1 officer, 1 youth"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Alice Adams saved this cycle while you were editing" in html
    assert "2 officers, 6 youth" in html and "1 officer, 1 youth" in html
    cycle.refresh_from_db()
    assert cycle.scale == "2 officers, 6 youth"
    # Saving again from the conflict page (which carries the new version) goes through.
    again = bob.post(
        url, {**loaded, "scale": "1 officer, 1 youth", "edit_version": cycle.edit_version}
    )
    assert again.status_code == 302


def test_autosave_saves_a_draft_and_reports_conflicts(world):
    cycle = plan(world)
    url = reverse("pdsa:autosave", args=["testbsc", cycle.pk])
    data = edit_form(cycle, objective="Half typed")
    response = world.client("alice").post(url, data)
    body = json.loads(response.content)
    assert response.status_code == 200 and body["message"].startswith("Draft saved")
    assert body["edit_version"] == cycle.edit_version + 1
    assert PDSACycle.objects.get(pk=cycle.pk).objective == "Half typed"
    stale = world.client("bob").post(url, data)
    assert (
        stale.status_code == 409
        and "Alice Adams saved this cycle" in json.loads(stale.content)["message"]
    )
    invalid = world.client("alice").post(
        url, {**data, "nodes": [], "edit_version": body["edit_version"]}
    )
    assert invalid.status_code == 400 and "change idea" in json.loads(invalid.content)["message"]


def test_autosave_of_a_new_plan_creates_it_once_and_points_the_form_at_it(world):
    url = reverse("pdsa:new-autosave", args=["testbsc", "alder"])
    response = world.client("alice").post(url, plan_form(world))
    body = json.loads(response.content)
    cycle = PDSACycle.objects.get()
    assert body["action"] == f"/c/testbsc/pdsas/{cycle.pk}/edit/"
    assert body["autosave"] == f"/c/testbsc/pdsas/{cycle.pk}/autosave/"
    assert body["edit_version"] == cycle.edit_version


def test_decision_form_adapt_opens_cycle_two(world):
    cycle = to_decided(plan(world))
    response = world.client("alice").post(
        reverse("pdsa:decide", args=["testbsc", cycle.pk]),
        {
            "decision": "adapt",
            "next_steps": "Add a backup number",
            "decided_on": "2024-02-20",
            "start_next": "on",
        },
        follow=True,
    )
    second = PDSACycle.objects.get(cycle_no=2)
    assert response.redirect_chain[-1][0] == f"/c/testbsc/pdsas/{second.pk}/"
    html = response.content.decode()
    assert "Cycle 2 is planned from cycle 1" in html
    assert "From cycle 1 (adapt):" in html and "Add a backup number" in html


def test_decision_form_errors(world):
    cycle = to_decided(plan(world))
    response = world.client("alice").post(
        reverse("pdsa:decide", args=["testbsc", cycle.pk]), {"decision": "adopt", "next_steps": ""}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Write the next steps." in html
    assert "For adopt, say how the change will be implemented and sustained." in html


def test_board_groups_by_stage_and_filters_by_idea(world, django_assert_max_num_queries):
    from breakthrough.changes.models import ChangeNode

    other = ChangeNode.objects.create(
        package=world.package, parent=world.component, kind="idea", code="1.2", title="Intake flag"
    )
    decide(plan(world), "adapt")
    plan(world, title="Paper flag on the intake screen", nodes=[other])
    client = world.client("fran")
    url = reverse("pdsa:board", args=["testbsc", "alder"])
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert html.count('class="pdsa-card"') == 3
    filtered = client.get(url, {"idea": other.pk}).content.decode()
    assert filtered.count('class="pdsa-card"') == 1 and "Paper flag" in filtered


def test_board_query_count_does_not_grow_with_cycles(world, django_assert_max_num_queries):
    for i in range(15):
        decide(plan(world, title=f"Test {i}"), "adapt")
    client = world.client("alice")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("pdsa:board", args=["testbsc", "alder"]))
    assert response.content.decode().count('class="pdsa-card"') == 30


def test_cycle_page_query_count(world, django_assert_max_num_queries):
    first, _ = decide(plan(world), "adapt")
    client = world.client("carol")
    with django_assert_max_num_queries(22):
        response = client.get(reverse("pdsa:detail", args=["testbsc", first.pk]))
    assert response.status_code == 200


def test_overview_and_team_page_show_the_tests_of_change(world):
    decide(plan(world), "adopt")
    overview = world.client("fran").get(reverse("pdsa:overview", args=["testbsc"])).content.decode()
    assert "Alder County" in overview and "Lone cycle" in overview
    team_page = (
        world.client("carol")
        .get(reverse("teams:detail", args=["testbsc", "alder"]))
        .content.decode()
    )
    assert "Tests of change" in team_page and "CW liaison before detention, cycle 1" in team_page
    # Another team sees no quality flags.
    assert (
        "Lone cycle"
        not in world.client("carol")
        .get(reverse("pdsa:overview", args=["testbsc"]))
        .content.decode()
    )


def test_ramp_page_shows_the_sequence(world):
    first, second = decide(plan(world), "adapt")
    second.scale = "day shift, 1 week"
    second.save(update_fields=["scale"])
    html = (
        world.client("carol")
        .get(reverse("pdsa:ramp", args=["testbsc", first.ramp_id]))
        .content.decode()
    )
    assert "Cycle 1" in html and "Cycle 2" in html and "day shift, 1 week" in html
    assert html.index("1 officer, 3 youth") < html.index("day shift, 1 week")
