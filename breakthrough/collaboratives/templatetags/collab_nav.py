from __future__ import annotations

from django import template

from breakthrough.collaboratives.nav import navigation

register = template.Library()


@register.inclusion_tag("components/_collab_nav.html", takes_context=True)
def collab_nav(context) -> dict:
    """The collaborative's sections and the current section's pages."""
    standing = context["standing"]
    match = context["request"].resolver_match
    view = f"{match.namespace}:{match.url_name}" if match else ""
    sections = navigation(standing, view)
    current = next((pages for section, pages in sections if section.current), [])
    return {"collaborative": standing.collaborative, "sections": sections, "pages": current}
