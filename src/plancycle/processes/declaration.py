"""The vocabulary in which each lifecycle is declared once, as data.

A :class:`ProcessDefinition` is an ordered list of :class:`Step` s. Each step is one milestone of
domain.md §4 and, at the same time, one or two transitions of the running state machine (an event
or deadline enters one state; a phase enters a state when it opens and another when it closes).
The schedule reads ``plan``/``end`` to date the step and ``due``/``min_length`` to bound it; the
machine reads ``due``/``min_length`` to check what actually happened. Numbers (days, due dates) are
never written here: they are parameters of the cited rules in ``data/rules.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from plancycle.processes.refs import DateRef, MilestoneRef, parse_ref

ProcessModel = Literal["classic", "samskaping", "reform"]
PROCESS_MODELS: tuple[ProcessModel, ...] = ("classic", "samskaping", "reform")
ProcessName = Literal[
    "election", "planstrategi", "samfunnsdel", "action_economy_plan", "regional_planstrategi",
    "governance", "plan",
]
#: The processes of a municipality, in order.
PROCESS_NAMES: tuple[ProcessName, ...] = (
    "election", "planstrategi", "samfunnsdel", "action_economy_plan", "governance",
)
#: The processes of a county authority (fylkeskommune), in order.
COUNTY_PROCESS_NAMES: tuple[ProcessName, ...] = (
    "election", "regional_planstrategi", "action_economy_plan", "governance",
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

    The string is parsed when the spec is declared (:func:`~plancycle.processes.refs.parse_ref`)
    into :attr:`reference`, so a typo fails at import. ``not_before``: a lower bound, e.g. a
    notice that cannot be given before the election.
    """

    ref: str
    days: int = 0
    weeks: int = 0
    months: int = 0
    years: int = 0
    snap: Snap = "working_after"
    not_before: DateSpec | None = None
    reference: DateRef = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reference", parse_ref(self.ref))
        if self.snap not in ("none", "working_after", "working_before", "council_after",
                             "council_before"):
            raise ValueError(f"date spec {self.ref!r}: unknown snap {self.snap!r}")

    def refers_to(self, process: str, step: str) -> bool:
        """True when this spec (or its lower bound) is planned from milestone ``process.step``."""
        ref = self.reference
        if isinstance(ref, MilestoneRef) and (ref.process, ref.step) == (process, step):
            return True
        return self.not_before is not None and self.not_before.refers_to(process, step)


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
    ``held_by_state``: the state holds it on its day whatever the municipality does (the election,
    valgloven), so a followed term counts it done once past, without a fact.
    ``optional``: it happens only in some instances (an objection, pbl § 5-4): it is in an
    instance only once recorded (:meth:`ProcessDefinition.steps_with`), so it is never planned,
    overdue or inferred, and no later step requires it. No required step may be planned from it.
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
    held_by_state: bool = False
    optional: bool = False

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
class ChainLink:
    """One transition of a definition's chain: the step, which of its edges, trigger and states."""

    step: Step
    edge: Literal["start", "end"]
    trigger: str
    source: str
    dest: str


