"""Synthetic chronicles for the benchmark: deterministic, valid, in the real layout.

`generate(target, n)` writes N statements over N/10 consecutive days into `target/chronicle/`
(actors, claims, sources, statements/YYYY/MM/DD/), and around them a project that `mkdocs
build` accepts: the repository's mkdocs.yml, content/, overrides/ and CONTRIBUTING.md, copied
at generation time so that the benchmark always measures today's site.

Everything comes from one seeded `random.Random`: the same seed and size give byte-identical
files. The shape:

- days: N // 10 consecutive days from 4 January 2010; every day has at least one statement,
  the others are spread at random (so a day has about ten, some fewer, some more);
- actors: min(500, max(5, N // 40)); claims: min(300, max(3, N // 66)); sources: two a day;
- a statement speaks as one actor and bears on 1 or 2 claims, both chosen with a mild skew
  (weight 1/sqrt(rank)), as real chronicles have a few actors and claims that dominate;
  it cites 1 or 2 sources published on its day or the two days before;
- its text has 20 to 60 words; some have a time with a UTC offset, a role, a venue, a place, a
  language and translation, a response to an earlier statement, or an annotation in
  Markdown with a link.

Run `python -m benchmarks.generate TARGET N [--seed S]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import math
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 20220216
FIRST_DAY = dt.date(2010, 1, 4)
MARKER = ".benchmark-chronicle"  # a generated folder says so; only such a folder is ever cleared
PROJECT_FILES = ("mkdocs.yml", "CONTRIBUTING.md")
PROJECT_FOLDERS = ("content", "overrides")


def _words(text: str) -> list[str]:
    return text.split()


WORDS = _words(
    """
able about above accept account across act action add address affect after again against agree
aid air allow ally already also always among announce answer appear approach area army around
arrive ask assess attack authority avoid back base before begin behind believe border break
bring build call capital case cease change check citizen claim clear close coast come command
concern condition confirm consider continue control country course court cross daily deal decide
defence defend delay deliver deny deploy describe detail diplomat direct discuss drill during
early east effort election embassy end enter envoy escalate evidence exercise expect explain
face fact field fire follow force foreign forward frontier full future give goal government
ground group guarantee happen hear help hold hope hour idea immediate include increase inform
intend issue join keep know land large later lead leave level line list local long maintain
major matter measure meet member message military minister mission month move nation near need
negotiate never new news next north notice number observe offer office open operation order
partner patrol peace people period place plan point position post power prepare present press
pressure prevent process promise propose protect public pull question quickly ready reason
receive record reduce region reject release remain report request respond result return review
right risk road rule safe sanction satellite say secure security see send sense serious service
share side sign situation soldier south speak stand state step still stop strong support talk
team tell term territory threat time today together town track troop true try unit unity urge
use view visit wait want warn watch week west withdraw word work world write year
"""
)
FIRST_NAMES = _words(
    """
Anna Boris Carla Dmitri Elena Farid Greta Hugo Irina Jonas Katya Lars Maria Nikos Olga Pavel
Quentin Rosa Sofia Tomas Ursula Viktor Wanda Xavier Yuri Zofia Adam Beata Cyril Dora Emil Fiona
Georg Hanna Ivan Julia Karl Lena Marek Nora
"""
)
LAST_NAMES = _words(
    """
Adler Berg Costa Dvorak Eklund Fischer Garcia Horvat Ivanova Jansen Kowalski Lindqvist Moreau
Novak Orlov Petrov Quint Rossi Schmidt Tanaka Urban Varga Weber Xenakis Yilmaz Zielinski
Andersen Bauer Conti Dimitrov Engel Falk Gruber Hoffmann Ilic Jovanovic Kraus Lehmann Meyer
"""
)
COUNTRIES = _words(
    """
