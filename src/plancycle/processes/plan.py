"""The processes of the plans a planstrategi decides on (pbl § 10-1; issue 10).

Every decided plan of the register runs as an instance of process ``plan`` (ids
``plan.<plan-id>.<step>``), in one of five shapes (:data:`PLAN_KINDS`):

``kommuneplan``
    kommuneplanens arealdel and every kommunedelplan (pbl ch. 11): work starts, the planning
    programme on hearing and public inspection (at least six weeks, pbl § 4-1, § 11-13) and
    adopted, drafting, the proposal on hearing and public inspection (at least six weeks,
    § 11-14), adoption by the council (§ 11-15) and announcement. An objection (innsigelse,
    § 5-4) and mediation (§ 5-6) are optional steps after the hearing: in an instance only once
    recorded; adoption then follows the mediation's end (§ 11-16: a plan with an unresolved
    objection is decided by the ministry).
``regional``
    a county authority's regional plan (pbl ch. 8): planning programme on hearing (§ 8-3), the
    proposal on hearing (§ 8-3, at least six weeks), adoption by the fylkesting (§ 8-4) with its
    handlingsprogram, rolled every year (§ 8-1).
``practice``
    theme plans, strategies and action plans: start, drafting, a consultation (left out when the
    decision says ``consultation = no``) and political adoption, all practice (no statute
    prescribes them).
``repeal`` / ``merge``
    one council decision: the plan is repealed, or merged into another.

The steps are the same in every process model. Work starts on the decision's ``start`` but not
before the planstrategi is adopted (the engine's ``not_before`` of the instance); offsets between
steps are practice, the minimum hearing lengths are the rules'.
"""

from __future__ import annotations

from functools import cache
from typing import Literal, get_args

from plancycle.processes.declaration import (
    DateSpec,
    ProcessDefinition,
    ProcessModel,
    Step,
    Transition,
)

PlanKind = Literal["kommuneplan", "regional", "practice", "repeal", "merge"]
PLAN_KINDS: tuple[PlanKind, ...] = get_args(PlanKind)
#: The yearly rollings of a regional plan's handlingsprogram declared after its adoption (those
#: after the term's end are not given).
ACTION_PROGRAMME_ROLLINGS = 3


def _strategy(county: bool) -> str:
    """The milestone the planstrategi's decisions take effect on."""
    return "ms:regional_planstrategi.adopted" if county else "ms:planstrategi.adopted"


def _started(county: bool, rule: str) -> Step:
    return Step("started", "event", (rule,), trigger="start_work", state="started",
                plan=DateSpec(_strategy(county), days=1))


def _programme(programme_rule: str, adopted_rule: str) -> tuple[Step, Step]:
    return (
        Step("planning_programme_consultation", "phase", (programme_rule,),
             trigger="open_planning_programme_consultation",
             state="planning_programme_consultation",
             plan=DateSpec("ms:plan.started", weeks=8),
             min_length=programme_rule, pad_holidays=True,
             end_trigger="close_planning_programme_consultation",
             state_after="planning_programme_consulted"),
        Step("planning_programme_adopted", "event", (programme_rule, adopted_rule),
             trigger="adopt_planning_programme", state="planning_programme_adopted",
             plan=DateSpec("ms:plan.planning_programme_consultation:end", weeks=6,
                           snap="council_after")),
    )


def _drafting_and_hearing(hearing_rule: str, drafting_rule: str, after: str,
                          weeks: int) -> tuple[Step, Step]:
    return (
        Step("drafting", "phase", (drafting_rule,), trigger="start_drafting", state="drafting",
             plan=DateSpec(after, days=1),
             end=DateSpec("ms:plan.public_consultation", days=-1, snap="working_before"),
             end_trigger="finish_draft", state_after="proposal_ready"),
        Step("public_consultation", "phase", (hearing_rule,),
             trigger="open_public_consultation", state="public_consultation",
             plan=DateSpec(after, weeks=weeks), min_length=hearing_rule, pad_holidays=True,
             end_trigger="close_public_consultation", state_after="consulted"),
    )


def _adopted(rules: tuple[str, ...]) -> Step:
    return Step("adopted", "event", rules, trigger="adopt", state="adopted",
                plan=DateSpec("ms:plan.public_consultation:end", weeks=8,
                              snap="council_after"))


