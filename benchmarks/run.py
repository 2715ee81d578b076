"""Time our build against Hugo's on the same synthetic records, size by size.

    python -m benchmarks.run [--sizes 1000 5000 20000] [--runs R] [--workdir DIR] [--keep]

For each size: generate the chronicle once (`benchmarks.generate`) and the Hugo site from its
records (`benchmarks.hugo`); then alternate runs (ours, Hugo, our phases; `--runs`, default 1
at 20,000 statements and more, 3 below), each into a fresh output folder. At the largest size
(or `--serve-at`) also time `mkdocs serve` from a record edited to the new text served.

Writes benchmarks/results.json and benchmarks/results.md, and prints the table.

How things are measured:

- wall time: `time.perf_counter()` around the child process, from start to reaped;
- peak memory: the larger of the child's maximum resident set size, from `os.wait4` (exact,
  but the largest of one process and its descendants, not their sum), and the summed resident
  memory of its process tree, read from /proc every 0.1 s (our build runs Pagefind beside
  itself; polling can miss a short peak, so both are taken);
- pages: the .html files written;
- phases: `benchmarks.phases` in a fresh Python process (see there);
- serve: `mkdocs serve` on a free loopback port; once a day page is served, one statement
  of that day gets new text, and the page is fetched every 0.1 s until the text appears.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from . import generate as gen
from . import hugo, search_download

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = (1000, 5000, 20000)
MIB = 1024 * 1024

# The issue's targets, at N = 20,000 statements.
TARGET_N = 20000
TARGETS = {
    "ratio": ("full build ours/Hugo", 2.0, "≤ 2.0"),
    "growth": ("growth 5,000→20,000", 4.4, "≤ 4.4×"),  # noqa: RUF001
    "peak_mib": ("peak memory", 1024.0, "≤ 1 GiB"),
    "load_validate": ("load + validate", 3.0, "≤ 3 s"),
    "serve_reload_seconds": ("serve edit-to-reload", 2.0, "≤ 2 s"),
    "search_download_bytes": ("search download for a first query", 5_000_000, "≤ 5 MB"),
}


# -- running children -------------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mib: float
    cpu_seconds: float
    returncode: int


def run_measured(cmd: list[str], log: Path, *, cwd: Path | None = None, timeout: float = 4 * 3600) -> Measured:
    """Run `cmd` to completion; its wall time, maximum RSS and CPU time (user + system)."""
    env = child_env()
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        sampled = [0]
        sampler = threading.Thread(target=_sample_tree_rss, args=(proc.pid, sampled), daemon=True)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; tell Popen
    sampler.join()
    peak_mib = max(usage.ru_maxrss / 1024, sampled[0] / 2**20)
    return Measured(seconds, peak_mib, usage.ru_utime + usage.ru_stime, proc.returncode)


def _sample_tree_rss(pid: int, peak: list[int]) -> None:
    """Keep in peak[0] the largest summed resident memory (bytes) of `pid` and its descendants,
    until `pid` is gone."""
    page = os.sysconf("SC_PAGE_SIZE")
    while True:
        children: dict[int, list[int]] = {}
        rss: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))  # fields[1]: parent
            rss[int(entry.name)] = int(fields[21]) * page  # resident pages
        if pid not in rss or rss[pid] == 0:  # exited (a zombie has none)
            return
        tree, total = [pid], 0
        while tree:
            member = tree.pop()
            total += rss.get(member, 0)
            tree.extend(children.get(member, ()))
        peak[0] = max(peak[0], total)
        time.sleep(0.1)


# With --ref, the plugin package of that commit, put first on every child's PYTHONPATH (the
# editable install only appends the working tree's plugins/ to sys.path, after it).
_CODE: dict[str, Path] = {}


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    if "plugins" in _CODE:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_CODE["plugins"]), env.get("PYTHONPATH")]))
    env.setdefault("SOURCE_DATE_EPOCH", "1800000000")  # reproducible builds; after every generated date
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.pop("CHRONICLE_SITE_URL", None)  # serve and build for the loopback address mkdocs.yml defaults to
    return env


def require(measured: Measured, what: str, log: Path) -> None:
    if measured.returncode != 0:
        tail = log.read_text("utf-8", errors="replace")[-4000:]
        raise SystemExit(f"{what} failed (exit {measured.returncode}); the end of {log}:\n{tail}")


def mkdocs_command(project: Path, dest: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(dest)]


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(gen.ROOT), *args], capture_output=True, text=True, check=True).stdout


CODE_PATHS = ("plugins", "content", "overrides", "mkdocs.yml", "CONTRIBUTING.md")


def use_code(ref: str | None, work: Path) -> dict[str, Any]:
    """Which code is measured: the working tree (default), or `ref` exported (`git archive`) into
    the work folder, so that edits others make meanwhile do not change the build mid-run."""
    try:
        head = git("rev-parse", "HEAD").strip()
        changed = bool(git("status", "--porcelain", "--", *CODE_PATHS).strip())
    except (OSError, subprocess.CalledProcessError):
        return {"ref": ref, "commit": None, "dirty": None}
    if ref is None:
        return {"ref": "working tree", "commit": head, "dirty": changed}
    commit = git("rev-parse", "--verify", f"{ref}^{{commit}}").strip()
    root = (work / f"code-{commit[:12]}").resolve()
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(gen.ROOT), "archive", "--format=tar", commit, *CODE_PATHS], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    _CODE.update(root=root, plugins=root / "plugins")
    return {"ref": ref, "commit": commit, "dirty": False}


# -- what a build wrote -----------------------------------------------------------------------


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def site_figures(site: Path) -> dict[str, Any]:
    pages = html_files(site)
    largest = max(pages, key=lambda p: p.stat().st_size) if pages else None
    figures: dict[str, Any] = {
        "pages": len(pages),
        "largest_page_bytes": largest.stat().st_size if largest else 0,
        "largest_page": largest.relative_to(site).as_posix() if largest else None,
        "site_bytes": sum(f.stat().st_size for f in site.rglob("*") if f.is_file()),
    }
    if (site / "pagefind").is_dir():
        figures.update(search_download.bundle_size(site))
    return figures


def median(values: list[float]) -> float:
    return statistics.median(values)


# -- mkdocs serve -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(url: str, text: str, seconds: float, interval: float) -> float | None:
    """Seconds until `text` is in the page at `url`, polling; None if it never is."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        page = fetch(url)
        if page is not None and text in page:
            return time.perf_counter() - started
        time.sleep(interval)
    return None