AT BE BG CA CZ DE DK EE ES FI FR GB GR HR HU IE IT LT LV NL NO PL PT RO RU SE SK SI UA US
"""
)
PUBLISHERS = [
    "Daily Ledger",
    "Morning Wire",
    "Evening Courier",
    "Global Dispatch",
    "The Observer Post",
    "Capital Times",
    "Northern Herald",
    "Southern Tribune",
    "Weekly Monitor",
    "Radio Continental",
    "Press Agency One",
    "Foreign Desk",
    "Frontline Report",
    "City Gazette",
    "Public Broadcaster",
    "Wire Service Two",
    "Harbour News",
    "Atlas Review",
    "Meridian Journal",
    "Summit Daily",
]
AGENCIES = ["Reuters", "AFP", "AP", "dpa", "EFE", "ANSA", "PAP"]
VENUES = ["Press conference", "Television interview", "Radio interview", "Statement", "Social media post", "Briefing"]
ROLES = ["Foreign Minister", "Defence Minister", "Spokesperson", "Prime Minister", "President", "Ambassador", "Envoy"]
SOURCE_KINDS = ["article", "transcript", "video", "press-release", "post", "document"]
RATINGS = ["unproven", "disputed", "misleading", "false", "partly-true", "true"]
STANCES = ["supports", "disputes", "neutral"]


@dataclass(frozen=True)
class Shape:
    """What was generated, for reports and tests."""

    statements: int
    days: int
    actors: int
    claims: int
    sources: int
    files: int


def sizes(n: int) -> tuple[int, int, int, int]:
    """(days, actors, claims, sources) for N statements."""
    days = max(1, n // 10)
    return days, min(500, max(5, n // 40)), min(300, max(3, n // 66)), 2 * days


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


class _Chronicle:
    def __init__(self, n: int, seed: int) -> None:
        if n < 1:
            raise ValueError("at least one statement")
        self.rng = random.Random(seed)
        self.n = n
        self.days_count, self.actor_count, self.claim_count, self.source_count = sizes(n)
        self.days = [FIRST_DAY + dt.timedelta(days=i) for i in range(self.days_count)]
        self.records: dict[str, dict[str, Any]] = {}  # path under chronicle/ → data, in writing order

    # -- pieces -----------------------------------------------------------------------------

    def words(self, low: int, high: int) -> str:
        count = self.rng.randint(low, high)
        words = [self.rng.choice(WORDS) for _ in range(count)]
        # Sentences of at least 6 words, each capitalised and closed.
        out: list[str] = []
        length = 0
        for i, word in enumerate(words):
            out.append(word.capitalize() if length == 0 else word)
            length += 1
            if i == count - 1 or (length >= 6 and self.rng.random() < 0.15):
                out[-1] += "."
                length = 0
        return " ".join(out)

    def markdown(self, url: str) -> str:
        before, after = self.words(8, 20), self.words(6, 16)
        link_words = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(2, 4)))
        emphasis = self.rng.choice(WORDS)
        return f"{before} See [{link_words}]({url}); the *{emphasis}* matters. {after}"

    def skewed(self, count: int) -> list[float]:
        return [1 / math.sqrt(rank + 1) for rank in range(count)]

    # -- records ----------------------------------------------------------------------------

    def actors(self) -> list[str]:
        ids: list[str] = []
        groups: list[str] = []
        names = list(itertools.product(FIRST_NAMES, LAST_NAMES))
        self.rng.shuffle(names)
        for i in range(self.actor_count):
            roll = self.rng.random()
            country = self.rng.choice(COUNTRIES)
            data: dict[str, Any]
            if i < 2 or roll < 0.1:
                name = f"Government of {country} {i}"
                data = {"name": name, "kind": "government", "country": country}
            elif roll < 0.2:
                name = f"{self.rng.choice(['Council', 'Agency', 'Mission', 'Alliance'])} {i}"
                data = {"name": name, "kind": "organisation"}
            elif roll < 0.25:
                name = f"{self.rng.choice(PUBLISHERS)} {i}"
                data = {"name": name, "kind": "media"}
            else:
                first, last = names[i % len(names)]
                name = f"{first} {last}"
                data = {"name": name, "kind": "person", "country": country}
                if self.rng.random() < 0.3:
                    data["aliases"] = [f"{first[0]}. {last}"]
                if groups:
                    data["affiliation"] = self.rng.choice(groups)
                role: dict[str, str] = {"title": self.rng.choice(ROLES)}
                if self.rng.random() < 0.5:
                    role["from"] = (FIRST_DAY - dt.timedelta(days=self.rng.randint(30, 2000))).isoformat()
                data["roles"] = [role]
            if self.rng.random() < 0.3:
                data["wikidata"] = f"Q{self.rng.randint(1, 99_999_999)}"
            if self.rng.random() < 0.5:
                data["description"] = self.words(8, 20)
            actor_id = f"{_slug(name)}-{i}" if data["kind"] == "person" else _slug(name)
            if data["kind"] in ("government", "organisation"):
                groups.append(actor_id)
            self.records[f"actors/{actor_id}.yml"] = data
            ids.append(actor_id)
        return ids

    def sources(self) -> list[tuple[str, int]]:
        """Two sources a day: (id, day index)."""
        out: list[tuple[str, int]] = []
        for j in range(self.source_count):
            day_index = j // 2
            day = self.days[day_index]
            publisher = self.rng.choice(PUBLISHERS)
            title_words = self.words(4, 10).rstrip(".")
            source_id = f"{_slug(publisher)}-{day.isoformat()}-{j}"
            path = f"{day.isoformat().replace('-', '/')}/{_slug(title_words)[:60]}"
            data: dict[str, Any] = {
                "title": title_words,
                "publisher": publisher,
                "url": f"https://{_slug(publisher)}.example.org/{path}",
                "published": day.isoformat(),
                "accessed": (day + dt.timedelta(days=self.rng.randint(0, 30))).isoformat(),
                "archive_url": f"https://archive.example.org/{day.isoformat()}/{_slug(publisher)}/{j}",
                "language": "en",
                "kind": self.rng.choice(SOURCE_KINDS),
            }
            if self.rng.random() < 0.3:
                data["via"] = sorted(self.rng.sample(AGENCIES, self.rng.randint(1, 3)))
            self.records[f"sources/{source_id}.yml"] = data
            out.append((source_id, day_index))
        return out

    def claims(self, sources: list[tuple[str, int]]) -> list[str]:
        ids: list[str] = []
        for i in range(self.claim_count):
            title = self.words(8, 14).split(".")[0] + "."
            claim_id = f"{'-'.join(_slug(title).split('-')[:5])}-{i}"
            data: dict[str, Any] = {"title": title}
            if self.rng.random() < 0.7:
                data["summary"] = self.markdown(f"https://example.org/claims/{i}")
            verdicts = []
            for _ in range(self.rng.randint(0, 2)):
                source_id, day_index = self.rng.choice(sources)
                verdicts.append(
                    {
                        "date": self.days[day_index].isoformat(),
                        "rating": self.rng.choice(RATINGS),
                        "note": self.words(10, 30),
                        "sources": [{"source": source_id}],
                    }
                )
            if verdicts:
                data["verdicts"] = sorted(verdicts, key=lambda v: v["date"])
            self.records[f"claims/{claim_id}.yml"] = data
            ids.append(claim_id)
        return ids

    def statements(self, actors: list[str], claims: list[str], sources: list[tuple[str, int]]) -> None:
        counts = [1] * self.days_count
        for _ in range(self.n - self.days_count):
            counts[self.rng.randrange(self.days_count)] += 1
        actor_weights = self.skewed(len(actors))
        claim_weights = self.skewed(len(claims))
        recent: list[str] = []
        number = 0
        for day_index, count in enumerate(counts):
            day = self.days[day_index]
            nearby = [s for s, d in sources[max(0, 2 * (day_index - 2)) : 2 * (day_index + 1)] if d <= day_index]
            for _ in range(count):
                number += 1
                text = self.words(20, 60)
                first_words = [w for w in _slug(text).split("-") if w][:2]
                statement_id = f"s{number:05d}-{'-'.join(first_words)}"
                actor = self.rng.choices(actors, actor_weights)[0]
                data: dict[str, Any] = {}
                if self.rng.random() < 0.3:
                    hour, minute = self.rng.randrange(24), self.rng.randrange(0, 60, 5)
                    offset = self.rng.choice(["+00:00", "+01:00", "+02:00", "+03:00", "-05:00"])
                    data["date"] = f"{day.isoformat()}T{hour:02d}:{minute:02d}{offset}"
                else:
                    data["date"] = day.isoformat()
                data["actor"] = actor
                if self.rng.random() < 0.4:
                    data["role"] = self.rng.choice(ROLES)
                if self.rng.random() < 0.4:
                    data["venue"] = self.rng.choice(VENUES)
                if self.rng.random() < 0.3:
                    data["place"] = f"{self.rng.choice(LAST_NAMES)}burg"
                roll = self.rng.random()
                if roll > 0.9:
                    data["kind"] = "action"
                elif roll > 0.7:
                    data["kind"] = "paraphrase"
                data["text"] = text
                if self.rng.random() < 0.05:
                    data["language"] = self.rng.choice(["ru", "uk", "de", "fr"])
                    data["translation"] = self.words(20, 60)
                cited = self.rng.sample(nearby, min(len(nearby), self.rng.randint(1, 2)))
                data["sources"] = [
                    {"source": s, "locator": f"paragraph {self.rng.randint(1, 20)}"}
                    if self.rng.random() < 0.3
                    else {"source": s}
                    for s in cited
                ]
                chosen: list[str] = []
                while len(chosen) < min(len(claims), self.rng.randint(1, 2)):
                    claim = self.rng.choices(claims, claim_weights)[0]
                    if claim not in chosen:
                        chosen.append(claim)
                data["claims"] = [{"claim": c, "stance": self.rng.choice(STANCES)} for c in chosen]
                if recent and self.rng.random() < 0.1:
                    data["responds_to"] = [self.rng.choice(recent[-50:])]
                if self.rng.random() < 0.2:
                    data["annotation"] = self.markdown(f"https://example.org/notes/{statement_id}")
                folder = day.isoformat().replace("-", "/")
                self.records[f"statements/{folder}/{statement_id}.yml"] = data
                recent.append(statement_id)

    def build(self) -> dict[str, dict[str, Any]]:
        actors = self.actors()
        sources = self.sources()
        claims = self.claims(sources)
        self.statements(actors, claims, sources)
        return self.records


def records(n: int, seed: int = SEED) -> dict[str, dict[str, Any]]:
    """The records of a synthetic chronicle: path under chronicle/ → data (all values text)."""
    return _Chronicle(n, seed).build()


SCHEMA_OF = {"actors": "actor", "claims": "claim", "sources": "source", "statements": "statement"}


def record_text(path: str, data: dict[str, Any]) -> str:
    """A record file's text: the schema line real records have, then the YAML."""
    kind = path.split("/", 1)[0]
    up = "../" * path.count("/")
    header = f"# yaml-language-server: $schema={up}../plugins/mkdocs_chronicle/schemas/{SCHEMA_OF[kind]}.schema.json\n"
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96, default_flow_style=False)
    return header + body


