"""Records in, page HTML out, through Jinja templates a site can override.

Pages are produced as HTML directly from templates (not as Markdown for MkDocs to convert):
record text never passes through a Markdown or Jinja parser, only through autoescaping.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import charts, structured
from .index import Index
from .markup import render_markdown
from .model import STANCES, Actor, Claim, ClaimLink, Statement
from .validate import today

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
STANCE_HEADINGS = {"supports": "Supported by", "disputes": "Disputed by", "neutral": "Neutral on it"}
STANCE_LABELS = {"supports": "supports", "disputes": "disputes", "neutral": "neutral", "none": "bears on no claim"}
HOME_MARKERS = ("<!-- chronicle:timeline -->", "<!-- chronicle:latest-days -->", "<!-- chronicle:claims -->")


def human_date(day: dt.date) -> str:
    """16 February 2022 (spelled out here, not by strftime, which follows the locale)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def human_time(moment: dt.datetime) -> str:
    """14:30 UTC+03:00."""
    offset = moment.strftime("%z")
    zone = "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{moment:%H:%M} {zone}"


@dataclass(frozen=True)
class Heading:
    """A table-of-contents entry of a generated page; `title` is plain text."""

    id: str
    title: str
    level: int = 2


@dataclass(frozen=True)
class PagePlan:
    """One page to generate: where it goes, what it is called, what it shows."""

    src_uri: str  # as if it were a Markdown file in docs_dir: "days/2022-02-16.md"
    title: str  # plain text; escaped wherever it is printed
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # The table of contents, worked out only for a page being written (a serve rebuild plans
    # every page and writes a few).
    toc: Callable[[], tuple[Heading, ...]] = tuple
    record_path: str | None = None  # the record file a reader would edit

    @property
    def headings(self) -> tuple[Heading, ...]:
        return self.toc()


def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """The URL (relative to the site root) MkDocs gives a Markdown file at `src_uri`."""
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")] if use_directory_urls else stem + ".html"
    return stem + "/" if use_directory_urls else stem + ".html"


def relative_url(target: str, base: str) -> str:
    """`target` as a link from the page at `base` (both relative to the site root)."""
    target_path, _, fragment = target.partition("#")
    base_dir = base.rsplit("/", 1)[0] if "/" in base else ""
    if target_path == base:
        return "#" + fragment if fragment else "./"
    rel = posixpath.relpath(target_path or ".", base_dir or ".")
    if target_path.endswith("/") or not target_path:
        rel = "./" if rel == "." else rel + "/"
    return rel + ("#" + fragment if fragment else "")


def day_uri(day: dt.date) -> str:
    return f"days/{day.isoformat()}.md"


SRC_URIS: dict[str, Callable[[Any], str]] = {
    "home": lambda _: "index.md",
    "days": lambda _: "days/index.md",
    "actors": lambda _: "actors/index.md",
    "claims": lambda _: "claims/index.md",
    "sources": lambda _: "sources/index.md",
    "search": lambda _: "search.md",
    "day": day_uri,
    "actor": lambda key: f"actors/{key}.md",
    "claim": lambda key: f"claims/{key}.md",
    "source": lambda key: f"sources/{key}.md",
}


CardKey = tuple[str, int, str]  # statement id, heading level, link prefix ("../../")