SERVE_EDITS = 3  # edits timed in one `mkdocs serve`, each to a statement of another day
SERVE_PAUSE = 10.0  # seconds between edits: a writer reads the page before the next change


def measure_serve(project: Path, log: Path, build_seconds: float) -> dict[str, Any]:
    """Start `mkdocs serve --dirty`, wait for a day page, then give statements of three days new
    text, one at a time, timing each until its new text is served; the median is the figure.
    The server is stopped (by its pid) and the records put back whatever happens."""
    days = sorted((project / "chronicle" / "statements").glob("*/*/*"))
    edits = []
    for k in range(SERVE_EDITS):
        day_folder = days[(k + 1) * len(days) // (SERVE_EDITS + 1)]
        record = sorted(day_folder.glob("*.yml"))[0]
        original = record.read_text("utf-8")
        data = yaml.load(original, Loader=yaml.CBaseLoader)
        marker = f"Edited while serving {k} {time.time_ns()}"
        data["text"] = f"{marker}: {data['text']}"
        edited = gen.record_text(record.relative_to(project / "chronicle").as_posix(), data)
        edits.append(("-".join(day_folder.parts[-3:]), record, original, edited, marker))
    port = free_port()
    url = f"http://127.0.0.1:{port}/days/{{}}/"
    limit = max(120.0, 6 * build_seconds)
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "--dirty",
        "-a",
        f"127.0.0.1:{port}",
        "-f",
        str(project / "mkdocs.yml"),
    ]
    reloads: list[float] = []
    with open(log, "wb") as out:
        started = time.perf_counter()
        server = subprocess.Popen(cmd, cwd=project, env=child_env(), stdout=out, stderr=subprocess.STDOUT)
        try:
            first_day, first_record = edits[0][0], edits[0][1]
            if wait_for(url.format(first_day), first_record.stem, limit, 0.5) is None:
                raise SystemExit(f"mkdocs serve never served {url.format(first_day)} within {limit:.0f} s; see {log}")
            first_served = time.perf_counter() - started
            for day, record, _, edited, marker in edits:
                time.sleep(SERVE_PAUSE)
                record.write_text(edited, "utf-8")
                reload = wait_for(url.format(day), marker, limit, 0.05)
                if reload is None:
                    raise SystemExit(f"the edit was not served within {limit:.0f} s; see {log}")
                reloads.append(reload)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            for _, record, original, _, _ in edits:
                record.write_text(original, "utf-8")
    return {
        "serve_reload_seconds": median(reloads),
        "serve_reloads": [round(r, 3) for r in reloads],
        "serve_first_page_seconds": first_served,
        "serve_pages": [f"days/{day}/" for day, *_ in edits],
    }