def _kommuneplan(model: ProcessModel, county: bool) -> ProcessDefinition:
    return ProcessDefinition(
        name="plan", model=model, initial="decided",
        steps=(
            _started(county, "plan-start"),
            *_programme("planprogram", "kommuneplan-adoption"),
            *_drafting_and_hearing("kommuneplan-hearing", "plan-drafting",
                                   "ms:plan.planning_programme_adopted", 26),
            # optional: an objection (innsigelse) to the proposal, then mediation before adoption
            Step("objection", "event", ("plan-objection",), trigger="raise_objection",
                 state="objection", plan=DateSpec("ms:plan.public_consultation:end"),
                 optional=True),
            Step("mediation", "phase", ("plan-mediation",), trigger="start_mediation",
                 state="mediation", plan=DateSpec("ms:plan.public_consultation:end", days=1),
                 end=DateSpec("ms:plan.mediation", weeks=6), end_trigger="finish_mediation",
                 state_after="mediated", optional=True),
            _adopted(("kommuneplan-adoption",)),
            Step("announced", "event", ("kommuneplan-adoption",), trigger="announce",
                 state="announced", plan=DateSpec("ms:plan.adopted", weeks=1)),
        ),
        extra=(
            Transition("order_new_hearing", source="consulted", dest="public_consultation",
                       rule="kommuneplan-hearing"),
        ),
    )


def _regional(model: ProcessModel, county: bool) -> ProcessDefinition:
    rollings = tuple(
        Step(f"action_programme_rolled_{n}", "event", ("regional-plan-action-programme",),
             trigger=f"roll_action_programme_{n}", state=f"action_programme_rolled_{n}",
             plan=DateSpec("ms:plan.adopted", years=n, snap="council_after"))
        for n in range(1, ACTION_PROGRAMME_ROLLINGS + 1))
    return ProcessDefinition(
        name="plan", model=model, initial="decided",
        steps=(
            _started(county, "plan-start"),
            *_programme("regional-plan-programme", "regional-plan-adoption"),
            *_drafting_and_hearing("regional-plan-hearing", "plan-drafting",
                                   "ms:plan.planning_programme_adopted", 26),
            _adopted(("regional-plan-adoption", "regional-plan-action-programme")),
            *rollings,
        ),
    )


def _practice(model: ProcessModel, county: bool, consultation: bool) -> ProcessDefinition:
    if not consultation:  # the decision leaves the consultation out: adopted after the draft
        return ProcessDefinition(
            name="plan", model=model, initial="decided",
            steps=(
                _started(county, "plan-start"),
                Step("drafting", "phase", ("plan-drafting",), trigger="start_drafting",
                     state="drafting", plan=DateSpec("ms:plan.started", days=1),
                     end=DateSpec("ms:plan.started", weeks=16, days=-1, snap="working_before"),
                     end_trigger="finish_draft", state_after="proposal_ready"),
                Step("adopted", "event", ("practice-plan-adoption",), trigger="adopt",
                     state="adopted",
                     plan=DateSpec("ms:plan.drafting:end", weeks=6, snap="council_after")),
            ),
        )
    return ProcessDefinition(
        name="plan", model=model, initial="decided",
        steps=(
            _started(county, "plan-start"),
            Step("drafting", "phase", ("plan-drafting",), trigger="start_drafting",
                 state="drafting", plan=DateSpec("ms:plan.started", days=1),
                 end=DateSpec("ms:plan.consultation", days=-1, snap="working_before"),
                 end_trigger="finish_draft", state_after="proposal_ready"),
            Step("consultation", "phase", ("practice-plan-consultation",),
                 trigger="open_consultation", state="consultation",
                 plan=DateSpec("ms:plan.started", weeks=16),
                 min_length="practice-plan-consultation", pad_holidays=True,
                 end_trigger="close_consultation", state_after="consulted"),
            Step("adopted", "event", ("practice-plan-adoption",), trigger="adopt",
                 state="adopted",
                 plan=DateSpec("ms:plan.consultation:end", weeks=6, snap="council_after")),
        ),
    )


def _decision(milestone: str, rule: str, trigger: str, county: bool,
              model: ProcessModel) -> ProcessDefinition:
    return ProcessDefinition(
        name="plan", model=model, initial="decided",
        steps=(Step(milestone, "event", (rule,), trigger=trigger, state=milestone,
                    plan=DateSpec(_strategy(county), weeks=8, snap="council_after")),),
    )


@cache
def definition(kind: PlanKind, model: ProcessModel = "samskaping", *,
               county: bool = False, consultation: bool = True) -> ProcessDefinition:
    """The process of a plan of ``kind`` (see the module doc); ``county``: its decisions take
    effect on the regional planstrategi, not the municipal one; ``consultation``: a practice
    plan's consultation is held (False: left out)."""
    if kind == "kommuneplan":
        return _kommuneplan(model, county)
    if kind == "regional":
        return _regional(model, county)
    if kind == "practice":
        return _practice(model, county, consultation)
    if kind == "repeal":
        return _decision("repealed", "plan-repeal", "repeal", county, model)
    return _decision("merged", "plan-merge", "merge", county, model)
