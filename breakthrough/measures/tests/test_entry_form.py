"""The data-entry form: validation that explains itself, autosave, conflicts, submit."""

import pytest
from django.core import mail
from django.urls import reverse

from breakthrough.measures.actions import ValueRow, do_upsert_measure_values
from breakthrough.measures.models import MeasureValue, Submission

S = "testbsc"
pytestmark = pytest.mark.django_db


def url(name="measures:entry", month="2024-01"):
    return reverse(name, args=[S, "alder", month])


def test_page_shows_definitions_strata_and_state(mworld):
    response = mworld.client("dana").get(url())
    html = response.content.decode()
    assert "Share of CW-involved youth identified at arrest." in html  # operational definition
    assert "Gender: Female" in html and 'name="v|M1|sex:f|numerator"' in html
    assert 'name="v|M2||value"' in html
    assert "Not started" in html
    assert 'data-autosave="/c/testbsc/teams/alder/data/2024-01/autosave/"' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"v|M1||numerator": "abc", "v|M1||denominator": "4"}, "&#x27;abc&#x27; is not a number"),
        ({"v|M1||numerator": "2.5", "v|M1||denominator": "4"}, "a whole number, not 2.5"),
        ({"v|M1||numerator": "-1", "v|M1||denominator": "4"}, "cannot be negative; got -1"),
        ({"v|M1||numerator": "5", "v|M1||denominator": "4"}, "The numerator (5) cannot exceed"),
        ({"v|M1||numerator": "5"}, "M1 is a proportion: give the denominator."),
        ({"v|M2||value": "1.5"}, "a whole number, not 1.5"),
    ],
)
def test_validation_messages_and_nothing_saved(mworld, data, message):
    response = mworld.client("dana").post(
        url(), {**data, "v|M2||value": data.get("v|M2||value", "3")}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MeasureValue.objects.exists()
    # The person's input is shown again.
    for value in data.values():
        assert f'value="{value}"' in response.content.decode()


def test_draft_saved_then_submit_sends_coach_mail(mworld):
    client = mworld.client("dana")
    data = {"v|M1||numerator": "10", "v|M1||denominator": "20", "v|M2||value": "3"}
    response = client.post(url(), data)
    assert response.status_code == 302
    assert Submission.objects.get().state == "draft"
    revs = {"r|M1|": "1", "r|M2|": "1"}
    response = client.post(url(), {**data, **revs, "submit": "1"})
    assert response.status_code == 302
    assert Submission.objects.get().state == "submitted"
    assert mail.outbox[0].to == ["cora@example.com"]
    page = client.get(url()).content.decode()
    assert "Submitted" in page and 'name="v|M1||numerator"' not in page  # read-only now


def test_submit_with_missing_total_explains(mworld):
    response = mworld.client("dana").post(
        url(), {"v|M1||numerator": "10", "v|M1||denominator": "20", "submit": "1"}
    )
    assert response.status_code == 400
    assert "enter the total for M2" in response.content.decode()
    assert Submission.objects.get().state == "draft"  # the draft was kept


def test_unusual_change_asks_for_confirmation(mworld):
    for period in mworld.periods[:4]:
        do_upsert_measure_values(
            team=mworld.team_a,
            period=period,
            rows=[ValueRow("M1", numerator=20, denominator=40), ValueRow("M2", value=4)],
            person=mworld.dana,
        )
    data = {"v|M1||numerator": "20", "v|M1||denominator": "40", "v|M2||value": "44"}
    client = mworld.client("dana")
    response = client.post(url(month="2024-05"), {**data, "submit": "1"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "M2: value 44 this month against about 4 in recent months." in html
    assert 'name="confirm_jumps"' in html
    revs = {"r|M1|": "1", "r|M2|": "1"}
    response = client.post(
        url(month="2024-05"), {**data, **revs, "submit": "1", "confirm_jumps": "1"}
    )
    assert response.status_code == 302
    assert Submission.objects.get(period=mworld.periods[4]).state == "submitted"


def test_autosave_returns_message_errors_and_new_revisions(mworld):
    client = mworld.client("dana")
    response = client.post(url("measures:entry-autosave"), {"v|M2||value": "3"})
    assert response.status_code == 200
    body = response.json()
    assert body["message"].startswith("Draft saved")
    assert body["fields"] == {"r|M2|": 1}
    response = client.post(url("measures:entry-autosave"), {"v|M2||value": "4", "r|M2|": "1"})
    assert response.json()["fields"] == {"r|M2|": 2}
    response = client.post(url("measures:entry-autosave"), {"v|M2||value": "x", "r|M2|": "2"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "f-M2-total-value": ["'x' is not a number; type digits only (e.g. 12)."]
    }
    assert MeasureValue.objects.get().value == 4
    assert Submission.objects.get().state == "draft"


def test_concurrent_edit_is_detected_not_overwritten(mworld):
    dana, alice = mworld.client("dana"), mworld.client("alice")
    dana.post(url("measures:entry-autosave"), {"v|M2||value": "3"})
    # Alice loaded revision 1 and saves 5; Dana, still on revision 1, saves 6.
    assert alice.post(url(), {"v|M2||value": "5", "r|M2|": "1"}).status_code == 302
    response = dana.post(url(), {"v|M2||value": "6", "r|M2|": "1"})
    assert response.status_code == 409
    assert "someone else changed M2 (now 5, by Alice Adams) meanwhile" in response.content.decode()
    assert MeasureValue.objects.get().value == 5
    response = dana.post(url("measures:entry-autosave"), {"v|M2||value": "6", "r|M2|": "1"})
    assert response.status_code == 409


def test_submitted_month_refuses_posts(mworld):
    client = mworld.client("dana")
    data = {"v|M1||numerator": "10", "v|M1||denominator": "20", "v|M2||value": "3"}
    client.post(url(), {**data, "submit": "1"})
    assert Submission.objects.get().state == "submitted"
    response = client.post(url(), {**data, "v|M2||value": "9"})
    assert response.status_code == 302
    assert MeasureValue.objects.get(measure=mworld.count).value == 3
    response = client.post(url("measures:entry-autosave"), {"v|M2||value": "9"})
    assert response.status_code == 409


def test_reopen_through_page_records_reason_and_mails(mworld):
    mworld.client("dana").post(
        url(),
        {"v|M1||numerator": "10", "v|M1||denominator": "20", "v|M2||value": "3", "submit": "1"},
    )
    client = mworld.client("alice")
    assert client.post(url("measures:entry-reopen"), {"reason": ""}).status_code == 302
    assert Submission.objects.get().state == "submitted"  # no reason: refused
    client.post(url("measures:entry-reopen"), {"reason": "Wrong M2"})
    s = Submission.objects.get()
    assert (s.state, s.reopen_reason, s.reopened_by) == ("reopened", "Wrong M2", mworld.alice)
    assert "reopened" in mail.outbox[-1].subject
    page = client.get(url()).content.decode()
    assert "Wrong M2" in page and "History" in page


def test_index_lists_every_period_with_state(mworld):
    mworld.client("alice").post(url("measures:entry-skip", "2024-02"), {"reason": "On leave"})
    html = (
        mworld.client("alice")
        .get(reverse("measures:entry-index", args=[S, "alder"]))
        .content.decode()
    )
    for p in mworld.periods:
        assert p.label in html
    assert "Skipped" in html and "On leave" in html


def test_reports_grid_reads_submission_states(mworld):
    from breakthrough.reports.evidence import measure_submissions

    mworld.client("alice").post(url("measures:entry-skip", "2024-02"), {"reason": "On leave"})
    states = measure_submissions([mworld.team_a.pk], [p.pk for p in mworld.periods])
    assert states == {(mworld.team_a.pk, mworld.periods[1].pk): "skipped"}


def test_an_emptied_value_is_removed_and_kept_in_history(mworld):
    client = mworld.client("dana")
    client.post(url("measures:entry-autosave"), {"v|M2||value": "3"})
    value = MeasureValue.objects.get()
    response = client.post(url("measures:entry-autosave"), {"v|M2||value": "", "r|M2|": "1"})
    assert response.status_code == 200
    assert response.json()["message"].startswith("Draft saved")
    assert not MeasureValue.objects.exists()
    last = MeasureValue.history.filter(id=value.pk).latest("history_date")
    assert (last.history_type, last.history_user) == ("-", mworld.dana)
    # A line that was not on the page sent is left alone; so is an unseen change.
    client.post(url("measures:entry-autosave"), {"v|M2||value": "4"})
    client.post(url("measures:entry-autosave"), {"v|M1||numerator": "1", "v|M1||denominator": "2"})
    assert MeasureValue.objects.filter(measure__code="M2").exists()
    mworld.client("alice").post(url(), {"v|M2||value": "5", "r|M2|": "1"})
    response = client.post(url("measures:entry-autosave"), {"v|M2||value": "", "r|M2|": "1"})
    assert response.status_code == 409
    assert MeasureValue.objects.get(measure__code="M2").value == 5
