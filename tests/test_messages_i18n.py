"""Every message a user meets is in bokmål, nynorsk and English (issue 13).

- every label has the three languages with the same placeholders;
- no raise of a plancycle error carries inline text (an AST lint over the source);
- each bad input of the command line, run in the default language (bokmål), prints no English;
- violations, transitions, scenario errors, notes and the calendar read in the language asked for.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar

from plancycle import ElectionPeriod, build_schedule, find_municipality, to_ical
from plancycle.cli import run as cli
from plancycle.errors import InvalidTransitionError, PlanCycleError, RuleViolation
from plancycle.i18n import LANGUAGES, catalogue
from plancycle.machine import ProcessInstance
from plancycle.messages import msg, os_reason
from plancycle.processes import definition
from plancycle.simulation import ScenarioError, load_scenario

SRC = Path(__file__).resolve().parent.parent / "src" / "plancycle"

# -- the catalogue -----------------------------------------------------------------------------------


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_label_is_in_three_languages_with_the_same_placeholders() -> None:
    labels = catalogue().label
    assert len(labels) > 900  # the whole catalogue, not one file
    for key, text in labels.items():
        values = {lang: text.get(lang) for lang in LANGUAGES}
        assert all(value.strip() for value in values.values()), f"{key}: an empty text"
        fields = {lang: _fields(value) for lang, value in values.items()}
        assert fields["nb"] == fields["nn"] == fields["en"], f"{key}: placeholders differ {fields}"


def test_the_new_messages_are_norwegian_in_norwegian() -> None:
    labels = catalogue().label
    ours = [key for key in labels if key.startswith(("error_scenario_", "error_saved_run_",
                                                       "error_transition_", "scn_", "os_reason_"))]
    assert len(ours) > 60
    for key in ours:
        text = labels[key]
        # a text of placeholders only ("{file}: {problem}") is the same in every language
        if re.search(r"[A-Za-z]", re.sub(r"\{\w+\}", "", text["en"])):
            assert text["nb"] != text["en"] and text["nn"] != text["en"], key


# -- no inline text in a raise ---------------------------------------------------------------------------

#: Raises that may carry English text, and why.
ALLOWED = {
    # argparse's own wording, matched by ``cli.usage_message`` and shown in the user's language
    ("commands/_options.py", "ArgumentTypeError"), ("commands/_options.py", "UsageError"),
    ("commands/plans.py", "ArgumentTypeError"),
    # a broken *shipped* data file (rules, texts, process definitions): no user input reaches
    # these; they are a bug report for the maintainers, in English
    ("deadlines.py", "DataError"), ("rules.py", "DataError"), ("i18n.py", "DataError"),
    ("textfiles.py", "DataError"),
    ("planning/engine.py", "DataError"),
}


def _error_classes(trees: dict[str, ast.Module]) -> set[str]:
    """Names of PlanCycleError and every class deriving from it in the source, by name."""
    classes = [node for tree in trees.values() for node in ast.walk(tree)
               if isinstance(node, ast.ClassDef)]
    found = {"PlanCycleError"}
    grown = True
    while grown:
        grown = False
        for node in classes:
            bases = {b.id if isinstance(b, ast.Name) else b.attr for b in node.bases
                     if isinstance(b, ast.Name | ast.Attribute)}
            if node.name not in found and bases & found:
                found.add(node.name)
                grown = True
    return found


def _inline_text(node: ast.expr) -> bool:
    """A string literal, f-string, ``%`` / ``+`` or ``.format`` with words (a space) in it."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(ch.isspace() for ch in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_inline_text(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _inline_text(node.left) or _inline_text(node.right)
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format")


