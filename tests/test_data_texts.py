"""The shipped rule and text data load, are complete, and agree across the three languages."""

from __future__ import annotations

import itertools
import re
import string
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parents[1] / "src/plancycle/data"
LANGS = ("nb", "nn", "en")
BINDINGS = {"statutory", "recommended", "practice"}
CONFIDENCES = {"L", "S", "P", "U"}
YEARLY_PLACEHOLDERS = {"year", "next_year", "prev_year"}

# domain.md §3 plus the extra rules the engine reads
RULE_IDS = {
    # domain.md §3
    "election-day", "sunday-voting", "advance-voting", "constitution", "term",
    "planstrategi-deadline", "planstrategi-notice", "planstrategi-consultation",
    "planstrategi-decides", "planstrategi-combine", "public-health-overview", "planprogram",
    "kommuneplan-hearing", "kommuneplan-adoption", "samfunnsdel-year-one", "samfunnsdel-18-months",
    "handlingsdel-yearly", "handlingsdel-notice", "budget-adoption", "budget-notice",
    "budget-report", "accounts", "annual-report", "audit-report", "accounts-adoption",
    "budget-reports", "regional-planstrategi", "hearing-holidays", "holidays",
    # extras
    "constitution-notice", "challenge-picture", "political-workshop", "planstrategi-review",
    "reform-no-planprogram", "member-training", "strategy-conference", "budget-framework",
    "public-health-overview-planned", "challenge-picture-planned",
    "budget-proposal", "council-budget-meeting", "accounts-meeting", "meeting-papers",
    "planstrategi-consultation-length",
    # referenced by the process definitions
    "planstrategi-start", "samfunnsdel-drafting",
    # issue 12: duties of every term, the county's own rules, the yearly reports
    "budget-reports-statutory", "county-public-health-overview", "regional-handlingsprogram",
    "councils", "delegation-regulation", "audit-plan", "ownership-control-plan",
    "financial-regulation", "ownership-report", "lay-judges", "alcohol-licences", "risk-analysis",
    "kostra-report", "compliance-check",
    # issue 10: the processes of the plans a planstrategi decides on
    "plan-start", "plan-drafting", "plan-objection", "plan-mediation",
    "practice-plan-consultation", "practice-plan-adoption", "plan-repeal", "plan-merge",
    "regional-plan-programme", "regional-plan-hearing", "regional-plan-adoption",
    "regional-plan-action-programme",
}  # fmt: skip

