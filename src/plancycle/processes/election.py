"""The election cycle: advance voting, election day, constitution of the new council, the next election.

Rules: valgloven § 9-2 (election day), kommuneloven (constituent meeting by 31 October, 14 days'
notice), the four-year term.
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
    """The election process; the same in every process model."""
    return ProcessDefinition(
        name="election",
        model=model,
        initial="campaign",
        steps=(
            Step(
                "advance_voting", "phase", ("advance-voting", "election-day"),
                trigger="open_advance_voting", state="advance_voting",
                plan=DateSpec("rule:advance-voting:start"),
                end=DateSpec("E", days=-1, snap="working_before"),
                end_trigger="close_advance_voting", state_after="awaiting_election_day",
                held_by_state=True,
            ),
            Step(
                "day", "event", ("election-day", "sunday-voting"),
                trigger="hold_election", state="elected", plan=DateSpec("E", snap="none"),
                held_by_state=True,
            ),
            Step(
                "constituent_meeting_notice", "deadline", ("constitution-notice",),
                trigger="call_constituent_meeting", state="meeting_called",
                plan=DateSpec("due", snap="working_before",
                              not_before=DateSpec("E", snap="none")),
                due=NoticeBefore("constitution-notice", later="constituent_meeting"),
            ),
            Step(
                "constituent_meeting", "event", ("constitution", "term"),
                trigger="constitute", state="constituted", plan=DateSpec("K", snap="none"),
                due=DueByRule("constitution"),
            ),
            Step(
                "member_training", "phase", ("member-training",),
                trigger="start_member_training", state="member_training",
                plan=DateSpec("K", weeks=1),
                end=DateSpec("K", weeks=6, snap="working_before"),
                end_trigger="finish_member_training", state_after="governing",
            ),
            Step(
                "next_day", "event", ("election-day", "term"),
                trigger="hold_next_election", state="term_ended",
                plan=DateSpec("E_next", snap="none"),
            ),
        ),
    )
