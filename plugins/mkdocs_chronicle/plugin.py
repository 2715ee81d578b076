"""The MkDocs adapter: wires MkDocs events to the core. Nothing else lives here."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from .export import open_data
from .feeds import build_feeds
from .index import build_index
from .load import ReadCache, walk
from .problems import format_problems
from .render import PagePlan, Renderer, escape_title, page_url, relative_url
from .search import search_entries
from .validate import today, validate_folder

log = get_plugin_logger(__name__)


class ChronicleConfig(Config):  # type: ignore[no-untyped-call]
    records_dir = opt.Type(str, default="chronicle")
    # Repository files published as pages ({"contributing.md": "CONTRIBUTING.md"}), so that
    # GitHub and the site show one text.
    repository_pages = opt.Type(dict, default={})


class ChroniclePlugin(BasePlugin[ChronicleConfig]):  # type: ignore[no-untyped-call]
    """Reads the records, fails the build on any problem, and adds the chronicle's pages."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this plugin between `mkdocs serve` rebuilds, and with it
        # the records already read: an edit re-reads only the changed files.
        self.read_cache = ReadCache()

    def on_config(self, config: MkDocsConfig) -> None:
        root = self.root = Path(config.config_file_path or ".").resolve().parent
        self.records_dir = root / self.config.records_dir
        # MkDocs would follow a link in docs_dir (or the theme's custom_dir) and publish its
        # target, /etc/passwd included: refuse them before MkDocs lists the files.
        link_problems = [
            problem
            for folder in filter(None, [config.docs_dir, config.theme.custom_dir])
            for problem in walk(Path(folder), posixpath.relpath(folder, root))[1]
        ]
        result = validate_folder(self.records_dir, self.config.records_dir, self.read_cache)
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
        self.renderer = Renderer(
            build_index(result.chronicle),
            use_directory_urls=config.use_directory_urls,
            override_dirs=[Path(custom_dir)] if custom_dir else [],
            edit_url=(lambda path: urljoin(edit_base, self._from_docs(path))) if edit_base else None,
            site_url=config.site_url,
            site_name=config.site_name,
        )
        self.plans: dict[str, PagePlan] = {}

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        site_dir = Path(config.site_dir).resolve()
        for plan in self.renderer.plans():
            if files.get_file_from_path(plan.src_uri) is not None:
                raise PluginError(f"{config.docs_dir}/{plan.src_uri} clashes with a generated page; rename it")
            # Detail pages are reached from the index pages, not the navigation: say so, quietly.
            inclusion = InclusionLevel.INCLUDED if plan.src_uri.endswith("index.md") else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, plan.src_uri, content="", inclusion=inclusion)
            # Point "edit this page" at the record, not at the generated file (which has none).
            file.edit_uri = self._from_docs(plan.record_path) if plan.record_path else None
            if not Path(file.abs_dest_path).resolve().is_relative_to(site_dir):  # ids are checked; be sure
                raise PluginError(f"refusing to write {file.abs_dest_path}: outside the site folder")
            files.append(file)
            self.plans[plan.src_uri] = plan
        # The record schemas, for editors: `# yaml-language-server: $schema=…` may point here.
        for schema in sorted((Path(__file__).parent / "schemas").glob("*.json")):
            files.append(File.generated(config, f"schemas/{schema.name}", abs_src_path=str(schema)))
        # Feeds and open data, made in memory like the pages (so `mkdocs serve` serves them too).
        index, build_date = self.renderer.index, today()
        site_url = config.site_url or "http://127.0.0.1:8000/"
        downloads = {
            **build_feeds(
                index, site_url=site_url, use_directory_urls=config.use_directory_urls, build_date=build_date
            ),
            **open_data(index, build_date=build_date, use_directory_urls=config.use_directory_urls),
        }
        for path, content in sorted(downloads.items()):
            files.append(File.generated(config, path, content=content))
        self.feeds = {path for path in downloads if path.endswith("feed.xml")}
        for src_uri, repository_file in sorted(self.config.repository_pages.items()):
            page = File.generated(config, src_uri, abs_src_path=str(self.root / repository_file))
            page.edit_uri = self._from_docs(repository_file)
            files.append(page)
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        plan = self.plans.get(page.file.src_uri)
        if plan is None:
            return markdown
        # Material prints `page.meta.title` unescaped in <title> and the header; the nav and the
        # search index use `page.title`, which returns it too. Escaped once here, right for all.
        page.meta["title"] = escape_title(plan.title)
        # Indexed from the records in on_post_build instead: parsing these pages' HTML was the
        # largest cost of a build, and indexed each statement four times or more.
        page.meta["search"] = {"exclude": True}
        return ""  # the body comes from the template in on_page_content, not from Markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        plan = self.plans.get(page.file.src_uri)
        if plan is None:
            return self.renderer.render_home(html) if page.is_homepage else html
        page.toc = TableOfContents([_anchor(h.title, h.id, h.level) for h in plan.headings])
        return self.renderer.render(plan)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
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

    @event_priority(-50)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        index_file = Path(config.site_dir) / "search" / "search_index.json"
        if not index_file.is_file():  # the search plugin is not in use
            return
        data = json.loads(index_file.read_text("utf-8"))
        data["docs"] += search_entries(self.renderer.index, self.renderer.url)
        index_file.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False), "utf-8")

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.records_dir))
        return server

    def _from_docs(self, record_path: str) -> str:
        return posixpath.join(self.docs_to_root, record_path)


def _anchor(title: str, anchor_id: str, level: int) -> AnchorLink:
    return AnchorLink(escape_title(title), anchor_id, level)
