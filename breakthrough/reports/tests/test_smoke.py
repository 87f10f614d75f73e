from django.urls import reverse

from .helpers import add_advisor, score_and_reconcile, submitted_report


def test_pages_render(world):
    add_advisor(world)
    report = submitted_report(world)
    score_and_reconcile(world, report)
    c = world.client("dina")
    for name, args in [
        ("reports:home", ["testbsc"]),
        ("reports:console", ["testbsc"]),
        ("reports:scores", ["testbsc"]),
        ("reports:scale", ["testbsc"]),
        ("reports:edit-scale", ["testbsc"]),
        ("reports:settings", ["testbsc"]),
        ("reports:reminders", ["testbsc"]),
        ("reports:sessions", ["testbsc"]),
        ("reports:team", ["testbsc", "alder"]),
        ("reports:detail", ["testbsc", "alder", "2024-01"]),
        ("reports:edit", ["testbsc", "alder", "2024-02"]),
        ("reports:pdf", ["testbsc", "alder", "2024-01"]),
        ("teams:detail", ["testbsc", "alder"]),
    ]:
        r = c.get(reverse(name, args=args))
        assert r.status_code == 200, (name, r.status_code)
    ev = world.collaborative.events.get()
    assert c.get(reverse("reports:session", args=["testbsc", ev.pk])).status_code == 200
