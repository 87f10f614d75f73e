"""Safe Markdown for posts and notes: a small subset, never raw HTML or script.

Raw HTML in the source is shown as text (Python-Markdown's HTML handling is switched off), and
the HTML that Markdown produces is cleaned by nh3 (the Rust `ammonia` sanitiser) against an
allow-list, so a link can only point to http, https or mailto.
"""

from __future__ import annotations

import html as html_lib
import re
import threading
from collections.abc import Iterable

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# @username, not part of an e-mail address or a path.
MENTION_RE = re.compile(r"(?<![\w@/.:-])@([A-Za-z0-9][\w.+-]*[A-Za-z0-9]|[A-Za-z0-9])")


_local = threading.local()


def _converter() -> markdown.Markdown:
    """One converter per thread: building one loads its extensions, which costs more than
    converting a post; a converter is not safe to share between threads."""
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=["sane_lists", "fenced_code"], output_format="html")
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        _local.md = md
    return md.reset()


def render_markdown(text: str, mentions: Iterable[str] = ()) -> str:
    """Sanitised HTML for `text`; `@name` for each username in `mentions` is highlighted."""
    html = _converter().convert(text or "")
    # Headings in a post sit under the page's own headings.
    html = re.sub(r"<(/?)h[1-2]>", r"<\1h3>", html)
    html = re.sub(r"<(/?)h[5-6]>", r"<\1h4>", html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    known = {m.lower() for m in mentions}
    if not known:
        return clean

    def mark(match: re.Match[str]) -> str:
        if match.group(1).lower() in known:
            return f"<strong>{match.group(0)}</strong>"
        return match.group(0)

    # Only outside tags: split on tags and mark text parts.
    parts = re.split(r"(<[^>]+>)", clean)
    return "".join(p if p.startswith("<") else MENTION_RE.sub(mark, p) for p in parts)


def mentioned_usernames(text: str) -> list[str]:
    """Usernames written as @name in `text`, in order, without repeats."""
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(text or ""):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def plain_text(text: str, limit: int = 0) -> str:
    """The text of a post without Markdown marks, for e-mails and previews (lists keep dashes)."""
    html = render_markdown(text)
    html = html.replace("<li>", "- ")
    html = re.sub(r"</(p|h3|h4|blockquote|pre)>", "\n\n", html)
    out = html_lib.unescape(nh3.clean(html, tags=set()))
    out = "\n".join(line.strip() for line in out.splitlines())
    out = re.sub(r"\n{3,}", "\n\n", out).strip()
    if limit and len(out) > limit:
        out = out[: limit - 1].rsplit(" ", 1)[0] + "…"
    return out
