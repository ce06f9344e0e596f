"""Term files (plancycle.termfile): reading, checked recording written back with comments kept,
versions and migration, and one-line errors that leave the file as it was."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import pytest

from plancycle import termfile
from plancycle.errors import DataError, InputError, PlanCycleError, RuleViolation
from plancycle.termfile import load_term, read_term_file, record, record_fact

BERGEN = 'election_year = 2027\nmunicipality = "4601"\nconstituted = 2027-10-21\n'
RECORDED = dt.datetime(2028, 12, 1, 9, 30, tzinfo=dt.UTC)


def _file(tmp_path: Path, text: str, name: str = "term.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- reading -------------------------------------------------------------------------------------
def test_a_minimal_two_line_file_is_a_term(tmp_path: Path) -> None:
    term = load_term(_file(tmp_path, 'election_year = 2027\nmunicipality = "1103"\n'))
    assert (term.election_year, term.municipality, term.county) == (2027, "1103", None)
    assert term.facts == () and term.model == "samskaping" and term.mode == "record"
    assert term.schema_version == 1
    assert term.owner().name == "Stavanger"  # type: ignore[union-attr]


def test_a_county_file_is_a_county_term(tmp_path: Path) -> None:
    term = load_term(_file(tmp_path, 'election_year = 2027\ncounty = "46"\n'))
    status = term.status(dt.date(2028, 1, 1), lang="en")
    assert status.county is not None and status.county.name == "Vestland"
    assert status.municipality is None
    assert "county" in status.to_json_dict()
    assert any(m.id.startswith("regional_planstrategi.") for m in status.milestones)


def test_every_optional_key_is_read(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "moter.csv").write_text("date,title\n2027-12-14,Bystyret\n"
                                                  "2028-02-15,Formannskapet\n")
    path = _file(tmp_path, """
election_year = 2027
municipality = "4601"
model = "classic"
mode = "strict"
constituted = "2027-10-21"   # a date in quotes is a date too
election_day = 2027-09-13
handlingsdel_notice = false
meetings = "plans/moter.csv"
meeting_pattern = "bystyre"

[practice.council-budget-meeting]
planned = "12-10"

[[fact]]
milestone = "planstrategi.consultation"
date = 2028-01-10
end = 2028-02-21
recorded = 2028-02-22T10:00:00+01:00
source = "sak 12/28"
""")
    term = load_term(path)
    assert term.model == "classic" and term.mode == "strict"
    assert term.constituted == dt.date(2027, 10, 21)
    assert term.election_day == dt.date(2027, 9, 13)
    assert term.handlingsdel_notice is False
    assert term.practice == {"council-budget-meeting": {"planned": "12-10"}}
    assert term.council_meetings == (dt.date(2027, 12, 14),)  # the pattern picks the council
    (fact,) = term.facts
    assert fact.end == dt.date(2028, 2, 21) and fact.source == "sak 12/28"
    assert fact.recorded == dt.datetime(2028, 2, 22, 9, 0, tzinfo=dt.UTC)


# -- recording -----------------------------------------------------------------------------------
def test_golden_late_planstrategi_is_40_days_late(tmp_path: Path) -> None:
    path = _file(tmp_path, BERGEN)
    fact = record_fact(path, "planstrategi.adopted", dt.date(2028, 11, 30), recorded=RECORDED)
    assert (fact.milestone, fact.date, fact.recorded) == ("planstrategi.adopted",
                                                          dt.date(2028, 11, 30), RECORDED)
    status = load_term(path).status(dt.date(2028, 12, 1), lang="en")
    (late,) = [v for v in status.violations if v.rule == "planstrategi-deadline"]
    # pbl § 10-1: within a year of the constituent meeting, 2028-10-21; 2028-11-30 is 40 days on
    assert late.limit == dt.date(2028, 10, 21) and late.days_late == 40
    assert status.milestone("planstrategi.adopted").status == "done"


def test_the_written_fact_is_a_fact_table_in_utc(tmp_path: Path) -> None:
    path = _file(tmp_path, BERGEN)
    record_fact(path, "planstrategi.adopted", dt.date(2028, 10, 19), source="sak 88/28",
                recorded=dt.datetime(2028, 10, 20, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    text = path.read_text(encoding="utf-8")
    assert text.endswith('[[fact]]\nmilestone = "planstrategi.adopted"\ndate = 2028-10-19\n'
                         'recorded = 2028-10-20T08:15:00Z\nsource = "sak 88/28"\n')
    assert text.startswith("schema_version = 1\nelection_year = 2027\n")
    assert tomllib.loads(text)["fact"][0]["date"] == dt.date(2028, 10, 19)


def test_recording_the_same_fact_twice_leaves_one_fact(tmp_path: Path) -> None:
    path = _file(tmp_path, BERGEN)
    first = record(path, "planstrategi.adopted", dt.date(2028, 10, 19), recorded=RECORDED)
    written = path.read_bytes()
    again = record(path, "planstrategi.adopted", dt.date(2028, 10, 19),
                   recorded=RECORDED + dt.timedelta(days=1))
    assert first.changed and not again.changed
    assert again.fact.recorded == RECORDED  # the fact as first recorded
    assert path.read_bytes() == written
    assert len(load_term(path).facts) == 1


def test_comments_key_order_and_layout_survive_a_record(tmp_path: Path) -> None:
    original = """# Bergen, followed by the planning office