def inline_raises(trees: dict[str, ast.Module]) -> Iterator[tuple[str, int, str]]:
    """``(file, line, exception)`` of every raise of a plancycle error (and, in the commands,
    of a usage error) whose message is inline text instead of a catalogue key."""
    errors = _error_classes(trees)
    for name, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
                continue
            func = node.exc.func
            called = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) else "")
            watched = called in errors or (name.startswith("commands/") and called in (
                "UsageError", "ArgumentTypeError"))
            texts = [*node.exc.args, *(k.value for k in node.exc.keywords if k.arg == "message")]
            if watched and any(_inline_text(arg) for arg in texts):
                yield name, node.lineno, called


def _source_trees() -> dict[str, ast.Module]:
    return {path.relative_to(SRC).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(SRC.rglob("*.py"))}


def test_no_raise_carries_inline_english() -> None:
    found = [f"{name}:{line} {called}" for name, line, called in inline_raises(_source_trees())
             if (name, called) not in ALLOWED]
    assert found == [], "raise with a key= (label error_<key>), not inline text: " + ", ".join(found)


def test_the_allow_list_is_still_needed() -> None:
    used = {(name, called) for name, _, called in inline_raises(_source_trees())}
    assert used >= ALLOWED, f"no longer needed: {ALLOWED - used}"


def test_the_lint_finds_inline_text() -> None:
    planted = ast.parse(
        "class ScenarioError(InputError): ...\n"
        "class InputError(PlanCycleError): ...\n"
        "def f(x):\n"
        "    if x:\n"
        "        raise ScenarioError('field', f'{x} is not allowed')\n"
        "    raise InputError('bad ' + x)\n"
        "def g(x):\n"
        "    raise InputError(key='fine', value=x)\n")
    found = sorted(inline_raises({"planted.py": planted}))
    assert [(line, called) for _, line, called in found] == [(5, "ScenarioError"),
                                                            (6, "InputError")]


# -- the command line in bokmål -------------------------------------------------------------------------

#: English words that are no Norwegian words (so "for", "in", "plan", "under", "at" are not here).
ENGLISH = frozenset((
    "the", "of", "with", "which", "is", "are", "must", "not", "file", "cannot", "allowed", "give",
    "use", "unknown", "missing", "given", "should", "input", "expected", "only", "either", "has",
    "have", "was", "were", "invalid", "this", "that", "than", "more", "or", "and", "one",
    "folder", "exist", "exists", "such", "directory", "before", "after", "between", "when",
    "where", "while", "here", "there", "been", "being", "could", "would", "does", "read",
    "written", "known", "field", "spelling", "required", "number", "whole"))


def _english_words(line: str) -> set[str]:
    message = re.sub(r"^plancycle: \w+: ", "", line)  # the prefix is another part's (issue 13)
    message = re.sub(r"'[^']*'|«[^»]*»|\"[^\"]*\"", " ", message)  # values the user gave
    return {word for word in re.findall(r"[A-Za-z][\w'-]*", message) if word.lower() in ENGLISH}


HEAD = """\
name = "test"
election_year = 2027
municipality = "Lom"
"""
EVENTS = """
[[events]]
type = "constituted"
date = 2027-10-21
"""
GOOD = HEAD + EVENTS

