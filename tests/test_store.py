"""The store (plancycle.store) on SQLite and PostgreSQL: facts recorded as ``plancycle record``
records them, append-only rows, idempotent repeats, conflicts, versions, the register and term
imports. Dates are facts a person can check: Stavanger (1103) constitutes its council on
21 October 2027, the term runs to the next constituent meeting in October 2031."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from plancycle.errors import DataError, FactConflictError, InputError, UnknownMunicipalityError
from plancycle.feed.register import load_register
from plancycle.store import Store, StoredFact, owner_segment, parse_owner
from plancycle.term import Term
from plancycle.termfile import load_term

NOW = dt.datetime(2028, 10, 20, 8, 15, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=1)
EXAMPLE = Path(__file__).parent.parent / "examples" / "terms" / "stavanger-2027.toml"


def test_a_recorded_fact_is_in_the_facts_the_term_and_its_status(store: Store) -> None:
    outcome = store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 10, 19),
                           source="sak 2028/123", now=NOW)
    assert outcome.created
    fact = outcome.fact
    assert (fact.owner, fact.election_year, fact.milestone, fact.date, fact.source) == (
        "1103", 2027, "planstrategi.adopted", dt.date(2028, 10, 19), "sak 2028/123")
    assert fact.recorded == NOW and fact.recorded.tzinfo is not None
    assert (fact.replaces, fact.superseded_by, fact.token_id) == (None, None, None)
    assert store.facts("1103", 2027) == [fact]
    term = store.term("1103", 2027)
    assert term.municipality == "1103" and term.fact("planstrategi.adopted") == fact.fact()
    status = term.status(dt.date(2028, 11, 1), lang="en")
    assert status.milestone("planstrategi.adopted").status == "done"
    assert store.owners() == [("1103", 2027)]


def test_the_same_fact_twice_writes_nothing(store: Store) -> None:
    first = store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 10, 19), now=NOW)
    again = store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 10, 19), now=LATER)
    assert first.created and not again.created
    assert again.fact == first.fact  # the stored row, recorded at the first time
    assert len(store.history("1103", 2027)) == 1
    assert store.version("1103", 2027) == 1
    assert [entry.action for entry in store.audit("1103", 2027)] == ["record"]


def test_a_contradicting_fact_is_a_conflict_and_writes_nothing(store: Store) -> None:
    store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 10, 19), now=NOW)
    with pytest.raises(FactConflictError) as caught:
        store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 10, 26), now=LATER)
    assert "2028-10-19" in str(caught.value) and "2028-10-26" in str(caught.value)
    assert len(store.history("1103", 2027)) == 1
    assert store.version("1103", 2027) == 1


@pytest.mark.parametrize(("milestone", "date", "end", "key"), [
    ("planstrategi.adoptd", dt.date(2028, 3, 2), None, "unknown_fact_milestone"),
    ("planstrategi.adopted", dt.date(2032, 3, 2), None, "fact_outside_term"),
    ("planstrategi.adopted", dt.date(2028, 3, 2), dt.date(2028, 3, 3), "fact_end_not_phase"),
    ("planstrategi.consultation", dt.date(2028, 3, 2), dt.date(2028, 3, 1),
     "fact_closed_before_opened"),
])
def test_an_invalid_fact_is_refused_as_plancycle_record_refuses_it(
        store: Store, milestone: str, date: dt.date, end: dt.date | None, key: str) -> None:
    with pytest.raises(InputError) as caught:
        store.record("1103", 2027, milestone, date, end=end, now=NOW)
    assert caught.value.key == key and not isinstance(caught.value, FactConflictError)
    with pytest.raises(InputError) as same:  # what Term.record (plancycle record) says
        Term(election_year=2027, municipality="1103").record(milestone, date, end=end)
    assert str(same.value) == str(caught.value)
    assert store.history("1103", 2027) == [] and store.version("1103", 2027) == 0


def test_a_replacement_is_a_new_row_that_supersedes_the_old(store: Store) -> None:
    old = store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 10, 19), now=NOW).fact
    new = store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 10, 26),
                       replace=True, now=LATER).fact
    assert new.id != old.id and new.replaces == old.id and new.recorded == LATER
    history = store.history("1103", 2027)
    assert [row.id for row in history] == [old.id, new.id]
    assert history[0].superseded_by == new.id and history[0].date == dt.date(2028, 10, 19)
    assert store.facts("1103", 2027) == [new]
    assert store.term("1103", 2027).fact("planstrategi.adopted").date == dt.date(2028, 10, 26)
    audit = store.audit("1103", 2027)
    assert [(e.action, e.fact_id) for e in audit] == [("record", old.id), ("replace", new.id)]
    assert store.version("1103", 2027) == 2


def test_closing_an_opened_phase_supersedes_its_opening(store: Store) -> None:
    opened = store.record("1103", 2027, "planstrategi.consultation", dt.date(2027, 12, 16),
                          now=NOW).fact
    closed = store.record("1103", 2027, "planstrategi.consultation", dt.date(2027, 12, 16),
                          end=dt.date(2028, 2, 3), now=LATER).fact
    assert closed.replaces == opened.id and closed.end == dt.date(2028, 2, 3)
    assert [f.id for f in store.facts("1103", 2027)] == [closed.id]
    # the opening again (no end) is the same fact: nothing written
    again = store.record("1103", 2027, "planstrategi.consultation", dt.date(2027, 12, 16), now=LATER)
    assert not again.created and again.fact == closed


def test_versions_count_changes_per_term(store: Store) -> None:
    assert store.version("1103", 2027) == 0
    store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 10, 19), now=NOW)
    store.record("fylke-46", 2027, "regional_planstrategi.adopted", dt.date(2028, 6, 15),
                 now=NOW)
    store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 10, 19), now=NOW)
    assert (store.version("1103", 2027), store.version("fylke-46", 2027)) == (1, 1)
    assert store.version("1103", 2031) == 0
    assert store.owners() == [("1103", 2027), ("fylke-46", 2027)]
    assert store.term("fylke-46", 2027).county == "46"


def test_owners_and_years_are_checked(store: Store) -> None:
    with pytest.raises(UnknownMunicipalityError):
        store.record("9999", 2027, "planstrategi.adopted", dt.date(2028, 10, 19), now=NOW)
    for owner in ("Stavanger", "fylke-4", "46", "1103 ", "x" * 10_000):
        with pytest.raises(InputError) as caught:
            store.facts(owner, 2027)
        assert caught.value.key == "store_owner"
    with pytest.raises(InputError):
        store.term("1103", 2026)  # no municipal election in 2026
    assert owner_segment(parse_owner("fylke-46")) == "fylke-46"
    assert parse_owner("1103").name == "Stavanger"


@pytest.mark.parametrize(("kwargs", "key"), [
    ({"source": "x" * 2_001}, "store_text_too_long"),
    ({"source": "line one\nline two"}, "store_text_control"),
    ({"milestone": "planstrategi.adopted" * 20}, "store_text_too_long"),
])
def test_stored_texts_are_bounded(store: Store, kwargs: dict[str, Any], key: str) -> None:
    arguments: dict[str, Any] = {"milestone": "planstrategi.adopted", **kwargs}
    milestone = arguments.pop("milestone")
    with pytest.raises(InputError) as caught:
        store.record("1103", 2027, milestone, dt.date(2028, 10, 19), now=NOW, **arguments)
    assert caught.value.key == key
    assert store.history("1103", 2027) == []


def test_now_must_be_an_aware_datetime(store: Store) -> None:
    with pytest.raises(InputError):
        store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 10, 19),
                     now=dt.datetime(2028, 10, 20))
    with pytest.raises(InputError):
        store.record("1103", 2027, "planstrategi.adopted", "2028-10-19",  # type: ignore[arg-type]
                     now=NOW)


def test_a_stored_fact_as_json_has_iso_dates_and_no_token(store: Store) -> None:
    token, info = store.create_token("municipality", "1103", label="WebSak", now=NOW)
    del token
    fact = store.record("1103", 2027, "planstrategi.consultation", dt.date(2027, 12, 16),
                        end=dt.date(2028, 2, 3), token=info, now=NOW).fact
    assert fact.token_id == info.id
    data = fact.to_json_dict()
    assert data["date"] == "2027-12-16" and data["end"] == "2028-02-03"
    assert data["recorded"] == "2028-10-20T08:15:00+00:00"
    assert "token_id" not in data
    entry = store.audit("1103", 2027)[0]
    assert (entry.token_id, entry.token_label) == (info.id, "WebSak")
    assert entry.to_json_dict()["at"] == "2028-10-20T08:15:00+00:00"


def test_put_term_stores_settings_and_facts_once(store: Store) -> None:
    term = load_term(EXAMPLE)
    written = store.put_term(term, now=NOW)
    assert written == len(term.facts) > 0
    assert store.put_term(term, now=LATER) == 0
    assert store.version("1103", 2027) == 1
    stored = store.term("1103", 2027)
    assert stored.model_dump(exclude={"facts"}) == term.model_dump(exclude={"facts"})
    assert stored.facts == term.facts  # recorded times and sources kept
    assert {e.action for e in store.audit("1103", 2027)} == {"import"}
    assert store.history("1103", 2027)[0].recorded == term.facts[0].recorded


def test_put_term_keeps_stored_settings_unless_asked(store: Store) -> None:
    store.put_term(Term(election_year=2027, municipality="1103", model="classic"), now=NOW)
    store.put_term(Term(election_year=2027, municipality="1103", model="reform"), now=NOW,
                   replace_settings=False)
    assert store.term("1103", 2027).model == "classic"
    store.put_term(Term(election_year=2027, municipality="1103", model="reform"), now=NOW)
    assert store.term("1103", 2027).model == "reform"
    assert store.version("1103", 2027) == 2


def test_put_term_refuses_a_term_without_owner(store: Store) -> None:
    with pytest.raises(InputError) as caught:
        store.put_term(Term(election_year=2027), now=NOW)
    assert caught.value.key == "store_term_no_owner"


REGISTER = """
[meeting_patterns]
"stavanger-2027-2028.ics" = "^Bystyret"