# the params keys the engine reads, per rule id
PARAM_KEYS = {
    "election-day": {"month", "weekday", "nth"},
    "sunday-voting": set(),
    "advance-voting": {"start", "early_start"},
    "constitution": {"anchor", "due"},
    "constitution-notice": {"days"},
    "term": {"years"},
    "planstrategi-deadline": {"anchor", "years"},
    "planstrategi-notice": {"days"},
    "planstrategi-consultation": set(),
    "planstrategi-decides": set(),
    "planstrategi-combine": set(),
    "public-health-overview": set(),
    "planprogram": {"days"},
    "kommuneplan-hearing": {"days"},
    "kommuneplan-adoption": set(),
    "samfunnsdel-year-one": {"anchor", "months"},
    "samfunnsdel-18-months": {"anchor", "months"},
    "handlingsdel-yearly": set(),
    "handlingsdel-notice": {"days"},
    "budget-adoption": {"anchor", "due"},
    "budget-notice": {"days"},
    "budget-report": set(),
    "accounts": {"anchor", "due"},
    "annual-report": {"anchor", "due"},
    "audit-report": {"anchor", "due", "planned"},
    "accounts-adoption": {"anchor", "due"},
    "budget-reports": {"anchor", "first", "second"},
    "regional-planstrategi": {"anchor", "years", "hearing_days"},
    "hearing-holidays": {"july_days", "easter_days", "christmas_days"},
    "holidays": set(),
    "challenge-picture": {"anchor", "days"},
    "political-workshop": set(),
    "planstrategi-review": set(),
    "reform-no-planprogram": set(),
    "member-training": {"weeks"},
    "strategy-conference": {"planned"},
    "public-health-overview-planned": {"planned"},
    "challenge-picture-planned": {"planned"},
    "budget-framework": {"planned"},
    "budget-proposal": {"planned"},
    "council-budget-meeting": {"planned"},
    "accounts-meeting": {"planned"},
    "meeting-papers": {"committee_days", "council_days"},
    "planstrategi-consultation-length": {"days"},
    "planstrategi-start": set(),
    "samfunnsdel-drafting": set(),
    # issue 12 (``planned``: the practice date; ``year_offset``: the year of the term it falls in)
    "budget-reports-statutory": set(),
    "county-public-health-overview": set(),
    "regional-handlingsprogram": set(),
    "councils": set(),
    "delegation-regulation": {"anchor", "due", "planned", "year_offset"},
    "audit-plan": {"anchor", "due", "planned", "year_offset"},
    "ownership-control-plan": {"anchor", "due", "planned", "year_offset"},
    "financial-regulation": {"anchor", "planned", "year_offset", "years"},
    "ownership-report": {"anchor", "planned", "year_offset", "years"},
    "lay-judges": {"anchor", "due", "planned", "year_offset"},
    "alcohol-licences": {"anchor", "due", "year_offset"},
    "risk-analysis": set(),
    "kostra-report": {"anchor", "due"},
    "compliance-check": {"anchor", "due"},
    # issue 10
    "plan-start": set(),
    "plan-drafting": set(),
    "plan-objection": set(),
    "plan-mediation": set(),
    "practice-plan-consultation": {"days"},
    "practice-plan-adoption": set(),
    "plan-repeal": set(),
    "plan-merge": set(),
    "regional-plan-programme": {"days"},
    "regional-plan-hearing": {"days"},
    "regional-plan-adoption": set(),
    "regional-plan-action-programme": set(),
}

MILESTONE_IDS = {
    "election.advance_voting", "election.day", "election.constituent_meeting_notice",
    "election.constituent_meeting", "election.member_training", "election.next_day",
    "planstrategi.public_health_overview", "planstrategi.start", "planstrategi.proposal_public",
    "planstrategi.consultation", "planstrategi.adopted",
    "samfunnsdel.challenge_picture", "samfunnsdel.political_workshop",
    "samfunnsdel.planning_programme_consultation", "samfunnsdel.planning_programme_adopted",
    "samfunnsdel.drafting", "samfunnsdel.public_consultation", "samfunnsdel.adopted",
    "samfunnsdel.announced",
    "action_economy_plan.accounts_presented", "action_economy_plan.strategy_conference",
    "action_economy_plan.annual_report_presented", "action_economy_plan.audit_report",
    "action_economy_plan.tertial_report_1", "action_economy_plan.planstrategi_review",
    "action_economy_plan.framework", "action_economy_plan.accounts_adopted",
    "action_economy_plan.tertial_report_2", "action_economy_plan.proposal_public",
    "action_economy_plan.recommendation_public", "action_economy_plan.adopted",
    "action_economy_plan.sent_to_statsforvalter",
    "regional_planstrategi.start", "regional_planstrategi.consultation",
    "regional_planstrategi.adopted",
}  # fmt: skip

LABEL_KEYS = {
    "rule", "basis", "binding", "confidence", "due", "statutory", "recommended", "practice",
    "confidence_L", "confidence_S", "confidence_P", "confidence_U", "provisional", "padding",
    "july", "easter", "christmas", "min_period", "reform_warning", "not_in_force",
    "calendar_name", "process_election", "process_planstrategi", "process_samfunnsdel",
    "process_action_economy_plan", "process_regional_planstrategi", "model_classic",
    "model_samskaping", "model_reform", "kind_deadline", "kind_phase", "kind_event",
    "constituted_late", "constituted_assumed", "election_day_provisional",
    "election_day_not_monday", "no_council_meeting", "planned_after_due",
}  # fmt: skip