BAD_SCENARIOS = {
    "unknown_field": HEAD + "colour = 3\n" + EVENTS,
    "no_year": GOOD.replace("election_year = 2027\n", ""),
    "bad_year": GOOD.replace("2027\n", "2026\n", 1),
    "model": HEAD + 'model = "modern"\n' + EVENTS,
    "municipality": GOOD.replace('"Lom"', '"Atlantis"'),
    "event_type": GOOD + '\n[[events]]\ntype = "earthquake"\ndate = 2028-01-01\n',
    "no_type": GOOD + '\n[[events]]\ndate = 2028-01-01\n',
    "days_text": GOOD + '\n[[events]]\ntype = "delay"\nmilestone = "samfunnsdel.adopted"\n'
                        'days = "three"\n',
    "delay_zero": GOOD + '\n[[events]]\ntype = "delay"\nmilestone = "samfunnsdel.adopted"\n',
    "not_a_date": GOOD + '\n[[events]]\ntype = "meeting_cancelled"\ndate = "next tuesday"\n',
    "outside": GOOD + '\n[[events]]\ntype = "meeting_cancelled"\ndate = 2032-01-05\n',
    "order": GOOD + '\n[[events]]\ntype = "meeting_cancelled"\ndate = 2028-05-01\n'
                    '\n[[events]]\ntype = "meeting_cancelled"\ndate = 2028-04-01\n',
    "published": GOOD + '\n[[events]]\ntype = "published"\n'
                        'milestone = "planstrategi.proposal_public"\n',
    "moved": GOOD + '\n[[events]]\ntype = "meeting_cancelled"\ndate = 2028-05-01\n'
                    'moved_to = 2028-04-01\n',
    "unknown_milestone": GOOD + '\n[[events]]\ntype = "delay"\nmilestone = "samfunnsdel.nope"\n'
                                'days = 3\n',
    "trigger": GOOD + '\n[[events]]\ntype = "fire"\nprocess = "samfunnsdel"\n'
                      'trigger = "explode"\ndate = 2028-01-01\n',
    "process": GOOD + '\n[[events]]\ntype = "fire"\nprocess = "nope"\ntrigger = "x"\n'
                      'date = 2028-01-01\n',
    "runs": GOOD + "\n[variation]\nruns = 0\n",
    "not_phase": GOOD + '\n[[variation.phases]]\nmilestone = "samfunnsdel.adopted"\n'
                        'length_days = [1, 2]\n',
    "variation_order": GOOD + '\n[[variation.phases]]\nmilestone = "samfunnsdel.drafting"\n'
                              'length_days = [9, 2]\n',
    "variation_values": GOOD + '\n[[variation.phases]]\nmilestone = "samfunnsdel.drafting"\n'
                               'length_days = [1]\n',
    "constituted_twice": GOOD + '\n[[events]]\ntype = "constituted"\ndate = 2027-10-28\n',
    "two_problems": HEAD + "colour = 3\nshade = 4\nhue = 5\n" + EVENTS,
    "both_municipality": HEAD + 'municipalities = ["Lom"]\n' + EVENTS,
    "edge": HEAD + EVENTS + '\n[[variation.phases]]\nmilestone = "samfunnsdel.drafting"\n'
                           'length_days = [1, 2]\nedge = "middle"\n',
    "not_toml": "election_year = = 2027\n",
}


