"""The regional planning strategy of a county authority (regional planstrategi), pbl §§ 7-1, 7-2.

The county council (fylkesting) adopts it no later than one year after its constitution, after a
hearing and public inspection of at least six weeks. The county's public-health overview
(folkehelseloven § 21, from 2012) is part of its basis. The same in every process model.
"""

from __future__ import annotations

from functools import cache

from plancycle.processes.declaration import (
    DateSpec,
    DueByRule,
    NoticeBefore,
    ProcessDefinition,
    ProcessModel,
    Step,
)


@cache
def definition(model: ProcessModel) -> ProcessDefinition:
    """The regional planstrategi process."""
    return ProcessDefinition(
        name="regional_planstrategi",
        model=model,
        initial="not_started",
        steps=(
            Step(
                "public_health_overview", "deadline",
                ("county-public-health-overview", "public-health-overview-planned"),
                trigger="complete_public_health_overview", state="knowledge_base_ready",
                plan=DateSpec("rule:public-health-overview-planned:planned", snap="working_before"),
                due=NoticeBefore("county-public-health-overview", later="start"),
            ),
            Step(
                "start", "event", ("regional-planstrategi",),
                trigger="start_work", state="preparing",
                plan=DateSpec("K", weeks=3),
            ),
            Step(
                "consultation", "phase", ("regional-planstrategi",),
                trigger="open_consultation", state="in_consultation",
                plan=DateSpec("ms:regional_planstrategi.start", weeks=12),
                min_length="regional-planstrategi", min_length_key="hearing_days",
                pad_holidays=True,
                end_trigger="close_consultation", state_after="consulted",
            ),
            Step(
                "adopted", "deadline", ("regional-planstrategi",),
                trigger="adopt", state="adopted",
                plan=DateSpec("ms:regional_planstrategi.consultation:end", weeks=6,
                              snap="council_after"),
                due=DueByRule("regional-planstrategi"),
            ),
        ),
    )