class Renderer:
    """Plans and renders the chronicle's pages.

    Args:
        index: The indexed chronicle.
        use_directory_urls: As in mkdocs.yml; decides every link's form.
        override_dirs: Folders searched before the package for `chronicle/*.html` templates.
        edit_url: Gives the address where a record file (by its path) is edited, if there is one.
        site_url: The published address, for permalinks, citations and structured data.
        site_name: The site's name, as the publisher of its verdicts.
        build_date: The date citations give as accessed (default: `validate.today()`).
        cards: Statement cards already rendered with these same settings, to reuse.
        bytecode_cache: Where compiled templates are kept between `mkdocs serve` rebuilds.
    """

    def __init__(
        self,
        index: Index,
        *,
        use_directory_urls: bool = True,
        override_dirs: Iterable[Path] = (),
        edit_url: Callable[[str], str | None] | None = None,
        site_url: str | None = None,
        site_name: str = "Crisis Chronicle",
        build_date: dt.date | None = None,
        cards: dict[CardKey, Markup] | None = None,
        bytecode_cache: jinja2.BytecodeCache | None = None,
    ) -> None:
        self.index = index
        self.use_directory_urls = use_directory_urls
        self.site_url = site_url
        self._base = site_url if site_url and site_url.endswith("/") else (site_url or "") + "/"
        # Rendered statement cards. `mkdocs serve` passes the previous build's, less those an
        # edit touched (see incremental.py), so a rebuild renders only the cards that changed.
        self.cards = {} if cards is None else cards
        self._card_macros: dict[str, Callable[..., str]] = {}
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in override_dirs]
        loaders.append(jinja2.PackageLoader("mkdocs_chronicle", "templates"))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=bytecode_cache,
        )
        self.env.filters.update(markdown=render_markdown, human_date=human_date, human_time=human_time)
        self.env.tests["contains_link"] = lambda links, claim, stance: ClaimLink(claim, stance) in links
        self.env.globals.update(
            ix=index,
            chronicle=index.chronicle,
            STANCES=STANCES,
            STANCE_HEADINGS=STANCE_HEADINGS,
            STANCE_LABELS=STANCE_LABELS,
            CHART_STANCES=(*STANCES, "none"),
            day_chart=lambda: charts.day_chart(index),
            build_date=build_date or today(),
            permalink=lambda statement_id: self.absolute("statement", statement_id),
            day_json_ld=lambda statements: structured.script(structured.day_graph(index, statements, self.absolute)),
            actor_json_ld=lambda actor: structured.script(structured.actor_graph(actor, self.absolute)),
            claim_json_ld=lambda claim: structured.script(
                structured.claim_graph(index, claim, self.absolute, site_name)
            ),
            edit_url=edit_url or (lambda _path: None),
        )

    def url(self, kind: str, key: Any = None) -> str:
        """Site-relative URL of a page, or of a statement's anchor on its day page."""
        if kind == "statement":
            statement = self.index.statements[key]
            return self.url("day", statement.day) + "#" + statement.id
        return page_url(SRC_URIS[kind](key), self.use_directory_urls)

    def absolute(self, kind: str, key: Any = None) -> str:
        """A page's (or statement's) full address when the site's is known, else from the root."""
        # Joined, not urljoin()ed: the base ends with "/" and the URL is relative and clean, and
        # urljoin (a permalink per card, JSON-LD per statement) was a fifth of rendering.
        return self._base + self.url(kind, key)

    def plans(self) -> list[PagePlan]:
        """Every generated page, in a stable order."""
        ix, chronicle = self.index, self.index.chronicle
        plans = [
            PagePlan("days/index.md", "Days", "chronicle/days.html"),
            PagePlan("actors/index.md", "Actors", "chronicle/actors.html"),
            PagePlan("claims/index.md", "Claims", "chronicle/claims.html"),
            PagePlan("sources/index.md", "Sources", "chronicle/sources.html"),
            PagePlan("search.md", "Search", "chronicle/search.html", {"records": False}),  # shows none
        ]
        for day, statements in ix.by_day.items():
            previous, following = ix.neighbours(day)
            plans.append(
                PagePlan(
                    day_uri(day),
                    human_date(day),
                    "chronicle/day.html",
                    {"day": day, "statements": statements, "previous": previous, "next": following},
                    functools.partial(_statement_headings, chronicle.actors, statements),
                    record_path=None,  # many records: each statement carries its own edit link
                )
            )
        for actor in chronicle.actors.values():
            statements = ix.by_actor.get(actor.id, ())
            plans.append(
                PagePlan(
                    f"actors/{actor.id}.md",
                    actor.name,
                    "chronicle/actor.html",
                    {"actor": actor, "statements": statements},
                    functools.partial(_headings_by_day, statements),
                    actor.path,
                )
            )
        for claim in chronicle.claims.values():
            plans.append(
                PagePlan(
                    f"claims/{claim.id}.md",
                    claim.title,
                    "chronicle/claim.html",
                    {"claim": claim},
                    functools.partial(_claim_headings, ix, claim),
                    claim.path,
                )
            )
        for source in chronicle.sources.values():
            plans.append(
                PagePlan(
                    f"sources/{source.id}.md",
                    source.title,
                    "chronicle/source.html",
                    {"source": source, "statements": ix.by_source.get(source.id, ())},
                    record_path=source.path,
                )
            )
        return plans

    def render(self, plan: PagePlan) -> str:
        """The HTML body of a planned page."""
        context = plan.context
        # Worked out here, not in plans(): only a page being written needs them.
        if "claim" in context:
            context = {**context, "chart": charts.claim_chart(self.index, context["claim"].id)}
        if "actor" in context:
            context = {**context, "stances": self.index.stances(context["actor"].id)}
        return self._render(plan.template, plan.src_uri, title=plan.title, **context)

    def render_home(self, html: str, src_uri: str = "index.md", cache: dict[str, str] | None = None) -> str:
        """Fill the home page's markers (`<!-- chronicle:latest-days -->` …) with generated lists,
        taken from `cache` (by marker) when there, and put there."""
        cache = {} if cache is None else cache
        for marker in HOME_MARKERS:
            if marker in html:
                if marker not in cache:
                    name = marker.removeprefix("<!-- chronicle:").removesuffix(" -->").replace("-", "_")
                    cache[marker] = self._render(f"chronicle/home_{name}.html", src_uri)
                html = html.replace(marker, cache[marker])
        return html

    def _render(self, template: str, src_uri: str, **context: Any) -> str:
        here = page_url(src_uri, self.use_directory_urls)
        # Links go up to the site's root and down to their target ("../../actors/x/"), the
        # same from every page of one depth: so a statement's card, shown on four or more
        # pages, is rendered once per depth. A link to the page itself still resolves there.
        prefix = "../" * here.count("/")

        def href(kind: str, key: Any = None) -> str:
            return prefix + self.url(kind, key)

        def card(statement: Statement, level: int = 2) -> Markup:
            key = (statement.id, level, prefix)
            html = self.cards.get(key)
            if html is None:
                if prefix not in self._card_macros:
                    module = self.env.get_template("chronicle/_macros.html").make_module({"href": href})
                    self._card_macros[prefix] = module.statement_card  # type: ignore[attr-defined]
                html = self.cards[key] = Markup(self._card_macros[prefix](statement, level))
            return html

        return self.env.get_template(template).render(href=href, card=card, root=prefix or "./", **context)


def _toc_label(name: str, text: str, width: int = 48) -> str:
    words = text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + "…"
    return f"{name}: {words}"


def _statement_headings(actors: dict[str, Actor], statements: Iterable[Statement]) -> tuple[Heading, ...]:
    return tuple(Heading(s.id, _toc_label(actors[s.actor].name, s.text)) for s in statements)


def _claim_headings(ix: Index, claim: Claim) -> tuple[Heading, ...]:
    headings = [Heading("verdicts", "Verdicts")] if claim.verdicts else []
    return (*headings, *(Heading(s, STANCE_HEADINGS[s]) for s in STANCES if ix.mentions(claim.id, s)))


def _headings_by_day(statements: Iterable[Statement]) -> tuple[Heading, ...]:
    days = dict.fromkeys(s.day for s in statements)
    return tuple(Heading(f"day-{d.isoformat()}", human_date(d)) for d in days)


def escape_title(title: str) -> Markup:
    """A plain-text title made safe for themes that print titles without escaping."""
    return Markup.escape(title)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, for `mkdocs serve`: each rebuild makes new Jinja
    environments (MkDocs the theme's, the plugin its own), which compiled every template again.
    Jinja keys each entry by the template's source, so an edited template is compiled anew."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()
