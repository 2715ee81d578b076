"""Editors' Markdown (annotations, claim summaries) to safe HTML.

Python-Markdown passes raw HTML and `javascript:` links through, so raw HTML is turned off
(it shows as text) and the result is sanitised with an allowlist as a second line of defence.
"""

from __future__ import annotations

import functools
import re

import markdown
import nh3
from markupsafe import Markup

MAX_MARKDOWN_CHARS = 10_000
# Python-Markdown's link and footnote patterns are quadratic in the number of "[" (2,000 take
# about a second, 10,000 half a minute), and list markers on one line nest by recursion.
MAX_BRACKETS = 256
MAX_NESTING = 16
_NESTED_MARKERS = re.compile(rf"^[ \t]*(?:(?:[-*+>]|\d{{1,9}}[.)])[ \t]+){{{MAX_NESTING + 1},}}", re.MULTILINE)

ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "br", "hr"}
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
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


def markdown_problem(text: str) -> str | None:
    """Why `text` is refused as Markdown (too costly to convert), or None when it is fine."""
    if len(text) > MAX_MARKDOWN_CHARS:
        return f"Markdown of {len(text)} characters; at most {MAX_MARKDOWN_CHARS}"
    if text.count("[") > MAX_BRACKETS:
        return f"Markdown with {text.count('[')} '[' characters; at most {MAX_BRACKETS}"
    if _NESTED_MARKERS.search(text):
        return f"Markdown nested more than {MAX_NESTING} levels deep"
    return None


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """Render an editor's Markdown to sanitised HTML (cached: the same text renders once)."""
    problem = markdown_problem(text)
    if problem:  # validation refuses these; this guards direct callers
        raise ValueError(problem)
    html = _MD.reset().convert(text)
    return Markup(_CLEANER.clean(html))