# -- one size ---------------------------------------------------------------------------------


@dataclass
class Size:
    """One size being measured: its generated project and what its runs measured so far."""

    n: int
    runs: int
    work: Path
    shape: Any
    generated: float
    load_before: float
    ours: list[Measured] = field(default_factory=list)
    theirs: list[Measured] = field(default_factory=list)
    phases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def project(self) -> Path:
        return self.work / f"chronicle-{self.n}"

    @property
    def hugo_site(self) -> Path:
        return self.work / f"hugo-{self.n}"

    @property
    def out(self) -> Path:
        return self.work / f"out-{self.n}"

    @property
    def logs(self) -> Path:
        return self.work / "logs"


def prepare_size(n: int, runs: int, work: Path) -> Size:
    """Generate the chronicle of `n` statements and its Hugo site."""
    print(f"== {n} statements: generating", flush=True)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    project = work / f"chronicle-{n}"
    shape = gen.generate(project, n, source=_CODE.get("root", gen.ROOT))
    size = Size(n, runs, work, shape, 0.0, load_before)
    hugo.write_site(project / "chronicle", size.hugo_site, project / "content" / "assets" / "chronicle.css")
    size.generated = time.perf_counter() - started
    if size.out.exists():
        shutil.rmtree(size.out)
    size.out.mkdir(parents=True)
    size.logs.mkdir(parents=True, exist_ok=True)
    return size


def measure_run(size: Size, r: int, keep: bool) -> None:
    """Run `r` of a size: our build, Hugo's, then our phases, each in a fresh process."""
    n, runs, project, out, logs = size.n, size.runs, size.project, size.out, size.logs
    dest = out / f"ours-{r}"
    log = logs / f"mkdocs-{n}-{r}.log"
    m = run_measured(mkdocs_command(project, dest), log, cwd=project)
    require(m, "mkdocs build", log)
    size.ours.append(m)
    print(f"   {n}, run {r + 1}/{runs}: ours {m.seconds:.2f} s, {m.peak_mib:.0f} MiB", flush=True)

    hdest = out / f"hugo-{r}"
    log = logs / f"hugo-{n}-{r}.log"
    m = run_measured(hugo.build_command(size.hugo_site, hdest), log)
    require(m, "hugo", log)
    size.theirs.append(m)
    print(f"   {n}, run {r + 1}/{runs}: Hugo {m.seconds:.2f} s, {m.peak_mib:.0f} MiB", flush=True)

    log = logs / f"phases-{n}-{r}.log"
    cmd = [sys.executable, "-m", "benchmarks.phases", str(project)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), cwd=HERE.parent, check=False)
    log.write_text(proc.stdout + proc.stderr, "utf-8")
    if proc.returncode != 0:
        raise SystemExit(f"benchmarks.phases failed:\n{proc.stderr[-4000:]}")
    size.phases.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    expected = _CODE.get("plugins", gen.ROOT / "plugins")
    if not Path(size.phases[-1]["package"]).is_relative_to(expected):
        raise SystemExit(f"measured {size.phases[-1]['package']}, not the code under {expected}")
    p = size.phases[-1]
    print(
        f"   {n}, run {r + 1}/{runs}: phases load+validate {p['load_validate']:.2f} s, index {p['index']:.3f} s, "
        f"render {p['render']:.2f} s",
        flush=True,
    )
    if r + 1 < runs and not keep:  # keep the last run's sites for the figures of finish_size
        shutil.rmtree(dest)
        shutil.rmtree(hdest)