[[decision]]
municipality = "1103"
election_year = 2027
recorded = 2027-06-10T12:00:00Z
constituted = 2027-10-19

[[decision]]
municipality = "1103"
election_year = 2027
recorded = 2027-09-01T12:00:00Z
meetings = "stavanger-2027-2028.ics"

[[decision]]
county = "46"
election_year = 2027
recorded = 2027-06-11T12:00:00Z
constituted = 2027-10-20
"""


def test_the_register_round_trips_and_imports_once(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "register.toml"
    path.write_text(REGISTER, encoding="utf-8")
    register = load_register(path)
    assert store.register_version() == 0
    assert store.import_register(register, now=NOW) == 4  # three states, one pattern
    assert store.register() == register
    assert store.import_register(register, now=LATER) == 0
    assert store.register_version() == 1
    states = store.register().states[("k1103", 2027)]
    assert states[1].constituted == dt.date(2027, 10, 19)  # a state keeps the earlier decision
    assert states[1].meetings == "stavanger-2027-2028.ics"


def test_the_register_is_only_added_to(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "register.toml"
    path.write_text(REGISTER, encoding="utf-8")
    store.import_register(load_register(path), now=NOW)
    path.write_text(REGISTER.replace("constituted = 2027-10-19", "constituted = 2027-10-21"),
                    encoding="utf-8")
    with pytest.raises(DataError) as caught:
        store.import_register(load_register(path), now=LATER)
    assert caught.value.key == "store_register_conflict"
    assert store.register_version() == 1


def test_store_open_checks_the_url_and_hides_the_password() -> None:
    for url in ("", "mysql://user@host/db", "not a url", "sqlite://", "sqlite:///:memory:"):
        with pytest.raises(InputError):
            Store.open(url)
    store = Store.open("postgresql://planner:secret@db.example.no/plan")
    try:
        assert "secret" not in store.url and store.url.startswith("postgresql+psycopg://")
    finally:
        store.close()


def test_stored_fact_gives_the_terms_fact() -> None:
    row = StoredFact(id=1, owner="1103", election_year=2027, milestone="planstrategi.adopted",
                     date=dt.date(2028, 10, 19), end=None, source="sak", recorded=NOW,
                     replaces=None, superseded_by=None, token_id=None)
    fact = row.fact()
    assert (fact.milestone, fact.date, fact.recorded, fact.source) == (
        "planstrategi.adopted", dt.date(2028, 10, 19), NOW, "sak")


def test_the_library_and_the_command_line_do_not_import_sqlalchemy(fresh_process: Any) -> None:
    out = fresh_process("import sys, plancycle, plancycle.cli\nplancycle.cli.build_parser()\n"
                        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
                        "('sqlalchemy', 'alembic', 'psycopg') or m == 'plancycle.store'))")
    assert out == b"[]\n"


def test_an_owner_is_that_of_its_term_1201_bergen_in_2015(store: Store) -> None:
    """Bergen was 1201 until 1 January 2020 (SSB): a 2015 term is stored under 1201, 4601 is
    refused for it naming 1201, and a token may be made for an owner of an earlier term."""
    when = dt.datetime(2016, 1, 5, 9, 0, tzinfo=dt.UTC)
    outcome = store.record("1201", 2015, "election.constituent_meeting", dt.date(2015, 10, 22),
                           now=when)
    assert outcome.created and outcome.fact.owner == "1201"
    assert store.term("1201", 2015).municipality == "1201"
    with pytest.raises(UnknownMunicipalityError, match="1201 Bergen"):
        store.facts("4601", 2015)
    with pytest.raises(UnknownMunicipalityError, match="4601 Bergen"):
        store.facts("1201", 2019)
    _, token = store.create_token("municipality", "1201", now=when)
    assert token.owner == "1201" and token.may_write("1201")


def test_a_term_with_a_plan_register_keeps_it_and_its_plan_facts(store: Store) -> None:
    """The planstrategi's register and decisions are settings of the stored term: imported
    with it, read back equal, and a plan milestone is recorded like any other."""
    term = load_term(Path(__file__).parents[1] / "examples" / "plans" / "eksempelby-2027.toml")
    assert term.plans is not None and term.plans.plans
    store.put_term(term, now=NOW)
    owner = owner_segment(term.owner())  # type: ignore[arg-type]
    stored = store.term(owner, 2027)
    assert stored.plans == term.plans
    first = next(m for m in stored.plan().milestones
                 if m.id.startswith("plan.") and m.kind != "phase")
    outcome = store.record(owner, 2027, first.id, first.start, now=NOW)
    assert outcome.created and store.term(owner, 2027).fact(first.id) is not None
