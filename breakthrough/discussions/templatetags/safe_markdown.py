from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from breakthrough.discussions.markup import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render a safe subset of Markdown (sanitised; raw HTML shows as text)."""
    return mark_safe(render_markdown(text))  # nh3 sanitised it


@register.simple_tag
def event_threads(event):
    """The discussion threads about an event, newest first (for the event's page)."""
    from breakthrough.discussions.models import Thread

    return list(Thread.objects.filter(event=event).order_by("-last_post_at")[:10])
