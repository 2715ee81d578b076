"""The site as a reader's browser shows it: every kind of page opens without a script error,
and a statement's permalink leads to it. (Screenshots and axe-core: test_readers.py.)"""

from __future__ import annotations

import pytest
from test_readers import PAGES

from browser import browser, serve
from conftest import Build

pytestmark = pytest.mark.browser


def test_each_kind_of_page_renders_and_its_links_lead_to_statements(site: Build) -> None:
    with serve(site.site) as base, browser() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        for name, url in PAGES.items():
            page.goto(base + url)
            assert page.locator("h1").first.is_visible(), name

        # From a claim page, a statement's permalink leads to that statement on its day page.
        page.goto(base + PAGES["claim"])
        page.locator("#stoltenberg-remains-to-be-seen a.chronicle-permalink").click()
        page.wait_for_url("**/days/2022-02-16/#stoltenberg-remains-to-be-seen")
        target = page.locator("article#stoltenberg-remains-to-be-seen")
        assert target.is_visible()
        assert "It remains to be seen whether there is a Russian withdrawal" in target.inner_text()
        assert errors == []