LAW_KEYS = {
    "pbl", "koml", "koml1992", "valgl", "folkehelsel", "helligdagsl", "grl",
    "ks-seed", "guidance", "practice",
    "valgl2023", "dstl", "alkl", "sivilbeskl", "covid2020", "ks-eierskap",
}  # fmt: skip

#: Sources linked to a page other than Lovdata, and why. A statute is linked on Lovdata wherever
#: its id is known; every other source without a Lovdata id has no URL.
NON_LOVDATA_SOURCES = {
    "ks-eierskap": "a KS recommendation, not a statute",
    "covid2020": "the temporary Covid-19 act of April 2020, cited by the Storting's enacted text "
                 "(Lovvedtak 68 (2019–2020)): its Lovdata id was not found",
}


def _load(name: str) -> dict[str, Any]:
    with (DATA / name).open("rb") as f:
        return tomllib.load(f)


RULES = _load("rules.toml")
TEXTS = _load("texts.toml")


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _assert_trilingual(value: Any, where: str) -> None:
    assert isinstance(value, dict), f"{where}: expected a table with {LANGS}"
    assert set(value) == set(LANGS), f"{where}: languages {sorted(value)} != {sorted(LANGS)}"
    for lang in LANGS:
        assert isinstance(value[lang], str) and value[lang].strip(), f"{where}.{lang} is empty"
    sets = {lang: _placeholders(value[lang]) for lang in LANGS}
    assert sets["nb"] == sets["nn"] == sets["en"], f"{where}: placeholders differ: {sets}"


def _rule_name(rule: dict[str, Any]) -> str:
    return f"{rule.get('id')} v{rule.get('version')}"


# --- rules.toml -------------------------------------------------------------------------------


def test_rules_schema_version_is_1() -> None:
    assert RULES["schema_version"] == 1


def test_every_law_has_trilingual_name_and_lovdata_fields() -> None:
    assert set(RULES["law"]) >= LAW_KEYS
    for key, law in RULES["law"].items():
        assert law["short"].strip(), key
        _assert_trilingual(law["name"], f"law.{key}.name")
        if law["lovdata_id"]:
            assert re.fullmatch(r"LOV-\d{4}-\d{2}-\d{2}(-\d+)?", law["lovdata_id"]), key
            assert law["url"] == "https://lovdata.no/lov/" + law["lovdata_id"].removeprefix("LOV-")
        elif key in NON_LOVDATA_SOURCES:
            assert law["url"].startswith("https://") and "lovdata.no" not in law["url"], key
        else:
            assert law["url"] == "", f"{key}: a non-law source has no URL"


def test_every_rule_id_of_the_domain_is_present() -> None:
    ids = {rule["id"] for rule in RULES["rule"]}
    assert ids == RULE_IDS


@pytest.mark.parametrize("rule", RULES["rule"], ids=_rule_name)
def test_rule_fields_are_valid(rule: dict[str, Any]) -> None:
    name = _rule_name(rule)
    assert isinstance(rule["id"], str) and rule["id"]
    assert isinstance(rule["version"], int) and rule["version"] >= 1
    assert rule["binding"] in BINDINGS, name
    assert rule["confidence"] in CONFIDENCES, name
    assert isinstance(rule["in_force"], bool), name
    assert set(rule["params"]) == PARAM_KEYS[rule["id"]], f"{name}: params {sorted(rule['params'])}"
    _assert_trilingual(rule["text"], f"{name}.text")
    for key in ("valid_from", "valid_to"):
        if key in rule:
            date.fromisoformat(rule[key])


