"""The legal and recommended rules as data (``data/rules.toml``).

Each :class:`Rule` carries its legal basis (law, paragraph, Lovdata URL), how binding it is, how sure
we are of it (confidence L/S/P/U, see domain.md §3), the period it is in force and its parameters
(days of notice, due dates). Deadlines cite rules by id; the numbers live here, not in code.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from collections.abc import Iterator, Mapping
from functools import cache, cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from plancycle.errors import DataError, InputError, wrong_type
from plancycle.folding import fold
from plancycle.i18n import Language, Text, load_data_toml

Binding = Literal["statutory", "recommended", "practice"]
Confidence = Literal["L", "S", "P", "U"]
ParamValue = int | str

#: Weakest first; a milestone resting on several rules gets the weakest confidence.
CONFIDENCE_ORDER: tuple[Confidence, ...] = ("U", "P", "S", "L")


class LegalBasis(BaseModel):
    """One paragraph a rule rests on: ``{law, section, url}`` as in domain.md §4."""

    model_config = ConfigDict(frozen=True)

    law: str
    section: str
    url: str | None


class Law(BaseModel):
    model_config = ConfigDict(frozen=True)

    short: str
    name: Text
    lovdata_id: str = ""
    url: str = ""


class _BasisRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    law: str
    paragraph: str = ""
    section: str = ""


class Rule(BaseModel):
    """A rule (one version of it) with its basis, binding, confidence and parameters."""

    model_config = ConfigDict(frozen=True)

    id: str
    version: int = 1
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    binding: Binding
    confidence: Confidence
    in_force: bool = True
    basis: tuple[LegalBasis, ...]
    params: Mapping[str, ParamValue] = Field(default_factory=dict)
    text: Text

    def applies_on(self, day: dt.date) -> bool:
        """True when this version is in force on ``day``."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to

    def int_param(self, key: str) -> int:
        value = self.params.get(key)
        if not isinstance(value, int):
            raise DataError(f"rule {self.id} v{self.version} needs an integer parameter {key!r}")
        return value

    def month_day(self, key: str, year: int) -> dt.date:
        """A ``"MM-DD"`` parameter as a date in ``year``, or ``year_offset`` years later.

        ``year_offset`` (an integer parameter, default 0) places the dates of a duty of the term
        in a later year of it: koml § 5-14 "innen 31. desember året etter at kommunestyret er
        konstituert" is ``due = "12-31"``, ``year_offset = 1``.
        """
        value = self.params.get(key)
        parsed = parse_month_day(value) if isinstance(value, str) else None
        if parsed is None:
            raise DataError(f"rule {self.id} v{self.version} needs a 'MM-DD' parameter {key!r}")
        offset = self.params.get("year_offset", 0)
        if not isinstance(offset, int):
            raise DataError(f"rule {self.id} v{self.version}: 'year_offset' must be an integer")
        month, day = parsed
        return dt.date(year + offset, month, day)

    def title(self, lang: Language) -> str:
        """The rule in plain words, in ``lang``."""
        return self.text.get(lang)


class RuleTable(BaseModel):
    """All rules, every version; look one up by id and date with :meth:`get`."""

    model_config = ConfigDict(frozen=True)

    schema_version: int
    revised: dt.date
    laws: Mapping[str, Law]
    rules: tuple[Rule, ...]

    @model_validator(mode="after")
    def _versions_do_not_overlap(self) -> RuleTable:
        by_id: dict[str, list[Rule]] = {}
        for rule in self.rules:
            by_id.setdefault(rule.id, []).append(rule)
        for rule_id, versions in by_id.items():
            ordered = sorted(versions, key=lambda r: r.valid_from or dt.date.min)
            for earlier, later in itertools.pairwise(ordered):
                if earlier.valid_to is None or (
                    later.valid_from is not None and later.valid_from <= earlier.valid_to
                ):
                    raise ValueError(f"rule {rule_id}: versions {earlier.version} and "
                                     f"{later.version} overlap")
        return self

    def __iter__(self) -> Iterator[Rule]:  # type: ignore[override]
        return iter(self.rules)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(rule.id for rule in self.rules))

    @cached_property
    def _by_id(self) -> dict[str, tuple[Rule, ...]]:
        """Each rule id's versions, oldest first (built once)."""
        index: dict[str, list[Rule]] = {}
        for rule in sorted(self.rules, key=lambda r: r.valid_from or dt.date.min):
            index.setdefault(rule.id, []).append(rule)
        return {rule_id: tuple(versions) for rule_id, versions in index.items()}

    def versions(self, rule_id: str) -> tuple[Rule, ...]:
        """The versions of ``rule_id``, oldest first."""
        found = self._by_id.get(rule_id)
        if not found:
            raise DataError(key="rule_table_unknown_id", rule=repr(rule_id))
        return found

    def in_force(self, rule_id: str, day: dt.date) -> bool:
        """True when a version of ``rule_id`` is in force on ``day`` (a rule that took effect
        later, such as folkehelseloven in 2012, is not in force before it)."""
        return any(rule.applies_on(day) for rule in self.versions(rule_id))

    def get(self, rule_id: str, on: dt.date | None = None) -> Rule:
        """The version of ``rule_id`` in force on ``on`` (the newest version when ``on`` is None).

        A date before the first version gets the first version, after the last the last: a
        schedule never lacks a rule, and the version's own ``valid_from``/``valid_to`` tell.
        """
        versions = self.versions(rule_id)
        if on is None:
            return versions[-1]
        for rule in versions:
            if rule.applies_on(on):
                return rule
        return versions[0] if versions[0].valid_from and on < versions[0].valid_from else versions[-1]


