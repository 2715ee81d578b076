"""Where a `mkdocs serve --dirty` rebuild spends its time, without the file watcher.

    python -m benchmarks.serve_profile PROJECT SITE_DIR [--edits 3]

Builds PROJECT (a generated chronicle, `python -m benchmarks.generate`) the way `mkdocs serve
--dirty` does, in this process: one `on_startup`, a first build into SITE_DIR, then, for each
edit, a statement's text is changed, the site rebuilt (timed), and the text put back. The last
rebuild runs under cProfile and its 40 costliest calls (cumulative) are printed. The project's
records are edited in place: use a copy.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

SERVE_URL = "http://127.0.0.1:8000/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

    def configure() -> MkDocsConfig:
        config = load_config(config_file=str(args.project / "mkdocs.yml"), site_dir=str(args.site))
        config.site_url = SERVE_URL  # as `mkdocs serve` does
        return config

    configure().plugins.on_startup(command="serve", dirty=True)
    started = time.perf_counter()
    build(configure(), serve_url=SERVE_URL, dirty=True)
    print(f"first build: {time.perf_counter() - started:.2f} s", flush=True)

    records = sorted((args.project / "chronicle" / "statements").rglob("*.yml"))
    profile = cProfile.Profile()
    for n in range(args.edits):
        record = records[(n + 1) * len(records) // (args.edits + 1)]
        text = record.read_text("utf-8")
        at = text.index("text: ") + len("text: ")
        record.write_text(f"{text[:at]}EDITED{n} {text[at:]}", "utf-8")
        last = n == args.edits - 1
        started = time.perf_counter()
        if last:
            profile.enable()
        build(configure(), serve_url=SERVE_URL, dirty=True)
        if last:
            profile.disable()
        print(f"rebuild after editing {record.name}: {time.perf_counter() - started:.2f} s", flush=True)
        record.write_text(text, "utf-8")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
