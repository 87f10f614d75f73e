"""Lessons learned: written from a cycle or directly, endorsed by staff, listed per component."""

from django.urls import reverse

from breakthrough.changes import actions
from breakthrough.changes.models import Lesson
from breakthrough.pdsa.tests.helpers import decide, plan, to_decided


def lesson(world, **extra):
    kwargs = dict(
        collaborative=world.collaborative,
        author=world.alice,
        statement="Identification holds only with an automated daily match.",
        nodes=[world.idea],
    )
    kwargs.update(extra)
    return actions.do_create_lesson(**kwargs)


def test_lesson_from_a_cycle_links_its_evidence(world):
    cycle, _ = decide(plan(world), "adopt")
    item = lesson(world, source_cycle=cycle, strength="implemented")
    assert list(item.cycles.all()) == [cycle] and list(item.teams.all()) == [world.team_a]
    assert item.status == "draft" and item.strength == "implemented"


def test_new_lesson_page_is_prefilled_from_the_cycle(world):
    cycle = to_decided(plan(world))
    url = reverse("changes:lesson-new", args=["testbsc"]) + f"?cycle={cycle.pk}"
    page = world.client("bob").get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["statement"] == cycle.learned
    assert form.initial["cycles"] == [cycle.pk] and form.initial["nodes"] == [world.idea.pk]
    response = world.client("bob").post(
        url,
        {"statement": "A backup number keeps the liaison reachable.", "detail": "", "strength": "tested",
         "nodes": [world.idea.pk], "cycles": [cycle.pk], "teams": [], "measures": []},
    )  # fmt: skip
    item = Lesson.objects.get()
    assert (
        response.status_code == 302 and item.source_cycle == cycle and item.created_by == world.bob
    )
    assert list(item.teams.all()) == [world.team_a]
    # Carol, of another team, may not write a lesson from Alder's cycle.
    assert world.client("carol").get(url).status_code == 403


def test_lesson_form_errors(world):
    response = world.client("alice").post(
        reverse("changes:lesson-new", args=["testbsc"]),
        {"statement": "Youth born on 3/4/1995 did well", "strength": "tested", "nodes": []},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Link the lesson to at least one node of the change package." in html
    assert "looks like a date of birth" in html


def test_who_sees_and_changes_lessons(world):
    draft = lesson(world, teams=[world.team_a])
    url = reverse("changes:lesson", args=["testbsc", draft.pk])
    got = {p: world.client(p).get(url).status_code for p in world.PEOPLE}
    # A draft: staff, its author and the teams it cites.
    assert got == dict(alice=200, bob=200, carol=404, fran=200, dina=200, olga=404, anon=302)
    edit = reverse("changes:lesson-edit", args=["testbsc", draft.pk])
    got = {p: world.client(p).get(edit).status_code for p in world.PEOPLE}
    assert got == dict(alice=200, bob=403, carol=404, fran=200, dina=200, olga=404, anon=302)
    endorse = reverse("changes:lesson-endorse", args=["testbsc", draft.pk])
    assert world.client("alice").post(endorse).status_code == 403
    assert world.client("fran").post(endorse, {"endorse": "1"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "endorsed" and draft.endorsed_by == world.fran
    got = {p: world.client(p).get(url).status_code for p in world.PEOPLE}
    assert got == dict(alice=200, bob=200, carol=200, fran=200, dina=200, olga=404, anon=302)
    # Once endorsed, only staff change it.
    assert world.client("alice").get(edit).status_code == 403


def test_lessons_listed_per_component(world):
    endorsed = lesson(world, endorsed_by=world.fran)
    lesson(world, statement="Draft about C1", teams=[world.team_b])
    url = reverse("changes:lessons", args=["testbsc"])
    got = {p: world.client(p).get(url).status_code for p in world.PEOPLE}
    assert got == dict(alice=200, bob=200, carol=200, fran=200, dina=200, olga=404, anon=302)
    bob = world.client("bob").get(url)
    sections = dict((c.code, items) for c, items in bob.context["sections"])
    assert sections["C1"] == [endorsed]
    carol = world.client("carol").get(url).context["sections"]
    assert len(dict((c.code, items) for c, items in carol)["C1"]) == 2
    assert world.client("alice").get(url, {"strength": "spread"}).context["total"] == 0


def test_evidence_hides_cycles_of_faculty_only_teams(world):
    cycle, _ = decide(plan(world), "adopt")
    item = lesson(world, source_cycle=cycle, endorsed_by=world.fran)
    world.team_a.data_visibility = "faculty_only"
    world.team_a.save(update_fields=["data_visibility"])
    page = world.client("carol").get(reverse("changes:lesson", args=["testbsc", item.pk]))
    assert page.context["hidden_cycles"] == 1 and list(page.context["cycles"]) == []


def test_concurrent_lesson_edits(world):
    item = lesson(world)
    url = reverse("changes:lesson-edit", args=["testbsc", item.pk])
    data = {"statement": "Mine", "detail": "", "strength": "tested", "nodes": [world.idea.pk],
            "edit_version": item.edit_version}  # fmt: skip
    assert world.client("fran").post(url, {**data, "statement": "Fran's"}).status_code == 302
    response = world.client("alice").post(url, data)
    assert (
        response.status_code == 409 and "Fran Fisher saved this lesson" in response.content.decode()
    )