def measure_sizes(sizes: list[Size], keep: bool) -> None:
    """Every run of every size, the sizes taking turns (run 1 of each size, then run 2...): a
    shared machine's speed drifts over minutes, and the growth from one size to the next
    compares them, so each size's runs are spread over the same stretch of time."""
    for r in range(max(size.runs for size in sizes)):
        for size in sizes:
            if r < size.runs:
                measure_run(size, r, keep)


def finish_size(size: Size, serve: bool, keep: bool) -> dict[str, Any]:
    """A size's figures from its runs, its last run's sites, and (with `serve`) `mkdocs serve`."""
    n, runs, project, out, logs = size.n, size.runs, size.project, size.out, size.logs
    ours, theirs, phases, shape = size.ours, size.theirs, size.phases, size.shape
    print(f"== {n} statements: site figures", flush=True)
    our_site = site_figures(out / f"ours-{runs - 1}")
    hugo_site_figures = site_figures(out / f"hugo-{runs - 1}")
    ours_seconds = median([m.seconds for m in ours])
    hugo_seconds = median([m.seconds for m in theirs])
    result: dict[str, Any] = {
        "statements": n,
        "days": shape.days,
        "actors": shape.actors,
        "claims": shape.claims,
        "sources": shape.sources,
        "runs": runs,
        "generate_seconds": round(size.generated, 3),
        "ours_seconds": round(ours_seconds, 3),
        "hugo_seconds": round(hugo_seconds, 3),
        "ratio": round(ours_seconds / hugo_seconds, 2),
        "ours_runs": [round(m.seconds, 3) for m in ours],
        "hugo_runs": [round(m.seconds, 3) for m in theirs],
        "ours_cpu_seconds": round(median([m.cpu_seconds for m in ours]), 3),
        "hugo_cpu_seconds": round(median([m.cpu_seconds for m in theirs]), 3),
        "peak_mib": round(max(m.peak_mib for m in ours), 1),
        "hugo_peak_mib": round(max(m.peak_mib for m in theirs), 1),
        "pages": our_site["pages"],
        "hugo_pages": hugo_site_figures["pages"],
        "phases": {
            "load_validate": round(median([p["load_validate"] for p in phases]), 3),
            "index": round(median([p["index"] for p in phases]), 4),
            "render": round(median([p["render"] for p in phases]), 3),
            "mkdocs": round(ours_seconds, 3),
        },
        "phases_peak_mib": round(max(p["peak_mib"] for p in phases), 1),
        "rendered_body_bytes": phases[-1]["body_bytes"],
        "search_bundle_bytes": our_site.get("bundle_bytes"),
        "search_bundle_files": our_site.get("bundle_files"),
        "largest_page_bytes": our_site["largest_page_bytes"],
        "largest_page": our_site["largest_page"],
        "hugo_largest_page_bytes": hugo_site_figures["largest_page_bytes"],
        "site_bytes": our_site["site_bytes"],
        "hugo_site_bytes": hugo_site_figures["site_bytes"],
        # The 1-minute load average before and after: on a shared machine, a sign of noise.
        "load_average": [round(size.load_before, 2), round(os.getloadavg()[0], 2)],
    }
    try:
        download = search_download.measure(out / f"ours-{runs - 1}")
    except Exception as error:  # no Chromium here: the figure is left out, and the reason shown
        print(f"   search download not measured: {error}", flush=True)
    else:
        result["search_download_bytes"] = download["search_download_bytes"]
        result["search_download_query"] = download["search_download_query"]
        print(f"   search: a first query downloads {_bytes(download['search_download_bytes'])}", flush=True)
    if serve:
        print("   mkdocs serve: waiting for the first build, then editing a record", flush=True)
        result.update(measure_serve(project, logs / f"serve-{n}.log", ours_seconds))
        print(f"   serve: edit to served page {result['serve_reload_seconds']:.2f} s", flush=True)
    if not keep:
        shutil.rmtree(out)
        shutil.rmtree(project)
        shutil.rmtree(size.hugo_site)
    return result


