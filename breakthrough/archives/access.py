from __future__ import annotations

from django.core.exceptions import PermissionDenied

from breakthrough.collaboratives.access import Standing, get_standing_for_user


def get_export_standing_for_user(user, slug: str, *, archive: bool = False) -> Standing:
    """Evaluator tables: staff and evaluators. The whole archive (names, e-mails): managers."""
    standing = get_standing_for_user(user, slug)
    if archive and not standing.can_manage:
        raise PermissionDenied(
            "Only the collaborative's director, faculty or staff may export it all."
        )
    if not (standing.is_staff or standing.is_evaluator):
        raise PermissionDenied("Exports are for collaborative staff and evaluators.")
    return standing
