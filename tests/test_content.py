"""The repository's own records: the content rules of the chronicle, on top of the schemas.

`content_problems` checks a loaded chronicle and names every breach: statements without a
source or with blank text, claims no statement bears on, verdicts without a date or a source,
too few days, statements or speakers, and seed claims with fewer than two verdicts. Some of
these the schemas also enforce; they are checked again here so that a change to the schemas
cannot silently drop them. The first tests run the rules on the records in `chronicle/`; the
last one breaks a copy of them in one way at a time and checks that the breach is named, so
that no rule is a tautology that could never fail.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from conftest import ROOT
from mkdocs_chronicle.model import Chronicle, Citation
from mkdocs_chronicle.validate import validate_folder

MIN_DAYS = 8
MIN_STATEMENTS = 60
MIN_ACTORS_WITH_STATEMENTS = 20

# The claims of the seed report (RFE/RL, 16 February 2022): each must keep at least a verdict
# on what was known around 16 February and one on what was known later.
SEED_CLAIMS = (
    "buildup-is-coercion",
    "invasion-may-be-imminent",
    "russia-no-plan-to-invade",
    "russia-open-to-diplomacy",
    "russia-withdrawing-troops",
    "russian-troops-will-leave-belarus",
)


def content_problems(chronicle: Chronicle) -> list[str]:
    """Every breach of the content rules, one message each; empty when all is well."""
    problems: list[str] = []
    known_sources = set(chronicle.sources)

    for statement in chronicle.statements:
        if not statement.sources:
            problems.append(f"statement {statement.id} cites no source")
        for citation in statement.sources:
            if citation.source not in known_sources:
                problems.append(f"statement {statement.id} cites an unknown source '{citation.source}'")
        if not statement.text.strip():
            problems.append(f"statement {statement.id} has empty text")

    discussed = {link.claim for statement in chronicle.statements for link in statement.claims}
    for claim in chronicle.claims.values():
        if claim.id not in discussed:
            problems.append(f"claim {claim.id} has no statement")
        for i, verdict in enumerate(claim.verdicts, start=1):
            if verdict.date is None:
                problems.append(f"claim {claim.id}: verdict {i} has no date")
            if not verdict.sources:
                problems.append(f"claim {claim.id}: verdict {i} cites no source")
            for citation in verdict.sources:
                if citation.source not in known_sources:
                    problems.append(f"claim {claim.id}: verdict {i} cites an unknown source '{citation.source}'")

    days = {statement.day for statement in chronicle.statements}
    if len(days) < MIN_DAYS:
        problems.append(f"statements on {len(days)} days, fewer than {MIN_DAYS}")
    if len(chronicle.statements) < MIN_STATEMENTS:
        problems.append(f"{len(chronicle.statements)} statements, fewer than {MIN_STATEMENTS}")
    speakers = {statement.actor for statement in chronicle.statements}
    if len(speakers) < MIN_ACTORS_WITH_STATEMENTS:
        problems.append(f"{len(speakers)} actors with statements, fewer than {MIN_ACTORS_WITH_STATEMENTS}")

    for claim_id in SEED_CLAIMS:
        seed_claim = chronicle.claims.get(claim_id)
        if seed_claim is None:
            problems.append(f"seed claim {claim_id} is missing")
        elif len(seed_claim.verdicts) < 2:
            problems.append(f"seed claim {claim_id} has {len(seed_claim.verdicts)} verdict(s), fewer than two")
    return problems


@pytest.fixture(scope="module")
def chronicle() -> Chronicle:
    result = validate_folder(ROOT / "chronicle", "chronicle")
    assert result.chronicle is not None, "\n".join(str(p) for p in result.errors)
    return result.chronicle


def test_the_records_validate_without_errors() -> None:
    # Warnings (such as a source without an archived copy) are for reviewers; errors fail the build.
    result = validate_folder(ROOT / "chronicle", "chronicle")
    assert [str(p) for p in result.errors] == []


def test_the_records_meet_the_content_rules(chronicle: Chronicle) -> None:
    assert content_problems(chronicle) == []


def test_the_seed_claims_have_a_verdict_from_16_february_and_a_later_one(chronicle: Chronicle) -> None:
    for claim_id in SEED_CLAIMS:
        dates = [verdict.date.isoformat() for verdict in chronicle.claims[claim_id].verdicts]
        assert any(d <= "2022-02-17" for d in dates), (claim_id, dates)
        assert any(d >= "2022-02-24" for d in dates), (claim_id, dates)


# -- each rule can fail ------------------------------------------------------------------------

Breakage = Callable[[Chronicle], Chronicle]


def _change_statement(index: int, **changes: object) -> Breakage:
    def breakage(chronicle: Chronicle) -> Chronicle:
        statements = list(chronicle.statements)
        statements[index] = dataclasses.replace(statements[index], **changes)  # type: ignore[arg-type]
        return dataclasses.replace(chronicle, statements=tuple(statements))

    return breakage


def _change_first_verdict(claim_id: str, **changes: object) -> Breakage:
    def breakage(chronicle: Chronicle) -> Chronicle:
        claim = chronicle.claims[claim_id]
        verdicts = (dataclasses.replace(claim.verdicts[0], **changes), *claim.verdicts[1:])  # type: ignore[arg-type]
        return dataclasses.replace(
            chronicle, claims={**chronicle.claims, claim_id: dataclasses.replace(claim, verdicts=verdicts)}
        )

    return breakage


def _unlink_claim(claim_id: str) -> Breakage:
    def breakage(chronicle: Chronicle) -> Chronicle:
        statements = tuple(
            dataclasses.replace(s, claims=tuple(link for link in s.claims if link.claim != claim_id))
            for s in chronicle.statements
        )
        return dataclasses.replace(chronicle, statements=statements)

    return breakage


def _keep_days(count: int) -> Breakage:
    def breakage(chronicle: Chronicle) -> Chronicle:
        days = sorted({s.day for s in chronicle.statements})[:count]
        return dataclasses.replace(chronicle, statements=tuple(s for s in chronicle.statements if s.day in days))

    return breakage


def _keep_statements(count: int) -> Breakage:
    def breakage(chronicle: Chronicle) -> Chronicle:
        return dataclasses.replace(chronicle, statements=chronicle.statements[:count])

    return breakage


def _fold_actors(count: int) -> Breakage:
    def breakage(chronicle: Chronicle) -> Chronicle:
        actors = sorted({s.actor for s in chronicle.statements})[:count]
        statements = tuple(
            s if s.actor in actors else dataclasses.replace(s, actor=actors[0]) for s in chronicle.statements
        )
        return dataclasses.replace(chronicle, statements=statements)

    return breakage


def _drop_later_verdicts(claim_id: str) -> Breakage:
    def breakage(chronicle: Chronicle) -> Chronicle:
        claim = chronicle.claims[claim_id]
        shorter = dataclasses.replace(claim, verdicts=claim.verdicts[:1])
        return dataclasses.replace(chronicle, claims={**chronicle.claims, claim_id: shorter})

    return breakage


def _drop_claim(claim_id: str) -> Breakage:
    def breakage(chronicle: Chronicle) -> Chronicle:
        return dataclasses.replace(chronicle, claims={k: v for k, v in chronicle.claims.items() if k != claim_id})

    return breakage


BREAKAGES: dict[str, tuple[Breakage, str]] = {
    "statement without source": (_change_statement(0, sources=()), "cites no source"),
    "statement citing an unknown source": (
        _change_statement(0, sources=(Citation("no-such-source"),)),
        "cites an unknown source 'no-such-source'",
    ),
    "empty statement text": (_change_statement(-1, text="  \n "), "has empty text"),
    "claim without statement": (_unlink_claim("buildup-is-coercion"), "claim buildup-is-coercion has no statement"),
    "verdict without date": (_change_first_verdict("russia-withdrawing-troops", date=None), "verdict 1 has no date"),
    "verdict without source": (
        _change_first_verdict("russia-withdrawing-troops", sources=()),
        "verdict 1 cites no source",
    ),
    "too few days": (_keep_days(MIN_DAYS - 1), f"fewer than {MIN_DAYS}"),
    "too few statements": (_keep_statements(MIN_STATEMENTS - 1), f"fewer than {MIN_STATEMENTS}"),
    "too few actors": (_fold_actors(MIN_ACTORS_WITH_STATEMENTS - 1), f"fewer than {MIN_ACTORS_WITH_STATEMENTS}"),
    "seed claim with one verdict": (_drop_later_verdicts("russia-no-plan-to-invade"), "fewer than two"),
    "seed claim missing": (
        _drop_claim("russian-troops-will-leave-belarus"),
        "seed claim russian-troops-will-leave-belarus is missing",
    ),
}


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_each_rule_names_its_breach(chronicle: Chronicle, name: str) -> None:
    breakage, expected = BREAKAGES[name]
    problems = content_problems(breakage(chronicle))
    assert any(expected in problem for problem in problems), (name, problems)
