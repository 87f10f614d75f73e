"""Drafting the next change package version: copy, edit, add, retire, publish — each node keeps
its history and its evidence through `lineage`."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from breakthrough.changes import actions
from breakthrough.changes.lineage import family_ids, resolve_to_package
from breakthrough.changes.models import ChangeNode, ChangePackage
from breakthrough.pdsa.tests.helpers import decide, plan


def test_draft_copies_every_node_with_its_lineage(world):
    draft = actions.do_draft_package(world.package, version="2.0", title="Framework v2")
    assert draft.status == "draft" and draft.based_on == world.package
    originals = {n.pk: n for n in world.package.nodes.all()}
    copies = list(draft.nodes.select_related("parent"))
    assert len(copies) == len(originals)
    for copy in copies:
        original = originals[copy.lineage_id]
        assert (copy.code, copy.title, copy.kind) == (original.code, original.title, original.kind)
        if original.parent_id:
            assert copy.parent.lineage_id == original.parent_id and copy.parent.package == draft
    with pytest.raises(ValidationError, match="already being prepared"):
        actions.do_draft_package(world.package, version="3.0")
    with pytest.raises(ValidationError, match="already exists"):
        actions.do_draft_package(world.package, version="1.0")


def test_edit_add_retire_only_in_a_draft(world):
    with pytest.raises(ValidationError, match="Only a draft"):
        actions.do_update_node(world.idea, expected_version=1, title="x")
    draft = actions.do_draft_package(world.package, version="2.0")
    idea = draft.nodes.get(lineage=world.idea)
    comp = draft.nodes.get(lineage=world.component)
    actions.do_update_node(
        idea, expected_version=idea.edit_version, title="Nightly automated match"
    )
    new = actions.do_add_node(
        draft, kind="idea", parent=comp, code="1.8", title="Quarterly pooled view"
    )
    assert new.lineage is None and new.order > idea.order
    actions.do_retire_node(comp)
    assert all(n.retired for n in draft.nodes.filter(pk__in=[comp.pk, idea.pk, new.pk]))
    actions.do_retire_node(comp, retired=False)
    comp.refresh_from_db()
    assert not comp.retired
    world.idea.refresh_from_db()
    assert world.idea.title == "Daily automated match"  # v1 untouched
    # Its history holds both titles.
    assert {h.title for h in ChangeNode.history.filter(id=idea.pk)} == {
        "Daily automated match",
        "Nightly automated match",
    }


def test_node_edit_conflict_is_reported(world):
    from breakthrough.concurrency import EditConflict

    draft = actions.do_draft_package(world.package, version="2.0")
    idea = draft.nodes.get(lineage=world.idea)
    version = idea.edit_version
    actions.do_update_node(ChangeNode.objects.get(pk=idea.pk), expected_version=version, title="A")
    with pytest.raises(EditConflict) as conflict:
        actions.do_update_node(
            ChangeNode.objects.get(pk=idea.pk), expected_version=version, title="B"
        )
    assert [c.label for c in conflict.value.changes] == ["title"]


def test_publish_supersedes_and_evidence_follows_the_node(world):
    cycle, _ = decide(plan(world), "adopt")
    draft = actions.do_draft_package(world.package, version="2.0")
    actions.do_publish_package(draft)
    world.package.refresh_from_db()
    assert world.package.status == "superseded" and draft.status == "published"
    new_idea = draft.nodes.get(lineage=world.idea)
    assert family_ids(new_idea) == {world.idea.pk, new_idea.pk}
    assert resolve_to_package(draft)[world.idea.pk] == new_idea.pk
    page = world.client("carol").get(reverse("changes:node", args=["testbsc", "2.0", new_idea.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f"/c/testbsc/pdsas/{cycle.pk}/" in html and "v1.0" in html and "v2.0" in html


def test_version_pages_access(world):
    url = reverse("changes:draft-next", args=["testbsc", "1.0"])
    got = {p: world.client(p).get(url).status_code for p in world.PEOPLE}
    assert got == dict(alice=403, bob=403, carol=403, fran=200, dina=200, olga=404, anon=302)
    response = world.client("fran").post(url, {"version": "2.0", "title": "Framework v2"})
    draft = ChangePackage.objects.get(version="2.0")
    assert response.status_code == 302 and response.url == "/c/testbsc/change-package/v2.0/"
    idea = draft.nodes.get(lineage=world.idea)
    comp = draft.nodes.get(lineage=world.component)
    pages = {
        "edit node": reverse("changes:node-edit", args=["testbsc", "2.0", idea.pk]),
        "add node": reverse("changes:node-add", args=["testbsc", "2.0"]),
    }
    for name, page in pages.items():
        got = {p: world.client(p).get(page).status_code for p in world.PEOPLE}
        # The draft is invisible to teams (404 from the package lookup is not reached: 403 first).
        assert got == dict(alice=403, bob=403, carol=403, fran=200, dina=200, olga=404, anon=302), (
            name
        )
    node_page = reverse("changes:node", args=["testbsc", "2.0", idea.pk])
    got = {p: world.client(p).get(node_page).status_code for p in world.PEOPLE}
    assert got == dict(alice=404, bob=404, carol=404, fran=200, dina=200, olga=404, anon=302)
    # Staff edit, add and retire through the pages.
    fran = world.client("fran")
    edit = fran.post(
        pages["edit node"],
        {"code": "1.1", "title": "Nightly match", "guiding_question": "", "description": "",
         "evidence_notes": "Lesson 1", "order": 1, "edit_version": idea.edit_version},
    )  # fmt: skip
    assert edit.status_code == 302
    added = fran.post(pages["add node"], {"parent": comp.pk, "code": "1.9", "title": "Pooled view"})
    assert added.status_code == 302 and draft.nodes.filter(code="1.9", kind="idea").exists()
    retire = fran.post(
        reverse("changes:node-retire", args=["testbsc", "2.0", idea.pk]), {"retire": "1"}
    )
    assert retire.status_code == 302 and ChangeNode.objects.get(pk=idea.pk).retired
    assert (
        world.client("alice").post(reverse("changes:publish", args=["testbsc", "2.0"])).status_code
        == 403
    )
    assert fran.post(reverse("changes:publish", args=["testbsc", "2.0"])).status_code == 302
    assert ChangePackage.objects.get(version="2.0").status == "published"
    # A published version can no longer be edited.
    assert fran.get(pages["edit node"]).status_code == 403


def test_stale_node_edit_shows_the_conflict(world):
    draft = actions.do_draft_package(world.package, version="2.0")
    idea = draft.nodes.get(lineage=world.idea)
    url = reverse("changes:node-edit", args=["testbsc", "2.0", idea.pk])
    data = {"code": "1.1", "title": "Mine", "guiding_question": "", "description": "",
            "evidence_notes": "", "order": 1, "edit_version": idea.edit_version}  # fmt: skip
    assert world.client("dina").post(url, {**data, "title": "Dina's"}).status_code == 302
    response = world.client("fran").post(url, data)
    assert response.status_code == 409 and "Dina Diaz saved this node" in response.content.decode()
