"""The pure rule checks: due dates, notices, hearing lengths and holiday padding, in three languages."""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping

import pytest

from plancycle import ElectionPeriod, ProcessInstance, definition
from plancycle.checks import Violation, due_date, edge_violations
from plancycle.i18n import LANGUAGES, Language, catalogue
from plancycle.processes import ProcessDefinition
from plancycle.rules import rule_table

PERIOD = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))
PLANSTRATEGI = definition("planstrategi", "classic")
SAMFUNNSDEL = definition("samfunnsdel", "reform")


def _check(process: ProcessDefinition, milestone: str, edge: str, trigger: str, day: dt.date,
           dates: Mapping[str, dt.date], lang: Language = "en") -> list[Violation]:
    return edge_violations(instance=process.name, steps=process.steps,
                           step=process.step(milestone), edge=edge,  # type: ignore[arg-type]
                           trigger=trigger, day=day, dates=dates, period=PERIOD,
                           year=PERIOD.election_year, rules=rule_table(), lang=lang)


def test_adoption_after_the_due_date_counts_the_days_late() -> None:
    # pbl § 10-1: within one year of the constituent meeting (21 October 2027) -> 21 October 2028
    dates = {"planstrategi.proposal_public": dt.date(2028, 9, 1)}
    [found] = _check(PLANSTRATEGI, "adopted", "at", "adopt", dt.date(2028, 11, 2), dates)
    assert (found.rule, found.milestone, found.trigger) == ("planstrategi-deadline",
                                                             "planstrategi.adopted", "adopt")
    assert found.limit == dt.date(2028, 10, 21)
    assert found.days_late == (dt.date(2028, 11, 2) - dt.date(2028, 10, 21)).days == 12
    assert found.binding == "statutory" and "§ 10-1" in found.section
    assert re.fullmatch(r"rule planstrategi-deadline \(.*§ 10-1.*, statutory\) broken: "
                        r"planstrategi\.adopted on 2028-11-02 is after its due date 2028-10-21\.",
                        found.message)
    assert found.fix == "Plan it on or before 2028-10-21."


def test_adoption_on_its_due_date_breaks_nothing() -> None:
    dates = {"planstrategi.proposal_public": dt.date(2028, 9, 1)}
    assert _check(PLANSTRATEGI, "adopted", "at", "adopt", dt.date(2028, 10, 21), dates) == []


def test_short_notice_counts_the_days_missing() -> None:
    # 30 days' notice: a meeting on 14 September needs the proposal out by 15 August
    dates = {"planstrategi.proposal_public": dt.date(2028, 9, 1)}
    [found] = _check(PLANSTRATEGI, "adopted", "at", "adopt", dt.date(2028, 9, 14), dates)
    assert found.rule == "planstrategi-notice" and found.limit == dt.date(2028, 8, 15)
    assert found.days_late == (dt.date(2028, 9, 1) - dt.date(2028, 8, 15)).days == 17
    assert found.message.endswith("broken: planstrategi.proposal_public (2028-09-01) is less than "
                                  "30 days before planstrategi.adopted on 2028-09-14.")
    assert found.fix == "Publish by 2028-08-15 or move the meeting to 2028-10-01 or later."


def test_notice_never_given_is_late_by_the_whole_notice() -> None:
    [found] = _check(PLANSTRATEGI, "adopted", "at", "adopt", dt.date(2028, 9, 14), {})
    assert found.rule == "planstrategi-notice" and found.days_late == 30
    assert "planstrategi.proposal_public (never) is less than 30 days" in found.message
    assert found.fix == "Publish by 2028-08-15 or move the meeting to 2028-10-14 or later."


def test_too_short_statutory_hearing_names_the_days_it_ran() -> None:
    # pbl § 11-14: six weeks; opened 11 February, the earliest lawful close is 24 March
    dates = {"samfunnsdel.public_consultation": dt.date(2028, 2, 11)}
    [found] = _check(SAMFUNNSDEL, "public_consultation", "close", "close_public_consultation",
                     dt.date(2028, 3, 10), dates)
    assert found.rule == "kommuneplan-hearing" and found.binding == "statutory"
    assert found.limit == dt.date(2028, 2, 11) + dt.timedelta(days=42) == dt.date(2028, 3, 24)
    assert found.days_late == 14
    assert found.message.endswith("broken: samfunnsdel.public_consultation ran 28 days "
                                  "(2028-02-11 to 2028-03-10), shorter than the minimum of 42 "
                                  "days.")
    assert found.fix == "Keep it open until 2028-03-24 or later."


def test_a_hearing_over_july_must_be_padded_by_the_holiday_days() -> None:
    # six weeks from 1 June is 13 July; July adds 21 days -> 3 August
    dates = {"planstrategi.consultation": dt.date(2028, 6, 1)}
    [found] = _check(PLANSTRATEGI, "consultation", "close", "close_consultation",
                     dt.date(2028, 7, 20), dates)
    assert found.rule == "hearing-holidays" and found.binding == "practice"
    assert found.limit == dt.date(2028, 7, 13) + dt.timedelta(days=21) == dt.date(2028, 8, 3)
    assert found.days_late == 14
    assert found.message.endswith("broken: planstrategi.consultation overlaps july but was not "
                                  "extended to 2028-08-03.")
    assert found.fix == "Keep it open until 2028-08-03 (guidance adds days for holidays)."


