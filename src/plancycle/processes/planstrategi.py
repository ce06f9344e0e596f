"""The municipal planning strategy (kommunal planstrategi), pbl § 10-1.

Adopted by the new council no later than one year after its constitution; the proposal is public at
least 30 days before the council meeting; views are sought from state and regional bodies and
neighbouring municipalities. In ``samskaping`` its consultation is combined with the samfunnsdel's
planprogram (pbl § 10-1 fourth paragraph), so that consultation must last the planprogram's six
weeks (pbl § 11-13); in ``classic`` and ``reform`` it follows practice (six weeks, no statutory
minimum) and is not combined.
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
    """The planstrategi process for ``model``."""
    combined = model == "samskaping"
    early = model in ("samskaping", "reform")
    return ProcessDefinition(
        name="planstrategi",
        model=model,
        initial="not_started",
        steps=(
            Step(
                "public_health_overview", "deadline",
                ("public-health-overview", "public-health-overview-planned"),
                trigger="complete_public_health_overview", state="knowledge_base_ready",
                plan=DateSpec("rule:public-health-overview-planned:planned", snap="working_before"),
                due=NoticeBefore("public-health-overview", later="start"),
            ),
            Step(
                "start", "event", ("planstrategi-start", "planstrategi-deadline"),
                trigger="start_work", state="preparing",
                plan=DateSpec("K", weeks=2 if early else 3),
            ),
            Step(
                "proposal_public", "deadline", ("planstrategi-notice",),
                trigger="publish_proposal", state="proposal_public",
                plan=DateSpec("ms:planstrategi.consultation", snap="none"),
                due=NoticeBefore("planstrategi-notice", later="adopted"),
            ),
            Step(
                "consultation", "phase",
                ("planstrategi-combine", "planprogram", "planstrategi-consultation")
                if combined else ("planstrategi-consultation-length", "planstrategi-consultation"),
                trigger="open_consultation", state="in_consultation",
                plan=DateSpec("ms:samfunnsdel.political_workshop:end", weeks=2) if early
                else DateSpec("ms:planstrategi.start", weeks=8),
                min_length="planprogram" if combined else "planstrategi-consultation-length",
                pad_holidays=True,
                end_trigger="close_consultation", state_after="consulted",
            ),
            Step(
                "adopted", "deadline", ("planstrategi-deadline", "planstrategi-decides"),
                trigger="adopt", state="adopted",
                plan=DateSpec("ms:planstrategi.consultation:end", weeks=4, snap="council_after")
                if early else DateSpec("K", months=7, snap="council_before"),
                due=DueByRule("planstrategi-deadline"),
            ),
        ),
    )
