"""Browser journey (Chromium): plan a cycle, fail the Do gate and read the message, complete it,
study it against the prediction, adapt it into cycle 2, see it in the matrix, then find it from
another team's account in the library and clone it."""

import re

import pytest
from playwright.sync_api import expect

from breakthrough.pdsa.models import PDSACycle
from conftest import log_in

pytestmark = pytest.mark.browser


def save(page):
    page.get_by_role("button", name=re.compile(r"^Save")).click()
    page.wait_for_url(re.compile(r"/pdsas/\d+/$"))


def test_plan_gate_study_adapt_matrix_library_clone(world, page):
    log_in(page, "alice")
    page.goto("/c/testbsc/teams/alder/")
    page.get_by_role("link", name=re.compile("PDSA board")).click()
    expect(page.get_by_role("heading", name="Alder County: tests of change")).to_be_visible()

    # Plan: a title, the change idea and the objective only.
    page.get_by_role("link", name="Plan a new cycle").click()
    page.get_by_label("Title").fill("Nightly match of intake lists")
    page.get_by_label("1.1 Daily automated match").check()
    page.get_by_label("Objective").fill("Can a nightly match find every crossover youth at intake?")
    save(page)
    expect(
        page.get_by_role("heading", name=re.compile("Nightly match of intake lists"))
    ).to_be_visible()

    # The Do gate says exactly what is missing.
    page.get_by_role("button", name="Move to Do").click()
    gate = page.get_by_role("alert")
    expect(gate).to_contain_text("The cycle cannot move to Do yet.")
    expect(gate).to_contain_text(
        "Add at least one question the test should answer, with a prediction."
    )
    expect(gate).to_contain_text(
        "Plan the test: add at least one task with what, who, when and where."
    )
    expect(gate).to_contain_text("Write the data-collection plan")
    expect(gate).to_contain_text("Give the scale of the test")

    # Complete the plan.
    page.get_by_role("link", name="Complete the worksheet").click()
    page.get_by_label("Question 1", exact=True).fill("Does the match find every crossover youth?")
    page.get_by_label("Prediction for question 1").fill("9 of 10 crossover youth found by morning")
    page.get_by_label("Task 1: what").fill("Run the match each night")
    page.get_by_label("Task 1: who").fill("Data contact")
    page.get_by_label("Task 1: when").fill("Week of 4 March")
    page.get_by_label("Task 1: where").fill("Research unit")
    page.get_by_label("Scale").fill("1 week of intake lists")
    page.get_by_label("Data-collection plan").fill("Count youth found and missed each morning.")
    save(page)
    page.get_by_role("button", name="Move to Do").click()
    expect(page.get_by_text("The cycle moved to Do.")).to_be_visible()

    # Do, then Study against the prediction.
    page.get_by_role("link", name="Edit the worksheet").click()
    page.get_by_label("What happened").fill("The match ran on 5 of 5 nights.")
    save(page)
    page.get_by_role("button", name="Move to Study").click()
    expect(page.get_by_text("The cycle moved to Study.")).to_be_visible()
    page.get_by_role("link", name="Edit the worksheet").click()
    page.get_by_label("Results", exact=True).fill("8 of 10 found; 2 missed on aliases.")
    page.get_by_label("Result for prediction 1").select_option("partly")
    page.get_by_label("How the results compare with prediction 1").fill("8 of 10, not 9")
    page.get_by_label("What we learned").fill("Aliases hide youth from the match.")
    save(page)
    page.get_by_role("button", name="Move to Adjust").click()
    expect(page.get_by_text("The cycle moved to Adjust.")).to_be_visible()

    # Adjust: adapt, which opens cycle 2 pre-filled.
    page.get_by_role("radio", name="Adapt").check()
    page.get_by_label("Next steps").fill("Add the alias table; run two weeks.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Cycle 2 is planned from cycle 1")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("cycle 2"))).to_be_visible()
    expect(page.get_by_text("Add the alias table; run two weeks.")).to_be_visible()
    first, second = PDSACycle.objects.order_by("cycle_no")
    assert (first.decision, second.cycle_no, second.ramp_id) == ("adapt", 2, first.ramp_id)
    assert second.questions[0]["prediction"] == "9 of 10 crossover youth found by morning"

    # The matrix shows Alder testing the idea with 2 cycles.
    page.get_by_role("link", name="Matrix").click()
    row = page.get_by_role("row", name=re.compile("1.1 ?Daily automated match"))
    expect(row.get_by_label("Alder County: Testing, 2 cycles")).to_be_visible()
    expect(row.get_by_text("—")).to_have_count(1)  # Birch County has not started it

    # Carol, of Birch County, finds it in the library and clones it.
    page.context.clear_cookies()
    log_in(page, "carol")
    page.goto("/c/testbsc/pdsas/")
    page.get_by_label("Search every test of change you may read").fill("aliases")
    page.get_by_role("button", name="Search the library").click()
    expect(page.get_by_role("link", name="Nightly match of intake lists, cycle 1")).to_be_visible()
    page.get_by_role(
        "button", name=re.compile(r"Clone into my team\W+Nightly match of intake lists, cycle 1")
    ).click()
    expect(page.get_by_text("Cloned into Birch County as cycle 1 of a new ramp.")).to_be_visible()
    expect(
        page.get_by_text("Cloned from Alder County: Nightly match of intake lists, cycle 1")
    ).to_be_visible()
    clone = PDSACycle.objects.get(team=world.team_b)
    assert clone.cloned_from == first and clone.state == "planned"


def test_autosave_keeps_a_new_plan_and_its_edits(world, page):
    log_in(page, "bob")
    page.goto("/c/testbsc/teams/alder/pdsas/new/")
    page.get_by_label("Title").fill("Evening meetings")
    status = page.locator(".autosave-status")
    expect(status).to_contain_text("Draft not saved yet", timeout=8000)
    page.get_by_label("1.1 Daily automated match").check()
    expect(status).to_contain_text("Draft saved", timeout=8000)
    cycle = PDSACycle.objects.get()
    assert cycle.title == "Evening meetings" and cycle.created_by == world.bob

    # Later drafts go to the same cycle, and saving the form does not make a second one.
    page.get_by_label("Objective").fill("Do families come in the evening?")
    expect(status).to_contain_text("Draft saved", timeout=8000)
    page.get_by_role("button", name="Save the plan").click()
    page.wait_for_url(f"**/pdsas/{cycle.pk}/")
    assert PDSACycle.objects.count() == 1
    cycle.refresh_from_db()
    assert cycle.objective == "Do families come in the evening?"
