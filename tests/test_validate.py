"""Validation: every problem found, located, and worded so a contributor can fix it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import write_records
from mkdocs_chronicle.validate import Result, validate_folder


def check(root: Path) -> Result:
    return validate_folder(root, "chronicle")


def only_problem(result: Result) -> str:
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return str(result.problems[0])


def test_the_mini_chronicle_is_valid(mini: Path) -> None:
    result = check(mini)
    assert result.problems == []
    chronicle = result.chronicle
    assert chronicle is not None
    assert [s.id for s in chronicle.statements] == ["wallace-no-evidence", "crimea-video", "wallace-later"]
    wallace = chronicle.statements[0]
    assert wallace.moment == dt.datetime(2022, 2, 16, 9, tzinfo=dt.UTC)
    assert wallace.sources[0].locator == "paragraph 4"
    assert chronicle.actors["ben-wallace"].roles[0].title == "UK Defence Secretary"


def test_missing_required_field(mini: Path) -> None:
    write_records(mini, {"sources/report.yml": "title: A report\nurl: https://example.org/\n"})
    assert only_problem(check(mini)) == (
        "chronicle/sources/report.yml:1:1: missing required field 'publisher' (add publisher:)"
    )


def test_unknown_field_suggests_the_known_one(mini: Path) -> None:
    write_records(mini, {"actors/uk-government.yml": "name: UK government\nkind: government\ncountyr: GB\n"})
    assert only_problem(check(mini)) == (
        "chronicle/actors/uk-government.yml:3:1: unknown field 'countyr' (did you mean 'country'?)"
    )


def test_impossible_date_is_refused_at_its_place(mini: Path) -> None:
    text = (mini / "statements/2022/02/17/wallace-later.yml").read_text()
    write_records(mini, {"statements/2022/02/17/wallace-later.yml": text.replace("2022-02-17", "2022-02-30")})
    problems = [str(p) for p in check(mini).problems]
    assert problems == ["chronicle/statements/2022/02/17/wallace-later.yml:1:7: '2022-02-30' is not a calendar date"]


def test_date_must_match_the_folder(mini: Path) -> None:
    text = (mini / "statements/2022/02/17/wallace-later.yml").read_text()
    write_records(mini, {"statements/2022/02/17/wallace-later.yml": text.replace("2022-02-17", "2022-02-18")})
    message = only_problem(check(mini))
    assert message.startswith("chronicle/statements/2022/02/17/wallace-later.yml:1:1: the date 2022-02-18")
    assert "move the file to statements/2022/02/18/" in message


def test_date_in_the_future_is_refused(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2022, 2, 15, tzinfo=dt.UTC).timestamp())))
    problems = [str(p) for p in check(mini).problems]
    assert problems == ["chronicle/statements/2022/02/17/wallace-later.yml:1:7: 2022-02-17 is in the future"]


@pytest.mark.parametrize("value", ["16 February 2022", "2022-2-16", "2022-02-16T09:00", "2022-02-16 09:00+00:00"])
def test_malformed_dates(mini: Path, value: str) -> None:
    text = (mini / "statements/2022/02/17/wallace-later.yml").read_text()
    write_records(mini, {"statements/2022/02/17/wallace-later.yml": text.replace("2022-02-17", value)})
    message = only_problem(check(mini))
    assert ":1:7: " in message and "is not a valid value for 'date'" in message


def test_unknown_actor_suggests_the_right_one(mini: Path) -> None:
    text = (mini / "statements/2022/02/17/wallace-later.yml").read_text()
    write_records(mini, {"statements/2022/02/17/wallace-later.yml": text.replace("ben-wallace", "ben-walace")})
    assert only_problem(check(mini)) == (
        "chronicle/statements/2022/02/17/wallace-later.yml:2:8: "
        "unknown actor 'ben-walace' (did you mean 'ben-wallace'?)"
    )


def test_every_kind_of_reference_is_checked(mini: Path) -> None:
    write_records(
        mini,
        {
            "actors/ben-wallace.yml": "name: Ben Wallace\nkind: person\naffiliation: uk-govt\n",
            "claims/russia-withdrawing-troops.yml": (
                "title: T\nverdicts:\n  - date: 2022-02-16\n    rating: unproven\n    note: N\n"
                "    sources:\n      - source: reportt\n"
            ),
            "statements/2022/02/17/wallace-later.yml": (
                "date: 2022-02-17\nactor: ben-wallace\ntext: T\nsources:\n  - source: repor\n"
                "claims:\n  - claim: russia-withdrawing\n    stance: disputes\nresponds_to:\n  - crimea-vid\n"
            ),
        },
    )
    problems = [str(p) for p in check(mini).problems]
    assert problems == [
        "chronicle/actors/ben-wallace.yml:3:14: unknown actor 'uk-govt' (did you mean 'uk-government'?)",
        "chronicle/claims/russia-withdrawing-troops.yml:7:17: unknown source 'reportt' (did you mean 'report'?)",
        "chronicle/statements/2022/02/17/wallace-later.yml:5:13: unknown source 'repor' (did you mean 'report'?)",
        "chronicle/statements/2022/02/17/wallace-later.yml:7:12: unknown claim 'russia-withdrawing'"
        " (did you mean 'russia-withdrawing-troops'?)",
        "chronicle/statements/2022/02/17/wallace-later.yml:10:5: unknown statement 'crimea-vid'"
        " (did you mean 'crimea-video'?)",
    ]


def test_wrong_enum_value_suggests(mini: Path) -> None:
    text = (mini / "statements/2022/02/16/crimea-video.yml").read_text()
    write_records(mini, {"statements/2022/02/16/crimea-video.yml": text.replace("stance: supports", "stance: support")})
    assert only_problem(check(mini)).endswith(
        ":9:13: 'support' is not one of: supports, disputes, neutral (did you mean 'supports'?)"
    )


def test_wrong_types_are_named(mini: Path) -> None:
    write_records(mini, {"actors/uk-government.yml": "name: [UK]\nkind: government\naliases: UK\n"})
    problems = [str(p) for p in check(mini).problems]
    assert problems == [
        "chronicle/actors/uk-government.yml:1:1: 'name' should be text",
        "chronicle/actors/uk-government.yml:3:1: 'aliases' should be a list"
        " (Other spellings and transliterations (Zelensky, Zelenskyy).)",
    ]


def test_empty_required_value(mini: Path) -> None:
    write_records(mini, {"actors/uk-government.yml": "name:\nkind: government\n"})
    assert "'name' is empty" in only_problem(check(mini))


@pytest.mark.parametrize("name", ["Ben.yml", "ben_wallace.yml", "-ben.yml"])
def test_file_names_must_be_ids(mini: Path, name: str) -> None:
    write_records(mini, {f"actors/{name}": "name: B\nkind: person\n"})
    assert "is not a valid record id" in only_problem(check(mini))


def test_statement_ids_are_unique_across_days(mini: Path) -> None:
    text = (mini / "statements/2022/02/16/crimea-video.yml").read_text()
    write_records(mini, {"statements/2022/02/17/crimea-video.yml": text.replace("2022-02-16", "2022-02-17")})
    assert "the id 'crimea-video' is already used by chronicle/statements/2022/02/16/crimea-video.yml" in only_problem(
        check(mini)
    )


def test_statement_outside_a_day_folder(mini: Path) -> None:
    write_records(mini, {"statements/2022/loose.yml": "date: 2022-02-16\n"})
    assert "statements/YYYY/MM/DD/" in only_problem(check(mini))


def test_all_problems_are_reported_together(mini: Path) -> None:
    write_records(
        mini,
        {
            "actors/uk-government.yml": "name: UK\nkind: state\n",
            "sources/report.yml": "title: R\npublisher: P\nurl: ftp://example.org/\n",
            "statements/2022/02/17/wallace-later.yml": "date: 2022-02-17\nactor: nobody\ntext: T\nsources: []\n",
        },
    )
    result = check(mini)
    assert result.chronicle is None
    assert len(result.errors) == 3
    assert [p.path.rsplit("/", 1)[1] for p in result.problems] == [
        "uk-government.yml",
        "report.yml",
        "wallace-later.yml",
    ]


def test_translation_needs_a_language(mini: Path) -> None:
    text = (mini / "statements/2022/02/17/wallace-later.yml").read_text()
    write_records(mini, {"statements/2022/02/17/wallace-later.yml": text + "translation: T\n"})
    assert "a translation needs the original's language" in only_problem(check(mini))