def test_closing_a_phase_that_never_opened_or_has_no_minimum_breaks_nothing() -> None:
    assert _check(PLANSTRATEGI, "consultation", "close", "close_consultation",
                  dt.date(2028, 7, 20), {}) == []
    assert _check(SAMFUNNSDEL, "drafting", "close", "finish_draft", dt.date(2028, 1, 1),
                  {"samfunnsdel.drafting": dt.date(2027, 12, 31)}) == []


def test_messages_and_fixes_come_in_bokmal_nynorsk_and_english() -> None:
    dates = {"planstrategi.consultation": dt.date(2028, 6, 1)}
    found = {lang: _check(PLANSTRATEGI, "consultation", "close", "close_consultation",
                          dt.date(2028, 7, 20), dates, lang)[0] for lang in LANGUAGES}
    assert found["nb"].message.startswith("regel hearing-holidays (")
    assert ", praksis) brutt: planstrategi.consultation overlapper sommerferien (juli), men ble " \
           "ikke forlenget til 2028-08-03." in found["nb"].message
    assert found["nb"].fix.startswith("Hold perioden åpen til 2028-08-03")
    assert ", praksis) broten: planstrategi.consultation overlappar sommarferien (juli), men " \
           "vart ikkje forlengd til 2028-08-03." in found["nn"].message
    assert found["nn"].fix.startswith("Hald perioden open til 2028-08-03")
    assert ", practice) broken:" in found["en"].message
    # only the words differ: the structured fields are the same in every language
    same = {v.model_dump(exclude={"message", "fix"}).__repr__() for v in found.values()}
    assert len(same) == 1


def test_due_and_notice_messages_in_norwegian() -> None:
    [due] = _check(PLANSTRATEGI, "adopted", "at", "adopt", dt.date(2028, 11, 2),
                   {"planstrategi.proposal_public": dt.date(2028, 9, 1)}, "nb")
    assert "lovpålagt) brutt: planstrategi.adopted den 2028-11-02 er etter fristen 2028-10-21." \
        in due.message
    [notice] = _check(PLANSTRATEGI, "adopted", "at", "adopt", dt.date(2028, 9, 14), {}, "nn")
    assert "lovpålagd) broten: planstrategi.proposal_public (aldri) er mindre enn 30 dagar før " \
           "planstrategi.adopted den 2028-09-14." in notice.message
    assert notice.fix == "Offentleggjer seinast 2028-08-15 eller flytt møtet til 2028-10-14 " \
                         "eller seinare."


def test_check_texts_have_the_same_placeholders_in_every_language() -> None:
    labels = {key: text for key, text in catalogue().label.items()
              if key.startswith("check_") or key == "error_not_a_date"}
    assert len(labels) >= 10
    for key, text in labels.items():
        fields = {lang: {f for _, f, _, _ in string.Formatter().parse(text.get(lang)) if f}
                  for lang in LANGUAGES}
        assert fields["nb"] == fields["nn"] == fields["en"], key


def test_due_dates_follow_practice_overrides_and_are_cached_per_override() -> None:
    rules = rule_table()
    plain = due_date("samfunnsdel-18-months", "due", PERIOD, 2027, rules)
    longer = due_date("samfunnsdel-18-months", "due", PERIOD, 2027, rules,
                      {"samfunnsdel-18-months": {"months": 24}})
    assert plain[1] == dt.date(2029, 4, 21) and longer[1] == dt.date(2029, 10, 21)
    assert due_date("samfunnsdel-18-months", "due", PERIOD, 2027, rules) == plain


def test_the_machine_reports_exactly_what_the_checks_say() -> None:
    instance = ProcessInstance(PLANSTRATEGI, PERIOD, mode="record", lang="nn")
    for trigger, day in [("complete_public_health_overview", dt.date(2027, 6, 1)),
                         ("start_work", dt.date(2027, 11, 4)),
                         ("publish_proposal", dt.date(2028, 6, 1)),
                         ("open_consultation", dt.date(2028, 6, 1))]:
        instance.fire(trigger, day)
    expected = _check(PLANSTRATEGI, "consultation", "close", "close_consultation",
                      dt.date(2028, 7, 20), dict(instance.dates), "nn")
    assert instance.fire("close_consultation", dt.date(2028, 7, 20)) == expected != []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_binding_word_is_translated(lang: Language) -> None:
    from plancycle.i18n import label

    [found] = _check(PLANSTRATEGI, "adopted", "at", "adopt", dt.date(2028, 11, 2),
                     {"planstrategi.proposal_public": dt.date(2028, 9, 1)}, lang)
    assert f", {label('statutory', lang)}) " in found.message
