"""The MkDocs adapter: wires MkDocs events to the core. Nothing else lives here."""

from __future__ import annotations

import functools
import gc
import itertools
import logging
import os
import posixpath
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from .export import DATA_PATHS, open_data
from .feeds import FeedWriter, feed_plans
from .incremental import INDEX, Dependencies, Tokens, changed_tokens, touched
from .index import Index, build_index
from .load import ReadCache, walk
from .pagefind_index import SearchIndexer, SearchIndexError
from .problems import format_problems
from .render import CardKey, MemoryBytecodeCache, PagePlan, Renderer, escape_title, page_url, relative_url
from .search import page_document, search_documents
from .validate import revalidate, today, validate_folder
from .watch import RecordsWatcher

log = get_plugin_logger(__name__)
DATA_TOKENS = INDEX | {"data"}  # the data files hold every record and every field
TEMPLATES = Path(__file__).parent / "templates"
STATIC_FILTER = "Files.add_files_from_theme.<locals>.filter"  # MkDocs' choice of a theme's static files


class _GeneratedFile(File):
    """A generated page or download: `mkdocs serve --dirty` writes it again only when an edit
    touched a record it shows (MkDocs' own test compares file times, and these have no file)."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


@dataclass
class _Previous:
    """What the last successful build of this `mkdocs serve` was made from."""

    fingerprint: tuple[Any, ...]
    index: Index
    dependencies: Dependencies
    # Each generated page (by src_uri) and file (by path): what it showed, and its File, kept
    # to be reused where an edit did not touch it.
    outputs: dict[str, tuple[Tokens, _GeneratedFile]]


def _generated(
    config: MkDocsConfig, src_uri: str, content: str | bytes, inclusion: InclusionLevel = InclusionLevel.UNDEFINED
) -> _GeneratedFile:
    file = _GeneratedFile.generated(config, src_uri, content=content, inclusion=inclusion)
    assert isinstance(file, _GeneratedFile)
    return file


def _no_markdown(page: Page, config: MkDocsConfig, files: Files) -> None:
    page.content = ""  # the body comes from on_page_context
    page.present_anchor_ids = set()
    page.links_to_anchors = {}


def _always_modified() -> bool:
    return True


class _DirtyWarningFilter(logging.Filter):
    # MkDocs warns that a dirty build "will likely lead to inaccurate navigation"; for this
    # plugin's pages it does not (every page is rebuilt when anything but a record changes).
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


DIRTY_WARNING_FILTER = _DirtyWarningFilter()  # one object: adding it again is a no-op


class ChronicleConfig(Config):  # type: ignore[no-untyped-call]
    records_dir = opt.Type(str, default="chronicle")
    # Repository files published as pages ({"contributing.md": "CONTRIBUTING.md"}), so that
    # GitHub and the site show one text.
    repository_pages = opt.Type(dict, default={})


class ChroniclePlugin(BasePlugin[ChronicleConfig]):  # type: ignore[no-untyped-call]
    """Reads the records, fails the build on any problem, and adds the chronicle's pages."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this plugin between `mkdocs serve` rebuilds, and with it
        # the records already read (an edit re-reads only the changed files), the statement
        # cards already rendered, and, with --dirty, what each page was made from.
        self.read_cache = ReadCache()
        self.card_cache: dict[CardKey, Any] = {}
        self.data_cache: dict[str, dict[str, str]] = {}  # each statement's open-data text (export.py)
        self.search_cache: dict[str, str] = {}  # each statement's section of its day's search document
        self.indexer: SearchIndexer | None = None  # writing the search bundle (pagefind_index.py)
        self.watcher: RecordsWatcher | None = None  # telling `mkdocs serve` of edits (watch.py)
        self.data_writer: threading.Thread | None = None  # a serve rebuild's downloads, written after it
        self.theme_listing: tuple[Any, list[str]] | None = None  # the theme's files, by fingerprint
        self.theme_statics: tuple[Any, list[str]] | None = None  # those MkDocs copies (_list_theme_once)
        self.bytecode_cache = MemoryBytecodeCache()
        self.previous: _Previous | None = None
        self.home_cache: dict[str, str] = {}  # the home page's lists
        self.serving = command == "serve"
        self.incremental = self.serving and dirty
        if self.incremental:
            logging.getLogger("mkdocs.commands.build").addFilter(DIRTY_WARNING_FILTER)

    def on_config(self, config: MkDocsConfig) -> None:
        # What is in memory now (and what is made until on_files) lives until the build ends:
        # keep Python's collector from scanning it again and again (at 20,000 statements that
        # took a tenth of the build). on_post_build hands it back.
        gc.freeze()
        if self.indexer is not None:  # a serve rebuild's bundle, outdated by this edit
            self.indexer.cancel()
            self.indexer = None
        if self.data_writer is not None:  # (it fills the caches this build changes)
            self.data_writer.join()
            self.data_writer = None
        if "material/search" in config.plugins:
            log.warning(
                "Material's search plugin is not needed: the chronicle brings its own search "
                "(Pagefind, in pagefind/). Remove `- search` from `plugins` in mkdocs.yml."
            )
        root = self.root = Path(config.config_file_path or ".").resolve().parent
        self.records_dir = root / self.config.records_dir
        # MkDocs would follow a link in docs_dir (or the theme's custom_dir) and publish its
        # target, /etc/passwd included: refuse them before MkDocs lists the files.
        link_problems = [
            problem
            for folder in filter(None, [config.docs_dir, config.theme.custom_dir])
            for problem in walk(Path(folder), posixpath.relpath(folder, root))[1]
        ]
        # Under `mkdocs serve`, with the files an edit wrote known (watch.py), only they are checked.
        edited = self.watcher.take() if self.watcher is not None else None
        result = revalidate(edited, self.read_cache) if edited is not None and self.previous is not None else None
        if result is None:
            # The cache is for the next rebuild: a one-off build would keep every record's text
            # and checks alive in it until the build ends (tens of MB at 20,000 statements).
            cache = self.read_cache if self.serving else None
            result = validate_folder(self.records_dir, self.config.records_dir, cache)
        if result.chronicle is None or link_problems:
            problems = link_problems + result.problems
            raise PluginError("Refusing to build the chronicle:\n" + format_problems(problems))
        if result.problems:  # warnings only (errors were raised above): for reviewers, not builds
            log.info(f"{len(result.problems)} warning(s) in the records; `chronicle validate` lists them")
            for problem in result.problems:
                log.debug(str(problem))
        docs_dir = Path(config.docs_dir).resolve()
        self.docs_to_root = posixpath.relpath(root.as_posix(), docs_dir.as_posix())
        edit_base = urljoin((config.repo_url or "").rstrip("/") + "/", config.edit_uri) if config.edit_uri else None
        custom_dir = config.theme.custom_dir
        index = build_index(result.chronicle, self.previous.index if self.previous is not None else None)
        self.fingerprint = _fingerprint(config)
        if self.incremental:
            self._list_theme_once(config)
        self.changed = self._changed_since_previous(index)
        self.renderer = Renderer(
            index,
            use_directory_urls=config.use_directory_urls,
            override_dirs=[Path(custom_dir)] if custom_dir else [],
            edit_url=(lambda path: urljoin(edit_base, self._from_docs(path))) if edit_base else None,
            site_url=config.site_url,
            site_name=config.site_name,
            cards=self.card_cache,
            bytecode_cache=self.bytecode_cache,
        )
        self.plans: dict[str, PagePlan] = {}
        self.outputs: dict[str, tuple[Tokens, _GeneratedFile]] = {}

    def _clear_caches(self) -> None:
        for cache in (self.card_cache, self.data_cache, self.search_cache, self.home_cache):
            cache.clear()

    def _changed_since_previous(self, index: Index) -> set[str] | None:
        """The records an edit changed since the last build of this `mkdocs serve`, with the
        cards and texts that show them dropped from the caches; None when everything must be
        rebuilt (the first build, or a change to anything but the records)."""
        previous = self.previous
        if previous is None or previous.fingerprint != self.fingerprint:
            self.dependencies = Dependencies(index)
            self._clear_caches()  # (the previous build's outputs stay known: on_post_build removes those that went)
            return None
        changed = changed_tokens(previous.index.chronicle, index.chronicle)
        self.dependencies = Dependencies(index, previous.dependencies, changed)
        stale = {i for i, tokens in self.dependencies.cards.items() if not changed.isdisjoint(tokens)}
        stale.update(i for i, tokens in previous.dependencies.cards.items() if not changed.isdisjoint(tokens))
        for key in [key for key in self.card_cache if key[0] in stale]:
            del self.card_cache[key]
        by_statement: list[dict[str, Any]] = [*self.data_cache.values(), self.search_cache]
        for texts in by_statement:
            for statement_id in stale.intersection(texts):
                del texts[statement_id]
        if "index" in changed:
            self.home_cache.clear()
        return changed

    def _list_theme_once(self, config: MkDocsConfig) -> None:
        """MkDocs lists every file of the theme at each build (Material's 10,000 icons among
        them, a seventh of a second), then matches each name against a dozen patterns to find
        the static files to copy (a quarter of a second more): under `mkdocs serve` both lists
        are kept while nothing but the records changes (the fingerprint covers the site's
        overrides)."""
        get_env = config.theme.get_env

        def get_env_listed_once() -> jinja2.Environment:
            env = get_env()
            assert env.loader is not None
            if self.theme_listing is None or self.theme_listing[0] != self.fingerprint:
                self.theme_listing = (self.fingerprint, env.loader.list_templates())
                self.theme_statics = None
            names = self.theme_listing[1]
            env.loader.list_templates = lambda: names  # type: ignore[method-assign]
            list_templates = env.list_templates

            def list_templates_once(extensions: Any = None, filter_func: Any = None) -> list[str]:
                # MkDocs' filter (Files.add_files_from_theme) depends on the names and the
                # theme's static templates only; any other listing is done as asked.
                if extensions is not None or getattr(filter_func, "__qualname__", "") != STATIC_FILTER:
                    return list_templates(extensions, filter_func)
                key = tuple(config.theme.static_templates)
                if self.theme_statics is None or self.theme_statics[0] != key:
                    self.theme_statics = (key, list_templates(filter_func=filter_func))
                return list(self.theme_statics[1])

            env.list_templates = list_templates_once  # type: ignore[method-assign]
            return env

        config.theme.get_env = get_env_listed_once  # type: ignore[method-assign]

    def _rebuilding(self) -> bool:
        """Whether this is a `mkdocs serve --dirty` rebuild after an edit to the records."""
        return self.incremental and self.previous is not None

    def _modified(self, key: str, tokens: Tokens) -> bool:
        """Whether a generated page or file must be written in this build (always, unless this
        is a `mkdocs serve --dirty` rebuild and no record it shows has changed)."""
        if not self.incremental or self.changed is None or self.previous is None:
            return True
        before = self.previous.outputs.get(key)
        return before is None or touched(before[0], tokens, self.changed)

    def _add(self, files: Files, key: str, tokens: Tokens, make: Callable[[], _GeneratedFile]) -> _GeneratedFile:
        """Add a generated page or file; `make` makes its File when it must be written, or
        the first time. An unchanged detail page or download keeps the previous build's File
        (and Page): MkDocs skips it, and making 6,800 of them took a second at 20,000."""
        modified = self._modified(key, tokens)
        before = None if modified or self.previous is None else self.previous.outputs.get(key)
        # A page in the navigation is made afresh: its Page gets this build's nav links.
        reuse = before is not None and before[1].inclusion is not InclusionLevel.INCLUDED
        file = before[1] if reuse and before is not None else make()
        file.modified = modified
        self.outputs[key] = (tokens, file)
        files.append(file)
        return file

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        site_dir = Path(os.path.normpath(config.site_dir))

        def page_file(plan: PagePlan) -> _GeneratedFile:
            # Detail pages are reached from the index pages, not the navigation: say so, quietly.
            in_nav = plan.src_uri.endswith("index.md")
            file = _generated(
                config, plan.src_uri, "", InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
            )
            # Point "edit this page" at the record, not at the generated file (which has none).
            file.edit_uri = self._from_docs(plan.record_path) if plan.record_path else None
            if not Path(os.path.normpath(file.abs_dest_path)).is_relative_to(site_dir):  # ids are checked; be sure
                raise PluginError(f"refusing to write {file.abs_dest_path}: outside the site folder")
            return file

        existing = {file.src_uri for file in files}
        for plan in self.renderer.plans():
            if plan.src_uri in existing:
                raise PluginError(f"{config.docs_dir}/{plan.src_uri} clashes with a generated page; rename it")
            tokens = self.dependencies.of_page(plan.src_uri, plan.context)
            self._add(files, plan.src_uri, tokens, functools.partial(page_file, plan))
            self.plans[plan.src_uri] = plan
        # The record schemas, for editors: `# yaml-language-server: $schema=…` may point here.
        for schema in sorted((Path(__file__).parent / "schemas").glob("*.json")):
            files.append(File.generated(config, f"schemas/{schema.name}", abs_src_path=str(schema)))
        # Feeds and open data, made in memory like the pages (so `mkdocs serve` serves them too),
        # and only when they are written: a rebuild skips those the edit did not touch.
        index, build_date = self.renderer.index, today()
        writer = FeedWriter(
            index,
            site_url=config.site_url or "http://127.0.0.1:8000/",
            use_directory_urls=config.use_directory_urls,
            build_date=build_date,
        )
        self.feeds = set()
        for feed in feed_plans(index):
            tokens = self.dependencies.of_feed(feed.path, feed.statements, feed.owner)
            file = self._add(files, feed.path, tokens, functools.partial(_generated, config, feed.path, b""))
            if file.modified:
                file.content_bytes = writer.write(feed)
            self.feeds.add(feed.path)
        make_data = functools.partial(
            open_data, index, build_date=build_date, use_directory_urls=config.use_directory_urls, cache=self.data_cache
        )
        self.data_later = None
        if not self._modified(DATA_PATHS[0], DATA_TOKENS):
            downloads = dict.fromkeys(DATA_PATHS, b"")
        elif self._rebuilding():
            # The downloads hold every record (a third of a second at 20,000 statements): a serve
            # rebuild writes them just after the page is served (on_post_build).
            downloads = dict.fromkeys(DATA_PATHS, b"")
            self.data_later = make_data
        else:
            downloads = make_data()
        for path, content in sorted(downloads.items()):
            file = self._add(files, path, DATA_TOKENS, functools.partial(_generated, config, path, content))
            if self.data_later is not None:
                file.modified = False
        for src_uri, repository_file in sorted(self.config.repository_pages.items()):
            page = File.generated(config, src_uri, abs_src_path=str(self.root / repository_file))
            page.edit_uri = self._from_docs(repository_file)
            files.append(page)
        if self.incremental:
            # MkDocs' --dirty rebuilds a page only when its Markdown is newer than its HTML. But
            # every page shows the navigation and the search index needs each: they are few.
            for page in files.documentation_pages():
                if not isinstance(page, _GeneratedFile):
                    page.is_modified = _always_modified  # type: ignore[method-assign]
            written = sum(1 for f in files if isinstance(f, _GeneratedFile) and f.modified)
            log.info(f"Writing {written} of {len(self.outputs)} generated pages and files (the others did not change)")
            if (
                self.changed is not None
                and self.previous is not None
                and self.outputs.keys() == self.previous.outputs.keys()
            ):
                # The same pages as before: the sitemap (6,800 URLs, a third of a second at
                # 20,000 statements) is the one already written.
                config.theme.static_templates.discard("sitemap.xml")
        gc.freeze()  # the records, index, plans and files: see on_config
        return files

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        env.bytecode_cache = self.bytecode_cache  # the theme's templates, compiled once per `mkdocs serve`
        # Every page's Markdown is converted by now, and no page is written yet: Pagefind indexes
        # while MkDocs writes the pages (or, in a serve rebuild, once they are written).
        content_pages = [
            (file.url, page_document(file.page.title or "", file.page.content or ""))
            for file in files.documentation_pages()
            if file.page is not None
            and file.src_uri not in self.plans
            and not (file.page.meta.get("search") or {}).get("exclude")
        ]
        documents = search_documents(self.renderer.index, self.renderer.url, self.search_cache)
        language = config.theme.get("language") or "en"
        output = Path(config.site_dir) / "pagefind"
        pages = itertools.chain(content_pages, documents)
        self.start_search = functools.partial(SearchIndexer, pages, output, language)
        if not self._rebuilding():
            self.indexer = self.start_search()
        return env

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        if page.file.src_uri in self.plans:
            # No Markdown to convert: MkDocs would build a Python-Markdown with every extension
            # for the empty text (a millisecond a page, 9 s of a 20,000-statement build).
            page.render = functools.partial(_no_markdown, page)  # type: ignore[method-assign]
        return page

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        plan = self.plans.get(page.file.src_uri)
        if plan is None:
            return markdown
        # Material prints `page.meta.title` unescaped in <title> and the header; the nav and the
        # search index use `page.title`, which returns it too. Escaped once here, right for all.
        page.meta["title"] = escape_title(plan.title)
        return ""  # the body comes from a template in on_page_context, not from Markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        plan = self.plans.get(page.file.src_uri)
        if plan is None:
            return html  # the home page's lists are filled in on_post_page
        page.toc = TableOfContents([_anchor(h.title, h.id, h.level) for h in plan.headings])
        return ""  # rendered in on_page_context, when the page is written

    @event_priority(-100)  # after any plugin that reads the (empty) body it does not need
    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        # Rendered just before the page is written and dropped just after (on_post_page): MkDocs
        # would otherwise hold every page's body in memory until the build ends.
        plan = self.plans.get(page.file.src_uri)
        if plan is not None:
            page.content = self.renderer.render(plan)
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if page.file.src_uri in self.plans:
            page.content = None
        if page.is_homepage:
            # Filled here, after the search documents were made: its lists of days and
            # claims (dates and counts, as long as the chronicle) are not worth indexing.
            output = self.renderer.render_home(output, cache=self.home_cache)
        # Announce the page's Atom feed (the site's on the home page) to feed readers.
        src = page.file.src_uri
        feed = "feed.xml" if page.is_homepage else src.removesuffix(".md") + "/feed.xml"
        if feed not in self.feeds:
            return output
        here = page_url(src, config.use_directory_urls)
        plan = self.plans.get(src)
        title = escape_title(f"{config.site_name}: {plan.title}" if plan else config.site_name)
        link = f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{relative_url(feed, here)}">'
        return output.replace("</head>", f"{link}\n</head>", 1)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        gc.unfreeze()
        if self.serving:  # collect the last build's garbage while the server waits for an edit
            collect = threading.Timer(0.5, gc.collect)
            collect.daemon = True  # never keeps the process alive at exit
            collect.start()
        if self._rebuilding():
            # The page is reloaded now, and search catches up some seconds later (an edit
            # before then stops it: the one after that starts again).
            self.indexer = self.start_search(background=True)
            if self.data_later is not None:
                site_dir = Path(config.site_dir)
                self.data_writer = threading.Thread(target=_write_files, args=(site_dir, self.data_later), daemon=True)
                self.data_writer.start()
        else:
            self.wait_for_background()
        if self.incremental:
            if self.previous is not None:  # a dirty build keeps old files: remove the pages that went
                for key, (_, file) in self.previous.outputs.items():
                    if key not in self.outputs and os.path.isfile(file.abs_dest_path):
                        os.remove(file.abs_dest_path)
            self.previous = _Previous(self.fingerprint, self.renderer.index, self.dependencies, self.outputs)

    def wait_for_background(self) -> None:
        """Wait until the search bundle and the downloads a build started are written (a
        `mkdocs serve --dirty` rebuild does not wait for them)."""
        if self.data_writer is not None:
            self.data_writer.join()
            self.data_writer = None
        indexer, self.indexer = self.indexer, None
        if indexer is None:
            return
        try:
            count = indexer.wait()
        except SearchIndexError as error:
            raise PluginError(f"The search index could not be written: {error}") from error
        log.debug(f"Search: {count} documents indexed by Pagefind")

    def on_build_error(self, *, error: Exception) -> None:
        # A failed build may have written some pages and cards of records that change again
        # before the next one: start that one afresh.
        gc.unfreeze()
        if self.indexer is not None:  # the search bundle of a build that failed
            self.indexer.cancel()
            self.indexer = None
        self.previous = None
        self._clear_caches()

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        try:
            self.watcher = RecordsWatcher(self.records_dir)  # see watch.py
        except OSError as error:  # the system would not watch so many folders: poll them
            log.info(f"Watching {self.config.records_dir} by polling: {error}")
            server.watch(str(self.records_dir))
        else:
            server.watch(str(self.watcher.folder))
            if not self.watcher.deliver_to(server):
                log.debug("Edits reach MkDocs by its poll of the watcher's file")
        return server

    def on_shutdown(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None

    def _from_docs(self, record_path: str) -> str:
        return posixpath.join(self.docs_to_root, record_path)


def _write_files(site_dir: Path, make: Callable[[], dict[str, bytes]]) -> None:
    """Write files made by `make` (by path in the site), each whole or not at all."""
    try:
        for path, content in make().items():
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.new")
            temporary.write_bytes(content)
            temporary.replace(target)
    except OSError as error:  # (in a thread of its own: said here, not raised)
        log.error(f"The open-data files could not be written: {error}")


def _anchor(title: str, anchor_id: str, level: int) -> AnchorLink:
    return AnchorLink(escape_title(title), anchor_id, level)


def _fingerprint(config: MkDocsConfig) -> tuple[Any, ...]:
    """Everything but the records that a generated page is made from: when it changes, a
    `mkdocs serve --dirty` rebuild writes every page again."""
    folders = [config.docs_dir, config.theme.custom_dir, str(TEMPLATES)]
    paths = [config.config_file_path or ""]
    for folder in filter(None, folders):
        for parent, _, names in os.walk(folder):
            paths.extend(os.path.join(parent, name) for name in names)
    stats = []
    for path in sorted(paths):
        try:
            stat = os.stat(path)
        except OSError:
            continue
        stats.append((path, stat.st_mtime_ns, stat.st_size))
    return (today(), tuple(stats))