_MONTH_DAY = re.compile(r"(\d\d)-(\d\d)", re.ASCII)


def parse_month_day(text: str) -> tuple[int, int] | None:
    """``"MM-DD"`` as (month, day) when it is a day of every year (not ``02-29``), else None."""
    match = _MONTH_DAY.fullmatch(text)
    if match is None:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2023, month)[1]:
        return None
    return month, day


def _basis(refs: list[dict[str, Any]], laws: Mapping[str, Law]) -> tuple[LegalBasis, ...]:
    out = []
    for raw in refs:
        ref = _BasisRef.model_validate(raw)
        if ref.law not in laws:
            raise DataError(f"rules.toml cites unknown law {ref.law!r}")
        law = laws[ref.law]
        # a paragraph is linked on Lovdata only; another source's page is linked as it is
        url = f"{law.url}/§{ref.paragraph}" if law.lovdata_id and ref.paragraph \
            else (law.url or None)
        section = ref.section or (f"§ {ref.paragraph}" if ref.paragraph else "")
        out.append(LegalBasis(law=law.short, section=section, url=url))
    return tuple(out)


@cache
def rule_table() -> RuleTable:
    """The shipped rule table (loaded once)."""
    raw = load_data_toml("rules.toml")
    try:
        laws = {key: Law.model_validate(value) for key, value in raw["law"].items()}
        rules = []
        for entry in raw["rule"]:
            entry = dict(entry)
            entry["basis"] = _basis(entry.get("basis", []), laws)
            rules.append(Rule.model_validate(entry))
        return RuleTable(schema_version=raw["schema_version"], revised=raw["revised"], laws=laws,
                         rules=tuple(rules))
    except (KeyError, ValueError) as exc:
        raise DataError(f"shipped rules.toml is invalid: {exc}") from exc


def weakest(confidences: list[Confidence]) -> Confidence:
    """The least certain of several confidences (U < P < S < L)."""
    return min(confidences, key=CONFIDENCE_ORDER.index)


#: Longest search text looked at (no rule id or paragraph is half as long).
SEARCH_LIMIT = 100


def find_rules(query: str) -> tuple[str, ...]:
    """The ids of the rules ``query`` names: its own id when it is one, else every rule whose id,
    text (in any language, any version) or basis (``pbl § 10-1``) contains it, folded as names
    are (:func:`plancycle.folding.fold`: ``horing`` finds høring), in table order. A
    query longer than :data:`SEARCH_LIMIT` is an :class:`~plancycle.errors.InputError`."""
    if not isinstance(query, str):
        raise wrong_type("find_rules", "query", "str", query)
    text = query.strip()
    if len(text) > SEARCH_LIMIT:
        raise InputError(key="rules_search_too_long", limit=SEARCH_LIMIT)
    table = rule_table()
    if text in table.ids:
        return (text,)
    wanted = fold(text)
    return tuple(rule_id for rule_id in table.ids
                 if wanted and wanted in _search_key(rule_id))


@cache
def _search_key(rule_id: str) -> str:
    parts = [rule_id]
    for rule in rule_table().versions(rule_id):
        parts += [rule.text.nb, rule.text.nn, rule.text.en]
        parts += [f"{basis.law} {basis.section}" for basis in rule.basis]
    return " ".join(fold(part) for part in parts)
