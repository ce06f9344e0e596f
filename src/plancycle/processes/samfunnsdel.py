"""Kommuneplanens samfunnsdel, revised in the new council's term (pbl §§ 11-12 to 11-15).

The phases mirror the seed's co-creative model (domain.md §1):

======  =================================  ===========================  =========================
phase   content                            public participation         output (milestone)
======  =================================  ===========================  =========================
1       trends and challenges              continuous                   ``challenge_picture``
2       early cross-party political talk   none                         ``political_workshop``
3       public debate on the proposal      hearing + public inspection  ``public_consultation``
======  =================================  ===========================  =========================

``classic``: the planprogram follows the adopted planstrategi and elected members meet the plan
after it (workshop after the planprogram); due within 18 months (county guidance).
``samskaping``: challenge picture in the election year, workshops right after constitution, the
planprogram consulted and adopted together with the planstrategi; due within year one (seed).
``reform``: as samskaping without a planprogram, which assumes a law change not in force.
"""

from __future__ import annotations

from functools import cache

from plancycle.processes.declaration import (
    DateSpec,
    DueByRule,
    ProcessDefinition,
    ProcessModel,
    Step,
    Transition,
)


def _challenge_picture(model: ProcessModel) -> Step:
    if model == "classic":
        return Step(
            "challenge_picture", "deadline", ("challenge-picture",),
            trigger="complete_challenge_picture", state="challenge_picture_ready",
            plan=DateSpec("ms:samfunnsdel.planning_programme_consultation", weeks=-2,
                          snap="working_before"),
        )
    return Step(
        "challenge_picture", "deadline",
        ("challenge-picture", "public-health-overview", "challenge-picture-planned"),
        trigger="complete_challenge_picture", state="challenge_picture_ready",
        plan=DateSpec("rule:challenge-picture-planned:planned", snap="working_before"),
        due=DueByRule("challenge-picture"),
    )


def _political_workshop(model: ProcessModel) -> Step:
    after = ("ms:samfunnsdel.planning_programme_adopted" if model == "classic"
             else "ms:planstrategi.start")
    return Step(
        "political_workshop", "phase", ("political-workshop",),
        trigger="open_workshops", state="workshops",
        plan=DateSpec(after, weeks=3 if model == "classic" else 1),
        end=DateSpec("ms:samfunnsdel.political_workshop", weeks=1 if model == "classic" else 3,
                     snap="working_before"),
        end_trigger="close_workshops", state_after="political_guidelines",
    )


def _planning_programme(model: ProcessModel) -> tuple[Step, Step]:
    if model == "classic":
        consultation = DateSpec("ms:planstrategi.adopted", weeks=6)
        consultation_end: DateSpec | None = None
        adopted = DateSpec("ms:samfunnsdel.planning_programme_consultation:end", weeks=4,
                           snap="council_after")
        rules: tuple[str, ...] = ("planprogram",)
    else:
        consultation = DateSpec("ms:planstrategi.consultation", snap="none")
        consultation_end = DateSpec("ms:planstrategi.consultation:end", snap="none")
        adopted = DateSpec("ms:planstrategi.adopted", snap="none")
        rules = ("planprogram", "planstrategi-combine")
    return (
        Step(
            "planning_programme_consultation", "phase", rules,
            trigger="open_planning_programme_consultation",
            state="planning_programme_consultation",
            plan=consultation, end=consultation_end, min_length="planprogram", pad_holidays=True,
            end_trigger="close_planning_programme_consultation",
            state_after="planning_programme_consulted",
        ),
        Step(
            "planning_programme_adopted", "event", rules,
            trigger="adopt_planning_programme", state="planning_programme_adopted",
            plan=adopted,
        ),
    )


@cache
def definition(model: ProcessModel) -> ProcessDefinition:
    """The samfunnsdel process for ``model``."""
    reform = ("reform-no-planprogram",) if model == "reform" else ()
    due_rule = "samfunnsdel-18-months" if model == "classic" else "samfunnsdel-year-one"
    workshop = _political_workshop(model)
    if model == "classic":
        early: tuple[Step, ...] = (
            _challenge_picture(model), *_planning_programme(model), workshop,
        )
    elif model == "samskaping":
        early = (_challenge_picture(model), workshop, *_planning_programme(model))
    else:
        early = (_challenge_picture(model), workshop)
    drafting_after = {"classic": "ms:samfunnsdel.political_workshop:end",
                      "samskaping": "ms:samfunnsdel.planning_programme_adopted",
                      "reform": "ms:samfunnsdel.political_workshop:end"}[model]
    return ProcessDefinition(
        name="samfunnsdel",
        model=model,
        initial="not_started",
        steps=(
            *early,
            Step(
                "drafting", "phase", ("samfunnsdel-drafting", *reform),
                trigger="start_drafting", state="drafting",
                plan=DateSpec(drafting_after, days=1),
                end=DateSpec("ms:samfunnsdel.public_consultation", days=-1,
                             snap="working_before"),
                end_trigger="finish_draft", state_after="proposal_ready",
            ),
            Step(
                "public_consultation", "phase", ("kommuneplan-hearing", *reform),
                trigger="open_public_consultation", state="public_consultation",
                plan=DateSpec(drafting_after, weeks=10),
                min_length="kommuneplan-hearing", pad_holidays=True,
                end_trigger="close_public_consultation", state_after="consulted",
            ),
            Step(
                "adopted", "deadline", (due_rule, "kommuneplan-adoption", *reform),
                trigger="adopt", state="adopted",
                plan=DateSpec("ms:samfunnsdel.public_consultation:end", weeks=4,
                              snap="council_after"),
                due=DueByRule(due_rule),
            ),
            Step(
                "announced", "event", ("kommuneplan-adoption",),
                trigger="announce", state="announced",
                plan=DateSpec("ms:samfunnsdel.adopted", weeks=1),
            ),
        ),
        extra=(
            Transition("order_new_hearing", source="consulted", dest="public_consultation",
                       rule="kommuneplan-hearing"),
        ),
    )