def _clear(target: Path) -> None:
    if not target.exists():
        return
    if any(target.iterdir()) and not (target / MARKER).exists():
        raise SystemExit(f"{target} is not empty and was not made by the generator; refusing to clear it")
    shutil.rmtree(target)


def generate(target: Path, n: int, seed: int = SEED, project: bool = True, source: Path = ROOT) -> Shape:
    """Write a synthetic chronicle of `n` statements (and, with `project`, a buildable site
    around it, copied from the checkout at `source`) into `target`, which is cleared first if
    the generator made it."""
    _clear(target)
    target.mkdir(parents=True)
    (target / MARKER).write_text(f"statements={n} seed={seed}\n", encoding="utf-8")
    data = records(n, seed)
    made: set[Path] = set()
    for path, record in data.items():
        file = target / "chronicle" / path
        if file.parent not in made:
            file.parent.mkdir(parents=True, exist_ok=True)
            made.add(file.parent)
        file.write_text(record_text(path, record), encoding="utf-8")
    if project:
        copy_project(target, n, source)
    kinds = [p.split("/", 1)[0] for p in data]
    days, _, _, _ = sizes(n)
    return Shape(n, days, kinds.count("actors"), kinds.count("claims"), kinds.count("sources"), len(data))


def copy_project(target: Path, n: int, source: Path = ROOT) -> None:
    """The repository's site around the records: its config, pages, theme overrides, CONTRIBUTING.

    mkdocs.yml names its folders relative to itself (docs_dir: content, custom_dir: overrides,
    records_dir: chronicle), the layout copied here, so only the site's name changes."""
    for name in PROJECT_FILES:
        shutil.copy2(source / name, target / name)
    for folder in PROJECT_FOLDERS:
        shutil.copytree(source / folder, target / folder)
    config = target / "mkdocs.yml"
    lines = config.read_text("utf-8").splitlines(keepends=True)
    name = f"site_name: Crisis Chronicle (synthetic, {n} statements)\n"
    lines = [name if line.startswith("site_name:") else line for line in lines]
    config.write_text("".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("statements", type=int)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--records-only", action="store_true", help="write chronicle/ only, no project around it")
    args = parser.parse_args()
    shape = generate(args.target, args.statements, args.seed, project=not args.records_only)
    print(
        f"{args.target}: {shape.statements} statements over {shape.days} days, {shape.actors} actors, "
        f"{shape.claims} claims, {shape.sources} sources"
    )


if __name__ == "__main__":
    main()
