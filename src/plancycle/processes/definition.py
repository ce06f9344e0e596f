"""The vocabulary in which each lifecycle is declared once, as data.

A :class:`ProcessDefinition` is an ordered list of :class:`Step` s. Each step is one milestone of
domain.md §4 and, at the same time, one or two transitions of the running state machine (an event
or deadline enters one state; a phase enters a state when it opens and another when it closes).
The schedule reads ``plan``/``end`` to date the step and ``due``/``min_length`` to bound it; the
machine reads ``due``/``min_length`` to check what actually happened. Numbers (days, due dates) are
never written here: they are parameters of the cited rules in ``data/rules.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ProcessModel = Literal["classic", "samskaping", "reform"]
PROCESS_MODELS: tuple[ProcessModel, ...] = ("classic", "samskaping", "reform")
ProcessName = Literal[
    "election", "planstrategi", "samfunnsdel", "action_economy_plan", "regional_planstrategi",
]
#: The processes of a municipality, in order.
PROCESS_NAMES: tuple[ProcessName, ...] = (
    "election", "planstrategi", "samfunnsdel", "action_economy_plan",
)
#: The processes of a county authority (fylkeskommune), in order.
COUNTY_PROCESS_NAMES: tuple[ProcessName, ...] = (
    "election", "regional_planstrategi", "action_economy_plan",
)
Kind = Literal["deadline", "phase", "event"]
Snap = Literal["none", "working_after", "working_before", "council_after", "council_before"]


@dataclass(frozen=True)
class DateSpec:
    """A planned date: a reference date plus an offset, moved to an allowed day by ``snap``.

    ``ref`` is one of:

    - ``"E"`` election day, ``"K"`` constituent meeting, ``"E_next"`` the next election day;
    - ``"due"`` this step's own due date;
    - ``"rule:<rule-id>:<param>"`` a ``MM-DD`` parameter of a rule, in the cycle year (the
      election year for non-yearly processes) — practice dates such as the budget meeting;
    - ``"ms:<milestone id>"`` or ``"ms:<milestone id>:end"``: another milestone's first or last
      day (yearly milestones are named without the year and mean the same cycle year).

    ``not_before``: a lower bound, e.g. a notice that cannot be given before the election.
    """

    ref: str
    days: int = 0
    weeks: int = 0
    months: int = 0
    years: int = 0
    snap: Snap = "working_after"
    not_before: DateSpec | None = None


@dataclass(frozen=True)
class DueByRule:
    """The step must happen on or before a date given by the rule's parameters.

    ``anchor`` parameter ``"K"``/``"E"`` plus ``years``/``months``/``days``, or ``"year"`` with an
    ``MM-DD`` parameter named ``key`` (in the cycle year, or the election year).
    """

    rule: str
    key: str = "due"


@dataclass(frozen=True)
class NoticeBefore:
    """The step must happen at least ``days`` (a rule parameter) before step ``later``."""

    rule: str
    later: str
    key: str = "days"


Due = DueByRule | NoticeBefore


@dataclass(frozen=True)
class Step:
    """One milestone of a process and the transitions it drives.

    ``rules``: the rule ids the milestone cites (its basis). The rule behind ``due`` decides the
    milestone's binding and confidence; without a due, the first rule does.
    ``state``: the state entered when the step happens (a phase: when it opens);
    ``state_after``: for phases, the state entered when it closes.
    ``min_length``: for phases, the rule whose ``min_length_key`` parameter (default ``days``) is
    the shortest lawful window;
    ``pad_holidays``: lengthen it when it overlaps July, Easter or Christmas (rule hearing-holidays).
    ``term_years``: for yearly steps, the years of the term (0 = election year) they occur in.
    """

    milestone: str
    kind: Kind
    rules: tuple[str, ...]
    trigger: str
    state: str
    plan: DateSpec
    end: DateSpec | None = None
    end_trigger: str | None = None
    state_after: str | None = None
    due: Due | None = None
    min_length: str | None = None
    min_length_key: str = "days"
    pad_holidays: bool = False
    term_years: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if (self.kind == "phase") != (self.end_trigger is not None and self.state_after is not None):
            raise ValueError(f"step {self.milestone}: phases (and only phases) need an "
                             "end_trigger and a state_after")
        if self.rules == ():
            raise ValueError(f"step {self.milestone} cites no rule")


@dataclass(frozen=True)
class Transition:
    """An extra transition beyond the steps' own (e.g. a second hearing)."""

    trigger: str
    source: str
    dest: str
    rule: str


@dataclass(frozen=True)
class ProcessDefinition:
    """One lifecycle for one process model: the steps in order, plus extra transitions."""

    name: ProcessName
    model: ProcessModel
    initial: str
    steps: tuple[Step, ...]
    extra: tuple[Transition, ...] = field(default=())
    yearly: bool = False

    def step(self, milestone: str) -> Step:
        for step in self.steps:
            if step.milestone == milestone:
                return step
        raise KeyError(f"{self.name} has no milestone {milestone!r}")

    def steps_in_year(self, term_year: int) -> tuple[Step, ...]:
        """The steps of a yearly cycle that occur in year ``term_year`` (0 = election year)."""
        return tuple(s for s in self.steps if s.term_years is None or term_year in s.term_years)

    def states(self) -> tuple[str, ...]:
        names = [self.initial]
        for step in self.steps:
            names.append(step.state)
            if step.state_after:
                names.append(step.state_after)
        return tuple(dict.fromkeys(names))
