"""The feed register (:class:`plancycle.feed.register.Register`) in the database: one row per
state of an owner's term (a decision and what it left), and the meeting patterns; importing is
idempotent and bumps the register's version only when something changed."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select, update

from plancycle.errors import DataError
from plancycle.feed.register import Register, State
from plancycle.store import tables
from plancycle.store.facts import check_text


def load(connection: Connection) -> Register:
    states: dict[tuple[str, int], list[State]] = {}
    decisions = tables.register_decisions
    rows = connection.execute(select(decisions).order_by(
        decisions.c.owner_key, decisions.c.election_year, decisions.c.recorded))
    for row in rows:
        states.setdefault((row.owner_key, row.election_year), []).append(State(
            recorded=row.recorded, constituted=row.constituted, election_day=row.election_day,
            meetings=row.meetings))
    patterns = {row.plan: row.pattern for row in connection.execute(
        select(tables.meeting_patterns).order_by(tables.meeting_patterns.c.plan))}
    return Register({key: tuple(value) for key, value in states.items()}, patterns)


def save(connection: Connection, register: Register) -> int:
    """Write what ``register`` adds; the number of rows written. A state stored already with
    other values is refused (the register is append-only)."""
    stored = load(connection)
    written = 0
    for (owner_key, year), states in register.states.items():
        known = {state.recorded: state for state in stored.states.get((owner_key, year), ())}
        for state in states:
            old = known.get(state.recorded)
            if old == state:
                continue
            check_text(state.meetings, "meetings", tables.PLAN_NAME_LENGTH)
            if old is not None:
                raise DataError(key="store_register_conflict", owner=owner_key, year=year,
                                recorded=state.recorded.isoformat())
            connection.execute(insert(tables.register_decisions).values(
                owner_key=owner_key, election_year=year, recorded=state.recorded,
                constituted=state.constituted, election_day=state.election_day,
                meetings=state.meetings))
            written += 1
    for plan, pattern in register.meeting_patterns.items():
        check_text(plan, "meeting_patterns", tables.PLAN_NAME_LENGTH)
        check_text(pattern, "meeting_patterns", tables.PATTERN_LENGTH)
        old_pattern = stored.meeting_patterns.get(plan)
        if old_pattern == pattern:
            continue
        if old_pattern is None:
            connection.execute(insert(tables.meeting_patterns).values(plan=plan, pattern=pattern))
        else:
            connection.execute(update(tables.meeting_patterns)
                               .where(tables.meeting_patterns.c.plan == plan)
                               .values(pattern=pattern))
        written += 1
    if written:
        connection.execute(update(tables.counters)
                           .where(tables.counters.c.name == tables.REGISTER_COUNTER)
                           .values(value=tables.counters.c.value + 1))
    return written


def version(connection: Connection) -> int:
    found = connection.execute(select(tables.counters.c.value).where(
        tables.counters.c.name == tables.REGISTER_COUNTER)).scalar_one_or_none()
    return int(found or 0)