# (one line per decision)

election_year = 2027   # the election
municipality = "4601"
constituted = 2027-10-21

[practice.council-budget-meeting]
planned = "12-10"   # our habit

[[fact]]
milestone = "planstrategi.start"   # kick-off
date = 2027-11-04
"""
    path = _file(tmp_path, original)
    record_fact(path, "planstrategi.adopted", dt.date(2028, 10, 19), recorded=RECORDED)
    text = path.read_text(encoding="utf-8")
    head, body = original.split("\nelection_year", 1)
    assert text.startswith(head + "\nschema_version = 1\nelection_year" + body)
    assert text == (head + "\nschema_version = 1\nelection_year" + body + '\n[[fact]]\n'
                    'milestone = "planstrategi.adopted"\ndate = 2028-10-19\n'
                    'recorded = 2028-12-01T09:30:00Z\n')


def test_closing_an_opened_phase_and_replacing_update_the_facts_own_table(tmp_path: Path) -> None:
    path = _file(tmp_path, BERGEN + '\n[[fact]]\nmilestone = "planstrategi.consultation"  # hearing\n'
                 'date = 2027-12-16\nsource = "sak 1"\n')
    record_fact(path, "planstrategi.consultation", dt.date(2027, 12, 16), end=dt.date(2028, 2, 3),
                recorded=RECORDED)
    text = path.read_text(encoding="utf-8")
    assert text.count("[[fact]]") == 1 and "# hearing" in text and "end = 2028-02-03" in text
    assert load_term(path).facts[0].end == dt.date(2028, 2, 3)
    record_fact(path, "planstrategi.consultation", dt.date(2027, 12, 17), end=dt.date(2028, 2, 4),
                replace=True, recorded=RECORDED, source="sak 2")
    (fact,) = load_term(path).facts
    assert (fact.date, fact.end, fact.source) == (dt.date(2027, 12, 17), dt.date(2028, 2, 4),
                                                  "sak 2")
    assert path.read_text(encoding="utf-8").count("[[fact]]") == 1


def test_a_file_of_inline_fact_tables_gets_an_inline_table(tmp_path: Path) -> None:
    path = _file(tmp_path, BERGEN + "fact = []\n")
    record_fact(path, "planstrategi.adopted", dt.date(2028, 10, 19), recorded=RECORDED)
    assert "fact = [{milestone = " in path.read_text(encoding="utf-8")
    assert len(load_term(path).facts) == 1


def test_crlf_files_keep_their_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "term.toml"
    path.write_bytes(BERGEN.replace("\n", "\r\n").encode())
    record_fact(path, "planstrategi.adopted", dt.date(2028, 10, 19), recorded=RECORDED)
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") > 5


REFUSED: dict[str, tuple[dict[str, Any], type[PlanCycleError], str]] = {
    "unknown milestone": ({"milestone": "planstrategi.adoptd", "date": dt.date(2028, 1, 1)},
                          InputError, "planstrategi.adoptd"),
    "outside the term": ({"milestone": "planstrategi.adopted", "date": dt.date(2032, 1, 1)},
                         InputError, "outside the term"),
    "end of a one-day step": ({"milestone": "planstrategi.adopted", "date": dt.date(2028, 3, 1),
                               "end": dt.date(2028, 3, 2)}, InputError, "single day"),
    "conflict without replace": ({"milestone": "planstrategi.start",
                                  "date": dt.date(2027, 11, 5)}, InputError, "--replace"),
    "before a step it follows": ({"milestone": "planstrategi.adopted",
                                  "date": dt.date(2027, 11, 1)}, InputError, "before"),
    "naive recorded": ({"milestone": "planstrategi.adopted", "date": dt.date(2028, 3, 1),
                        "recorded": dt.datetime(2028, 3, 1, 10, 0)}, InputError, "time zone"),
    "long source": ({"milestone": "planstrategi.adopted", "date": dt.date(2028, 3, 1),
                     "source": "x" * 2001}, DataError, "2001"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_fact_leaves_the_file_byte_identical(case: str, tmp_path: Path) -> None:
    path = _file(tmp_path, "# keep me\n" + BERGEN + '[[fact]]\nmilestone = "planstrategi.start"\n'
                 "date = 2027-11-04\n")
    before = path.read_bytes()
    arguments, error, hint = REFUSED[case]
    arguments = {"recorded": RECORDED, **arguments}
    with pytest.raises(error) as caught:
        record_fact(path, **arguments)
    assert hint in caught.value.in_language("en")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["term.toml"]  # no temporary file left


def test_strict_mode_refuses_in_the_users_language(tmp_path: Path) -> None:
    path = _file(tmp_path, BERGEN + 'mode = "strict"\n')
    before = path.read_bytes()
    with pytest.raises(RuleViolation) as caught:
        record_fact(path, "planstrategi.adopted", dt.date(2028, 11, 30), recorded=RECORDED)
    assert caught.value.violation.rule == "planstrategi-deadline"
    assert "broken" in caught.value.in_language("en")
    assert "brutt" in caught.value.in_language("nb")
    assert "broten" in caught.value.in_language("nn")
    assert path.read_bytes() == before


def test_the_fact_limit_is_enforced_on_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _file(tmp_path, BERGEN + '[[fact]]\nmilestone = "planstrategi.start"\n'
                 "date = 2027-11-04\n")
    monkeypatch.setattr(termfile, "MAX_FACTS", 1)
    before = path.read_bytes()
    with pytest.raises(DataError, match="facts are more than"):
        record_fact(path, "planstrategi.adopted", dt.date(2028, 3, 1), recorded=RECORDED)
    assert path.read_bytes() == before


# -- versions ------------------------------------------------------------------------------------
def test_a_file_without_schema_version_is_version_1(tmp_path: Path) -> None:
    loaded = read_term_file(_file(tmp_path, BERGEN))
    assert loaded.version == 1 and loaded.term.schema_version == 1


def test_a_newer_version_is_refused_naming_file_and_supported_version(tmp_path: Path) -> None:
    path = _file(tmp_path, "schema_version = 2\n" + BERGEN)
    with pytest.raises(DataError) as caught:
        load_term(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: schema_version 2 ") and "1 to 1" in message
    assert "\n" not in message
    assert "nyere plancycle" in caught.value.in_language("nb")


def test_migrate_upgrades_older_files_when_reading_and_recording(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pretend version 2 that renamed ``kommune`` to ``municipality``: a version 1 file with
    ``kommune`` reads, and a recording writes it back as version 2, comments kept."""
    def rename(data: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        data["municipality"] = data.pop("kommune")
        return data

    monkeypatch.setattr(termfile, "TERM_SCHEMA_VERSION", 2)
    monkeypatch.setattr(termfile, "MIGRATIONS", {1: rename})
    path = _file(tmp_path, '# old file\nschema_version = 1\nelection_year = 2027\nkommune = "4601"\n')
    assert load_term(path).municipality == "4601"
    assert termfile.migrate({"kommune": "1103"}, 1) == {"municipality": "1103"}
    record_fact(path, "planstrategi.adopted", dt.date(2028, 10, 19), recorded=RECORDED)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# old file\nschema_version = 2\n") and "kommune" not in text
    assert load_term(path).facts[0].milestone == "planstrategi.adopted"


# -- broken files --------------------------------------------------------------------------------
BROKEN = {
    "broken TOML": ('election_year = 2027\nmunicipality = "4601\n', "not valid TOML"),
    "unknown key": ('election_year = 2027\nmunicipalty = "4601"\n', "'municipalty'"),
    "unknown fact key": (BERGEN + '[[fact]]\nmilestone = "planstrategi.start"\n'
                         "date = 2027-11-04\nwhen = 1\n", "'fact[0].when'"),
    "year as text": ('election_year = "2027"\n', "election_year must be a whole number"),
    "owner as number": ("election_year = 2027\nmunicipality = 4601\n", "municipality must be text"),
    "bad date": ('election_year = 2027\nconstituted = "21.10.2027"\n', "constituted must be a date"),
    "date-time for a date": (BERGEN + '[[fact]]\nmilestone = "planstrategi.start"\n'
                             "date = 2027-11-04T10:00:00Z\n", "fact[0].date must be a date"),
    "local recorded": (BERGEN + '[[fact]]\nmilestone = "planstrategi.start"\ndate = 2027-11-04\n'
                       "recorded = 2027-11-04T10:00:00\n", "fact[0].recorded must be a date-time"),
    "bool as text": (BERGEN + 'handlingsdel_notice = "yes"\n', "true or false"),
    "unknown model": (BERGEN + 'model = "agile"\n', "classic, samskaping, reform"),
    "unknown mode": (BERGEN + 'mode = "lenient"\n', "record, strict"),
    "missing year": ('municipality = "4601"\n', "election_year is missing"),
    "missing date": (BERGEN + '[[fact]]\nmilestone = "planstrategi.start"\n', "fact[0].date is missing"),
    "fact not a table list": (BERGEN + "fact = 3\n", "[[fact]] tables"),
    "a milestone twice": (BERGEN + '[[fact]]\nmilestone = "planstrategi.start"\ndate = 2027-11-04\n'
                          '[[fact]]\nmilestone = "planstrategi.start"\ndate = 2027-11-05\n',
                          "fact[1]: planstrategi.start is already recorded in fact[0]"),
    "unknown fact milestone": (BERGEN + '[[fact]]\nmilestone = "planstrategi.start"\n'
                               'date = 2027-11-04\n[[fact]]\nmilestone = "nope.step"\n'
                               "date = 2028-01-01\n", "fact[1]: unknown milestone 'nope.step'"),
    "fact outside the term": (BERGEN + '[[fact]]\nmilestone = "planstrategi.adopted"\n'
                              "date = 2035-01-01\n", "fact[0]: planstrategi.adopted: the date"),
    "unknown municipality": ('election_year = 2027\nmunicipality = "9999"\n', "municipality: "),
    "not an election year": ("election_year = 2026\n", "not a municipal election year"),
    "two owners": ('election_year = 2027\nmunicipality = "4601"\ncounty = "46"\n', "not both"),
    "unknown practice rule": (BERGEN + "[practice.nope]\nx = 1\n", "practice.nope"),
    "practice value": (BERGEN + "[practice.council-budget-meeting]\nplanned = [1]\n",
                       "practice.council-budget-meeting.planned must be"),
    "missing meeting plan": (BERGEN + 'meetings = "nowhere.csv"\n', "meetings: "),
    "pattern alone": (BERGEN + 'meeting_pattern = "bystyre"\n', "meeting_pattern works only"),
    "version zero": ("schema_version = 0\n" + BERGEN, "from 1 to 1, not 0"),
    "version as text": ('schema_version = "1"\n' + BERGEN, "not '1'"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_is_one_line_naming_the_file_in_three_languages(case: str,
                                                                       tmp_path: Path) -> None:
    text, hint = BROKEN[case]
    path = _file(tmp_path, text)
    with pytest.raises(DataError) as caught:
        load_term(path)
    messages = {lang: caught.value.in_language(lang) for lang in ("nb", "nn", "en")}
    assert hint in messages["en"]
    for message in messages.values():
        assert message.startswith(f"{path}: ") and "\n" not in message
    assert len(set(messages.values())) >= 2, messages  # nb and nn may agree; en does not
    assert messages["en"] != messages["nb"]
    with pytest.raises(DataError):  # and a recording refuses to touch it
        record_fact(path, "planstrategi.start", dt.date(2027, 11, 4), recorded=RECORDED)
    assert path.read_text(encoding="utf-8") == text


def test_unreadable_files_are_one_line_errors(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(DataError, match="does not exist"):
        load_term(missing)
    with pytest.raises(DataError, match="does not exist"):
        record_fact(missing, "planstrategi.start", dt.date(2027, 11, 4), recorded=RECORDED)
    assert not missing.exists()
    with pytest.raises(DataError, match="is not a regular file"):
        load_term(tmp_path)
    fifo = tmp_path / "fifo.toml"  # would block a plain open() until a writer comes
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="is not a regular file"):
        load_term(fifo)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'election_year = 2027\n# Troms\xf8\n')
    with pytest.raises(DataError, match="not UTF-8"):
        load_term(latin)
    monkeypatch.setattr(termfile, "MAX_BYTES", 10)
    with pytest.raises(DataError, match="too big"):
        load_term(_file(tmp_path, BERGEN))


def test_a_deeply_nested_term_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text('election_year = 2027\nmunicipality = "1103"\nx = ' + "[" * 50_000
                    + "]" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(PlanCycleError) as caught:
        load_term(path)
    assert "\n" not in str(caught.value) and "deep.toml" in str(caught.value)
