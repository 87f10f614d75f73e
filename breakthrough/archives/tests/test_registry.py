"""Every model of the platform is archived, shared or excluded with a reason."""

from breakthrough.archives.registry import EXCLUDED, SHARED, owned_models, platform_models


def test_every_model_is_covered_by_the_archive():
    owned = {m._meta.label_lower for m, _ in owned_models()}
    missing = [
        m._meta.label_lower
        for m in platform_models()
        if m._meta.label_lower not in owned | set(SHARED) | set(EXCLUDED)
    ]
    assert not missing, (
        f"{missing} are not in collaborative archives. Register them for history with "
        "track(Model, '<path to collaborative id>') in the app's AppConfig.ready() (which also "
        "archives them), or add them to SHARED or EXCLUDED in breakthrough/archives/registry.py."
    )


def test_owned_models_come_after_the_models_they_point_to():
    order = [m._meta.label_lower for m, _ in owned_models()]
    assert order.index("collaboratives.collaborative") < order.index("teams.team")
    assert order.index("teams.team") < order.index("measures.measurevalue")
    assert order.index("changes.changepackage") < order.index("changes.changenode")