@pytest.mark.parametrize("rule", RULES["rule"], ids=_rule_name)
def test_rule_basis_cites_a_known_law(rule: dict[str, Any]) -> None:
    assert rule["basis"], f"{_rule_name(rule)} has no basis"
    for entry in rule["basis"]:
        assert entry["law"] in RULES["law"], f"{_rule_name(rule)}: unknown law {entry['law']!r}"
        assert entry["section"].strip()
        law = RULES["law"][entry["law"]]
        if law["url"] and entry["paragraph"]:
            assert re.fullmatch(r"\d+(-\d+)?", entry["paragraph"]), entry
        elif law["lovdata_id"]:  # a law whose paragraph we have not found: must say unverified
            assert rule["confidence"] == "U", entry
        elif law["url"]:  # a recommendation with a page (NON_LOVDATA_SOURCES): no paragraph
            assert entry["law"] in NON_LOVDATA_SOURCES and rule["binding"] != "statutory", entry
        else:
            assert entry["paragraph"] == "", entry


def test_versions_of_a_rule_are_numbered_and_do_not_overlap() -> None:
    by_id: dict[str, list[dict[str, Any]]] = {}
    for rule in RULES["rule"]:
        by_id.setdefault(rule["id"], []).append(rule)
    for rule_id, versions in by_id.items():
        versions.sort(key=lambda r: r["version"])
        assert [r["version"] for r in versions] == list(range(1, len(versions) + 1)), rule_id
        for earlier, later in itertools.pairwise(versions):
            assert "valid_to" in earlier and "valid_from" in later, rule_id
            end = date.fromisoformat(earlier["valid_to"])
            start = date.fromisoformat(later["valid_from"])
            assert (start - end).days == 1, f"{rule_id}: gap or overlap between versions"


def test_only_the_reform_proposal_is_not_in_force() -> None:
    not_in_force = {rule["id"] for rule in RULES["rule"] if not rule["in_force"]}
    assert not_in_force == {"reform-no-planprogram"}


def test_guidance_and_practice_rules_are_never_statutory() -> None:
    for rule in RULES["rule"]:
        if rule["confidence"] == "P":
            assert rule["binding"] != "statutory", _rule_name(rule)
        if rule["binding"] != "statutory":
            assert rule["confidence"] == "P", _rule_name(rule)


# --- texts.toml -------------------------------------------------------------------------------


def test_texts_schema_version_is_1() -> None:
    assert TEXTS["schema_version"] == 1


def test_every_milestone_has_a_title_and_a_todo() -> None:
    assert set(TEXTS["milestone"]) == MILESTONE_IDS


@pytest.mark.parametrize("milestone_id", sorted(MILESTONE_IDS))
def test_milestone_texts_are_trilingual_with_matching_placeholders(milestone_id: str) -> None:
    entry = TEXTS["milestone"][milestone_id]
    assert set(entry) == {"title", "todo"}, milestone_id
    for field in ("title", "todo"):
        _assert_trilingual(entry[field], f"{milestone_id}.{field}")
        for lang in LANGS:
            used = _placeholders(entry[field][lang])
            assert used <= YEARLY_PLACEHOLDERS, f"{milestone_id}.{field}.{lang}: {used}"
            if not milestone_id.startswith("action_economy_plan."):
                assert not used, f"{milestone_id} is not yearly but uses {used}"


@pytest.mark.parametrize("milestone_id", sorted(MILESTONE_IDS))
def test_milestone_titles_fit_a_calendar_event(milestone_id: str) -> None:
    for lang in LANGS:
        title = TEXTS["milestone"][milestone_id]["title"][lang]
        filled = title.format(year=2027, next_year=2028, prev_year=2026)
        assert len(filled) <= 60, f"{milestone_id}.title.{lang} is {len(filled)} characters"


def test_every_label_is_present() -> None:
    assert set(TEXTS["label"]) == LABEL_KEYS


@pytest.mark.parametrize("key", sorted(LABEL_KEYS))
def test_label_is_trilingual_with_matching_placeholders(key: str) -> None:
    _assert_trilingual(TEXTS["label"][key], f"label.{key}")