@dataclass(frozen=True)
class ProcessDefinition:
    """One lifecycle for one process model: the steps in order, plus extra transitions.

    Validated when declared (as python-statemachine does): every state is reachable from the
    initial one and can reach the final one, the final state has no way out, every extra
    transition joins states of the chain, milestone and trigger names are unique, and every
    reference to a milestone of the same process names a step of it.
    """

    name: ProcessName
    model: ProcessModel
    initial: str
    steps: tuple[Step, ...]
    extra: tuple[Transition, ...] = field(default=())
    yearly: bool = False
    #: the steps are separate duties, not a chain (the governance duties of a term): each runs as
    #: a one-step process of its own (:meth:`parts`), so none waits for, bounds or implies another
    independent: bool = False

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError(f"process {self.name} ({self.model}): " + "; ".join(problems))
        if self.independent and (self.yearly or self.extra):
            raise ValueError(f"process {self.name} ({self.model}): independent steps cannot be "
                             "yearly or have extra transitions")

    def parts(self) -> tuple[ProcessDefinition, ...]:
        """The chains the machines run: this definition itself, or for an ``independent`` one a
        one-step definition per step (same name, model and initial state)."""
        if not self.independent:
            return (self,)
        return tuple(ProcessDefinition(name=self.name, model=self.model, initial=self.initial,
                                       steps=(step,)) for step in self.steps)

    def steps_with(self, optional: tuple[str, ...] | frozenset[str] = ()) -> tuple[Step, ...]:
        """The steps of an instance in which the optional steps ``optional`` happened: every
        required step and those optional ones, in declaration order."""
        return tuple(s for s in self.steps if not s.optional or s.milestone in optional)

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

    # -- the transition chain --------------------------------------------------------------------
    def chain(self, steps: tuple[Step, ...] | None = None) -> tuple[ChainLink, ...]:
        """The transitions of ``steps`` (default: all) in order: a step's trigger, then for a
        phase its end trigger, each from the state the one before led to (for an
        ``independent`` definition each step from the initial state)."""
        out: list[ChainLink] = []
        state = self.initial
        for step in self.steps if steps is None else steps:
            if self.independent:
                state = self.initial  # each duty starts from the term's start (:meth:`parts`)
            out.append(ChainLink(step, "start", step.trigger, state, step.state))
            state = step.state
            if step.end_trigger is not None and step.state_after is not None:
                out.append(ChainLink(step, "end", step.end_trigger, state, step.state_after))
                state = step.state_after
        return tuple(out)

    def final_state(self, steps: tuple[Step, ...] | None = None) -> str:
        """The state the last step of ``steps`` (default: all) leads to."""
        last = (self.steps if steps is None else steps)[-1]
        return last.state_after or last.state

    def notices(self) -> dict[str, str]:
        """Notice steps and the decision each gives notice of (``{"proposal_public": "adopted"}``)."""
        return {s.milestone: s.due.later for s in self.steps if isinstance(s.due, NoticeBefore)}

    def graph_problems(self, steps: tuple[Step, ...] | None = None) -> list[str]:
        """Unreachable and trap states of the machine of ``steps`` (default: all) with every
        extra transition, and a final state with a way out (empty when the graph is sound). A
        trap is a state other than the final one from which the final state cannot be reached.
        An ``independent`` definition is sound when each of its :meth:`parts` is."""
        if self.independent:
            chosen = self.steps if steps is None else steps
            return [problem for step in chosen
                    for problem in replace(self, independent=False, steps=(step,)).graph_problems()]
        edges = [(link.source, link.dest) for link in self.chain(steps)]
        edges += [(extra.source, extra.dest) for extra in self.extra]
        states = {self.initial} | {state for edge in edges for state in edge}
        final = self.final_state(steps)
        forward: dict[str, set[str]] = {s: set() for s in states}
        backward: dict[str, set[str]] = {s: set() for s in states}
        for source, dest in edges:
            forward[source].add(dest)
            backward[dest].add(source)
        out = [f"state {s!r} is unreachable"
               for s in sorted(states - _closure(self.initial, forward))]
        out += [f"state {s!r} is a trap (cannot reach {final!r})"
                for s in sorted(states - _closure(final, backward))]
        if forward[final]:
            out.append(f"final state {final!r} has an outgoing transition")
        return out

    def problems(self) -> list[str]:
        """What is wrong with the definition's graph and references (empty when it is sound)."""
        if not self.steps:
            return ["it has no steps"]
        out: list[str] = []
        names = [s.milestone for s in self.steps]
        out += [f"milestone {n!r} is declared twice" for n in sorted({n for n in names
                                                                      if names.count(n) > 1})]
        links = self.chain()
        triggers = [link.trigger for link in links]
        out += [f"trigger {t!r} is used twice" for t in sorted({t for t in triggers
                                                                if triggers.count(t) > 1})]
        out += self.graph_problems()
        own = set(names)
        for step in self.steps:
            specs: list[DateSpec | None] = [step.plan, step.end]
            for spec in specs:
                while spec is not None:
                    ref = spec.reference
                    if isinstance(ref, MilestoneRef) and ref.process == self.name \
                            and ref.step not in own:
                        out.append(f"{step.milestone} refers to unknown milestone {ref}")
                    if isinstance(ref, MilestoneRef) and ref.process == self.name \
                            and ref.step in own and not step.optional \
                            and self.step(ref.step).optional:
                        out.append(f"{step.milestone} is planned from optional step {ref.step}")
                    if isinstance(ref, MilestoneRef) and ref.edge == "end" \
                            and ref.process == self.name and ref.step in own \
                            and self.step(ref.step).kind != "phase":
                        out.append(f"{step.milestone} refers to the end of {ref.step}, "
                                   "which is not a phase")
                    spec = spec.not_before
            if isinstance(step.due, NoticeBefore) and step.due.later not in own:
                out.append(f"{step.milestone} gives notice of unknown milestone {step.due.later!r}")
        return out


def _closure(start: str, graph: dict[str, set[str]]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
