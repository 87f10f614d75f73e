import cProfile, pstats, pytest
from django.urls import reverse
from measures_charts_bench import bench_world  # noqa


@pytest.mark.django_db
def test_prof(bench_world):
    c, _team, m, client = bench_world
    url = reverse("measures:dashboard", args=[c.slug, m.code])
    client.get(url)
    pr = cProfile.Profile()
    pr.enable()
    client.get(url)
    pr.disable()
    pstats.Stats(pr).sort_stats("cumulative").print_stats(45)
