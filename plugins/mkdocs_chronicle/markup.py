"""Editors' Markdown (annotations, claim summaries) to safe HTML.

Python-Markdown passes raw HTML and `javascript:` links through, so raw HTML is turned off
(it shows as text) and the result is sanitised with an allowlist as a second line of defence.
"""

from __future__ import annotations

import functools

import markdown
import nh3
from markupsafe import Markup

MAX_MARKDOWN_CHARS = 10_000

_TAGS = {"p", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "br", "hr"}
_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href", "title"}},
    url_schemes={"http", "https", "mailto"},
    url_relative="deny",
    link_rel="nofollow noopener noreferrer ugc",
    strip_comments=True,
)


def _markdown() -> markdown.Markdown:
    # A fixed list of extensions: none of them reads files or runs code.
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


_MD = _markdown()


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """Render an editor's Markdown to sanitised HTML (cached: the same text renders once)."""
    if len(text) > MAX_MARKDOWN_CHARS:  # validation refuses these; this guards direct callers
        raise ValueError(f"Markdown longer than {MAX_MARKDOWN_CHARS} characters")
    html = _MD.reset().convert(text)
    return Markup(_CLEANER.clean(html))  # noqa: S704 - sanitised just above