def _saved_state(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> bytes:
    scenario = tmp_path / "good.toml"
    scenario.write_text(GOOD, encoding="utf-8")
    state = tmp_path / "run.json"
    assert cli(["simulate", str(scenario), "--until", "2028-06-01", "--save-state",
                str(state)]) == 0
    capsys.readouterr()
    return state.read_bytes()


def _bad_runs(tmp_path: Path, raw: bytes) -> dict[str, bytes]:
    data = json.loads(raw)
    unknown_key = json.loads(raw)
    unknown_key["adjustments"]["shfit"] = {}
    run_outside = dict(data, run=7)
    return {
        "truncated": raw[: len(raw) // 2], "garbage": b"\x00garbage" + raw,
        "not_object": b"[1, 2]", "not_utf8": b"\xff\xfe{}",
        "newer": raw.replace(b'"schema_version": 1', b'"schema_version": 99'),
        "no_version": raw.replace(b'"schema_version": 1,', b""),
        "model": raw.replace(b'"model": "samskaping"', b'"model": "magic"'),
        "state": raw.replace(b'"state": "governing"', b'"state": "flying"'),
        "unknown_key": json.dumps(unknown_key).encode(),
        "run": json.dumps(run_outside).encode(),
    }


def test_every_bad_input_of_the_command_line_is_told_in_bokmal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = _saved_state(tmp_path, capsys)
    good = tmp_path / "good.toml"
    missing = tmp_path / "borte"
    cases: list[list[str]] = [
        ["schedule", "--municipality", "Atlantis", "--election-year", "2027"],
        ["schedule", "--municipality", "Oslo", "--election-year", "2026"],
        ["schedule", "--municipality", "Oslo", "--election-year", "abc"],
        ["schedule", "--municipality", "Oslo", "--election-year", "2027",
         "--constituted", "2027-02-30"],
        ["schedule", "--municipality", "Oslo", "--election-year", "2027",
         "--output", str(missing / "x.csv")],
        ["schedule", "--municipality", "Oslo", "--election-year", "2027",
         "--output", str(tmp_path)],
        ["simulate"],
        ["simulate", str(good), "--resume", str(tmp_path / "run.json")],
        ["simulate", "--resume", str(tmp_path / "run.json"), "--runs", "3"],
        ["simulate", str(missing / "scenario.toml")],
        ["simulate", str(good), "--runs", "3", "--until", "2028-01-01"],
        ["simulate", str(good), "--save-state", str(missing / "run.json")],
        ["simulate", "--resume", str(missing / "run.json")],
        ["compare"],
        ["compare", "--scenario", str(good), "--election-year", "2031"],
        ["compare", "--election-year", "2026"],
        ["compare", "--election-year", "2027", "--municipality", "Atlantis"],
    ]
    for number, text in enumerate(BAD_SCENARIOS.values()):
        path = tmp_path / f"s{number}.toml"
        path.write_text(text, encoding="utf-8")
        cases += [["simulate", str(path)], ["compare", "--scenario", str(path)]]
    not_utf8 = tmp_path / "latin1.toml"
    not_utf8.write_bytes("name = \"Tromsø\"\n".encode("latin-1"))
    cases.append(["simulate", str(not_utf8)])
    for number, data in enumerate(_bad_runs(tmp_path, raw).values()):
        path = tmp_path / f"k{number}.json"
        path.write_bytes(data)
        cases.append(["simulate", "--resume", str(path)])
    english = {}
    for args in cases:
        assert cli(args) == 2, args
        err = capsys.readouterr().err.replace(str(tmp_path), "")
        line = err.strip().splitlines()[-1]  # after any warnings about the schedule
        found = _english_words(line)
        if found:
            english[" ".join(args).replace(str(tmp_path), "")] = (sorted(found), line)
    assert english == {}
    assert not missing.exists()  # nothing half-written


def test_the_word_list_catches_english() -> None:
    assert _english_words("plancycle: error: x.toml: foo: is not a known field here") == {
        "is", "not", "known", "field", "here"}
    assert _english_words("plancycle: feil: x.toml: foo: er ikke et kjent felt her") == set()


# -- languages of the library's messages ---------------------------------------------------------------

def test_a_scenario_error_reads_in_every_language(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(GOOD + '\n[[events]]\ntype = "meeting_cancelled"\ndate = 2032-01-05\n',
                    encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    error = caught.value
    assert error.key == "scenario_problem" and error.field == "events[1].date"
    where = f"{path}: events[1].date: "
    assert error.in_language("nb") == where + ("2032-01-05 er utenfor valgperioden "
                                               "2027-01-01 … 2031-10-31")
    assert error.in_language("nn") == where + ("2032-01-05 er utanfor valperioden "
                                               "2027-01-01 … 2031-10-31")
    assert str(error) == where + "2032-01-05 is outside the term 2027-01-01 … 2031-10-31"


def test_two_problems_say_one_more_problem_in_the_singular(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(HEAD + "colour = 3\nshade = 4\n" + EVENTS, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.in_language("nb").endswith("(og 1 problem til)")
    assert str(caught.value).endswith("(and 1 more problem)")


def _planstrategi(mode: str = "strict") -> ProcessInstance:
    return ProcessInstance(definition("planstrategi", "classic"), ElectionPeriod.for_year(2027),
                           mode=mode)  # type: ignore[arg-type]


def test_a_transition_not_allowed_reads_in_every_language() -> None:
    instance = _planstrategi()
    with pytest.raises(InvalidTransitionError) as caught:
        instance.fire("adopt", dt.date(2028, 1, 1))
    assert caught.value.in_language("nb").startswith("planstrategi: 'adopt' er ikke mulig i "
                                                     "tilstanden 'not_started'; tillatt: ")
    assert caught.value.in_language("nn").startswith("planstrategi: 'adopt' er ikkje mogleg")
    assert str(caught.value).startswith("planstrategi: 'adopt' is not possible in state")


def _late_adoption() -> ProcessInstance:
    """A planstrategi adopted 2029-01-10: after its deadline, 21 October 2028 (one year after the
    constituent meeting of 21 October 2027, pbl § 10-1)."""
    instance = _planstrategi("record")
    day = dt.date(2027, 11, 1)
    while not instance.is_finished:
        trigger = instance.allowed_triggers()[0]
        day = max(day, dt.date(2029, 1, 10) if trigger == "adopt" else day)
        instance.fire(trigger, day)
        day += dt.timedelta(days=60)
    return instance


def test_a_violation_has_its_message_and_fix_in_every_language() -> None:
    late = [v for v in _late_adoption().violations if v.rule == "planstrategi-deadline"]
    assert late, "the late adoption breaks the planstrategi deadline"
    violation = late[0]
    assert violation.limit == dt.date(2028, 10, 21)
    assert "2028-10-21" in violation.fix_in("nb") and "2028-10-21" in violation.fix_in("en")
    assert violation.message_in("nb") != violation.message_in("en")
    assert violation.message_in("nn") != violation.message_in("nb")
    assert "lovpålagt" in violation.message_in("nb")
    assert violation.message == violation.message_in("en")  # the instance's language


def test_a_strict_refusal_reads_in_the_language_asked_for() -> None:
    late = next(v for v in _late_adoption().violations if v.binding == "statutory")
    refusal = RuleViolation(late)
    assert refusal.in_language("nb") == f"{late.message_in('nb')} {late.fix_in('nb')}"
    assert str(refusal) == f"{late.message_in('en')} {late.fix_in('en')}"


def test_notes_of_a_simulation_are_shown_in_the_report_language(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.toml"
    path.write_text(GOOD + '\n[[events]]\ntype = "meeting_cancelled"\ndate = 2028-01-05\n',
                    encoding="utf-8")
    assert cli(["simulate", str(path)]) == 0
    out = capsys.readouterr().out
    assert ("events[1] (møtet 2028-01-05 avlyst): ingen kommunestyrevedtak var planlagt den "
            "dagen; ingenting ble flyttet") in out
    assert cli(["simulate", str(path), "--lang", "en"]) == 0
    assert "events[1] (meeting 2028-01-05 cancelled): no council decision was planned" in \
        capsys.readouterr().out


def test_an_event_of_one_day_is_described_in_the_singular() -> None:
    assert msg("scn_describe_delay_one", milestone="x", days=1).in_language("nb") == \
        "x forskjøvet 1 dag"
    assert str(msg("scn_describe_published_before", milestone="x", days=7)) == \
        "x published 7 days before the decision"


def test_a_missing_file_is_said_in_the_user_language() -> None:
    reason = os_reason(FileNotFoundError(2, "No such file or directory"))
    assert not isinstance(reason, str)
    assert [reason.in_language(lang) for lang in LANGUAGES] == [
        "finnes ikke", "finst ikkje", "no such file or folder"]
    assert os_reason(OSError(1234, "Odd")) == "Odd"  # an unusual errno: the system's words


def test_error_fields_that_are_messages_are_translated() -> None:
    error = PlanCycleError(key="scenario_unreadable", reason=msg("os_reason_eacces"))
    assert error.in_language("nn") == "kan ikkje lesast: inga tilgang"
    assert str(error) == "cannot be read: permission denied"


# -- the assumed-date warnings name their option ------------------------------------------------------

def test_the_assumed_dates_name_the_option_that_fixes_them() -> None:
    schedule = build_schedule(ElectionPeriod.for_year(2027), find_municipality("Lom", 2027))
    warnings = " ".join(schedule.warnings)
    assert "--constituted ÅÅÅÅ-MM-DD" in warnings and "--election-day ÅÅÅÅ-MM-DD" in warnings
    english = build_schedule(ElectionPeriod.for_year(2027), lang="en")
    assert "election_day_override in Python" in " ".join(english.warnings)


# -- the calendar ---------------------------------------------------------------------------------------

def _events(lang: str, alarms: tuple[int, ...] = ()) -> dict[str, object]:
    schedule = build_schedule(ElectionPeriod.for_year(2027), find_municipality("Stavanger", 2027),
                              lang=lang)  # type: ignore[arg-type]
    calendar = Calendar.from_ical(to_ical(schedule, alarms=alarms))
    return {str(event["UID"]).split("-t2027-")[1].split("@")[0]: event
            for event in calendar.walk("VEVENT")}


def test_calendar_categories_are_words_in_the_schedule_language() -> None:
    budget = _events("nb")["action_economy_plan.2027.adopted"]
    assert [str(c) for c in budget["CATEGORIES"].cats] == [  # type: ignore[index]
        "Handlings- og økonomiplan", "Lovpålagt"]
    strategy = _events("nn")["planstrategi.adopted"]
    assert [str(c) for c in strategy["CATEGORIES"].cats] == [  # type: ignore[index]
        "Kommunal planstrategi", "Lovpålagd"]
    english = _events("en")["planstrategi.adopted"]
    assert [str(c) for c in english["CATEGORIES"].cats] == [  # type: ignore[index]
        "Municipal planning strategy", "Statutory"]


def test_a_reminder_one_day_before_says_tomorrow_and_a_week_before_in_plural() -> None:
    event = _events("nb", alarms=(7, 1))["planstrategi.adopted"]
    texts = sorted(str(alarm["DESCRIPTION"]) for alarm in event.walk("VALARM"))  # type: ignore[attr-defined]
    assert texts == ["I morgen: Kommunal planstrategi vedtatt i kommunestyret",
                     "Om 7 dager: Kommunal planstrategi vedtatt i kommunestyret"]
    assert not any("Om 1 dager" in text for text in texts)


def test_the_tertial_reports_read_as_a_norwegian_planner_writes_them() -> None:
    events = _events("nb")
    assert str(events["action_economy_plan.2028.tertial_report_1"]["SUMMARY"]) == \
        "1. tertialrapport 2028"  # type: ignore[index]
    assert str(events["samfunnsdel.drafting"]["SUMMARY"]) == \
        "Utarbeidelse av samfunnsdelen"  # type: ignore[index]


@pytest.mark.parametrize(("lang", "words"), [("nb", "møtet 2028-09-21 avlyst"),
                                             ("en", "meeting 2028-09-21 cancelled")])
def test_simulation_json_gives_each_note_as_text_in_its_language(
        lang: str, words: str, capsys: pytest.CaptureFixture[str]) -> None:
    # examples/scenarios/cancelled_meetings.toml cancels the council meeting of 21.09.2028
    scenario = Path(__file__).parents[1] / "examples" / "scenarios" / "cancelled_meetings.toml"
    assert cli(["simulate", str(scenario), "--format", "json", "--quiet", "--lang", lang]) == 0
    report = json.loads(capsys.readouterr().out)
    notes = [note for r in report["runs"] for note in r["notes"]]
    assert notes and all(isinstance(note, str) for note in notes)
    assert any(words in note for note in notes), notes[:3]