# -- reporting --------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    memory = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "memory_gib": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "mkdocs": version("mkdocs"),
        "material": version("mkdocs-material"),
        "hugo": hugo.hugo_version(),
        "pagefind": version("pagefind-bin"),
    }


def growth(sizes: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Our full-build time from each measured size to the next, as a factor."""
    ns = sorted(int(n) for n in sizes)
    return {
        f"{a}→{b}": round(sizes[str(b)]["ours_seconds"] / sizes[str(a)]["ours_seconds"], 2)
        for a, b in itertools.pairwise(ns)
    }


def _n(value: int) -> str:
    return f"{value:,}"


def _secs(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 0.1 else f"{value:.2f}"


def _bytes(value: int | None) -> str:
    if value is None:
        return "—"
    return f"{value / 1e6:.1f} MB" if value >= 1e5 else f"{value / 1e3:.1f} kB"


def _code(code: dict[str, Any] | None) -> str:
    if not code or not code.get("commit"):
        return "unknown"
    if code.get("ref") == "working tree":
        changed = " with uncommitted changes" if code.get("dirty") else ""
        return f"the working tree at {code['commit'][:12]}{changed}"
    return f"commit {code['commit'][:12]}"


def _codes(sizes: dict[str, dict[str, Any]]) -> str:
    """Which code each size measured, one entry per distinct code."""
    groups: dict[str, list[str]] = {}
    for n in sorted(sizes, key=int):
        groups.setdefault(_code(sizes[n].get("code")), []).append(_n(int(n)))
    return "; ".join(f"{code} (N = {', '.join(ns)})" for code, ns in groups.items())


def _load(figures: dict[str, Any], _n: int) -> str:
    load = figures.get("load_average")
    return f"{load[0]:.1f} → {load[1]:.1f}" if load else "—"


def assess(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target beside the figure it is about, at 20,000 statements when that size was run,
    else at the largest size that was (and said so)."""
    sizes = results["sizes"]
    if not sizes:
        return []
    at = TARGET_N if str(TARGET_N) in sizes else max(int(n) for n in sizes)
    figures = sizes[str(at)]
    grow = results.get("growth", {}).get(f"5000→{TARGET_N}")
    values = {
        "ratio": figures["ratio"],
        "growth": grow,
        "peak_mib": figures["peak_mib"],
        "load_validate": figures["phases"]["load_validate"],
        "serve_reload_seconds": figures.get("serve_reload_seconds"),
        "search_download_bytes": figures.get("search_download_bytes"),
    }
    out = []
    for key, (label, limit, shown) in TARGETS.items():
        value = values[key]
        out.append(
            {
                "target": label,
                "key": key,
                "limit": limit,
                "shown": shown,
                "at": at,
                "value": value,
                "met": None if value is None else value <= limit,
            }
        )
    return out


def markdown_table(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    ns = sorted(int(n) for n in sizes)
    grow = results.get("growth", {})
    head = "| | " + " | ".join(f"N = {_n(n)}" for n in ns) + " | target (N = 20,000) | met? |"
    rule = "|---|" + "---:|" * len(ns) + "---|---|"
    assessed = {a["key"]: a for a in assess(results)}

    def verdict(key: str) -> tuple[str, str]:
        a = assessed.get(key)
        if a is None:
            return "", ""
        if a["met"] is None:
            return a["shown"], "not measured"
        mark = "yes" if a["met"] else "**no**"
        return a["shown"], mark + ("" if a["at"] == TARGET_N else f" (at N = {_n(a['at'])})")

    def row(label: str, cell: Any, key: str | None = None) -> str:
        cells = [cell(sizes[str(n)], n) for n in ns]
        target, met = verdict(key) if key else ("", "")
        return f"| {label} | " + " | ".join(cells) + f" | {target} | {met} |"

    def growth_cell(_s: dict[str, Any], n: int) -> str:
        before = [m for m in ns if m < n]
        if not before:
            return "—"
        return f"{grow[f'{before[-1]}→{n}']:.2f}× (from {_n(before[-1])})"  # noqa: RUF001

    def cpu_growth_cell(s: dict[str, Any], n: int) -> str:
        before = [m for m in ns if m < n]
        if not before:
            return "—"
        return f"{s['ours_cpu_seconds'] / sizes[str(before[-1])]['ours_cpu_seconds']:.2f}×"  # noqa: RUF001

    rows = [
        head,
        rule,
        row("full build, ours: `mkdocs build --strict` (s, median)", lambda s, n: _secs(s["ours_seconds"])),
        row("full build, Hugo (s, median)", lambda s, n: _secs(s["hugo_seconds"])),
        row("**ours / Hugo**", lambda s, n: f"{s['ratio']:.1f}", "ratio"),
        row("growth of our build time", growth_cell, "growth"),
        row("CPU time ours / Hugo (s)", lambda s, n: f"{s['ours_cpu_seconds']:.1f} / {s['hugo_cpu_seconds']:.1f}"),
        row("growth of our CPU time (less noisy on a busy machine)", cpu_growth_cell),
        row("**peak memory, ours (MiB)**", lambda s, n: f"{s['peak_mib']:.0f}", "peak_mib"),
        row("peak memory, Hugo (MiB)", lambda s, n: f"{s['hugo_peak_mib']:.0f}"),
        row("**load + validate (s)**", lambda s, n: _secs(s["phases"]["load_validate"]), "load_validate"),
        row("index (s)", lambda s, n: _secs(s["phases"]["index"])),
        row("render: plans + every page body (s)", lambda s, n: _secs(s["phases"]["render"])),
        row("mkdocs build, all of it (s)", lambda s, n: _secs(s["phases"]["mkdocs"])),
        row("pages written, ours / Hugo", lambda s, n: f"{_n(s['pages'])} / {_n(s['hugo_pages'])}"),
        row(
            "**search: a first query's download** (whole bundle)",
            lambda s, n: f"{_bytes(s.get('search_download_bytes'))} ({_bytes(s.get('search_bundle_bytes'))})",
            "search_download_bytes",
        ),
        row("largest HTML page, ours", lambda s, n: _bytes(s["largest_page_bytes"])),
        row(
            "**serve: edit to reloaded page (s)**",
            lambda s, n: _secs(s.get("serve_reload_seconds")),
            "serve_reload_seconds",
        ),
        row("runs", lambda s, n: str(s["runs"])),
        row("machine load (1-min average) before → after", _load),
    ]
    return "\n".join(rows)


def markdown_report(results: dict[str, Any]) -> str:
    m = results["machine"]
    sizes = results["sizes"]
    largest = str(max(int(n) for n in sizes))
    big = sizes[largest]
    lines = [
        "# Benchmark results",
        "",
        f"Run on {results['date']} by `python -m benchmarks.run` (see benchmarks/README.md for what is measured "
        "and how). Figures in **bold** have a target from the issue; the target applies at N = 20,000.",
        "",
        markdown_table(results),
        "",
        "Code measured: " + _codes(sizes) + ".",
        f"Largest page at N = {_n(int(largest))}: `{big['largest_page']}` ({_bytes(big['largest_page_bytes'])}); "
        f"Hugo's largest: {_bytes(big['hugo_largest_page_bytes'])}. Whole site: ours "
        f"{_bytes(big['site_bytes'])}, Hugo's {_bytes(big['hugo_site_bytes'])}.",
    ]
    if big.get("serve_reload_seconds") is not None:
        lines.append(
            f"`mkdocs serve` at N = {_n(int(largest))}: first page served after "
            f"{big['serve_first_page_seconds']:.1f} s; edit to reloaded page "
            + ", ".join(f"{r:.2f} s" for r in big.get("serve_reloads", [big["serve_reload_seconds"]]))
            + f" (median {big['serve_reload_seconds']:.2f} s; "
            + ", ".join(f"`{p}`" for p in big.get("serve_pages", [big.get("serve_page")]))
            + f", {SERVE_PAUSE:.0f} s apart)."
        )
    lines += [
        "",
        "## Machine",
        "",
        f"- CPUs (nproc): {m['nproc']}; CPU: {m['cpu']}; memory: {m['memory_gib']} GiB",
        f"- {m['os']}",
        f"- Python {m['python']}, MkDocs {m['mkdocs']}, Material {m['material']}, Hugo {m['hugo']}",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="statement counts")
    parser.add_argument("--runs", type=int, help="runs per size (default: 1 at 20,000 and more, 3 below)")
    parser.add_argument("--workdir", type=Path, help="where projects and sites go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects and sites")
    parser.add_argument("--serve-at", type=int, help="size at which to time mkdocs serve (default: the largest)")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve measurement")
    parser.add_argument("--merge", action="store_true", help="keep other sizes already in results.json")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for results.json and results.md")
    parser.add_argument(
        "--ref", help="measure this commit's plugin, pages and config (exported), not the working tree's"
    )
    parser.add_argument("--report-only", action="store_true", help="rewrite results.md from results.json, run nothing")
    args = parser.parse_args(argv)
    if args.report_only:
        results = json.loads((args.out / "results.json").read_text("utf-8"))
        report = markdown_report(results)
        (args.out / "results.md").write_text(report, "utf-8")
        print(report)
        return 0

    sizes = sorted(set(args.sizes))
    serve_at = None if args.no_serve else (args.serve_at or max(sizes))
    work = args.workdir or Path(tempfile.mkdtemp(prefix="chronicle-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    code = use_code(args.ref, work)
    print(
        f"working in {work}; measuring {code['ref']} ({code['commit']}{', with changes' if code['dirty'] else ''})",
        flush=True,
    )
    results_file = args.out / "results.json"
    previous: dict[str, Any] = {}
    if args.merge and results_file.exists():
        previous = json.loads(results_file.read_text("utf-8")).get("sizes", {})
    measured: dict[str, dict[str, Any]] = dict(previous)
    prepared = [prepare_size(n, args.runs or (1 if n >= TARGET_N else 3), work) for n in sizes]
    measure_sizes(prepared, args.keep)
    for size in prepared:
        measured[str(size.n)] = finish_size(size, serve=(size.n == serve_at), keep=args.keep)
        measured[str(size.n)]["code"] = code
    ordered = {str(n): measured[str(n)] for n in sorted(int(k) for k in measured)}
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "seed": gen.SEED,
        "machine": machine(),
        "sizes": ordered,
        "growth": growth(ordered),
    }
    results["targets"] = assess(results)
    args.out.mkdir(parents=True, exist_ok=True)
    results_file.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    report = markdown_report(results)
    (args.out / "results.md").write_text(report, "utf-8")
    if not args.keep and args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
