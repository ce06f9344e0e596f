"""Each scenario event type's own check and application, in one place per type.

A handler checks an event against the process models it will run under (:meth:`check`, when the
scenario is checked: unknown milestones, an end edge of a one-day step, a publication that is not
one, a trigger the process does not have) and applies it to a running :class:`~.runner.Run`
(:meth:`apply`, on the event's day: it changes the run's adjustments, which re-date the timeline).
``constituted`` needs neither: it defines the term's K.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from plancycle import calendar_no as cal
from plancycle.errors import InputError
from plancycle.ids import MilestoneId, edge_key
from plancycle.messages import msg
from plancycle.simulation.events import (
    Constituted,
    Delay,
    Event,
    Fire,
    MeetingCancelled,
    Published,
    ScenarioError,
)

if TYPE_CHECKING:
    from plancycle.simulation.runner import Run
    from plancycle.simulation.timeline import Context, InstanceSpec

E = TypeVar("E", Constituted, Delay, MeetingCancelled, Published, Fire)


@dataclass(frozen=True)
class References:
    """What the process models a scenario runs under define: to check references against."""

    contexts: Sequence[Context]
    names: str  # the models, for messages ("classic or samskaping")

    def milestone(self, field: str, ident: str, *, edge: str = "start", yearless: bool = False,
                  notice: bool = False) -> None:
        """Refuse a milestone none of the models has (``yearless``: a yearly one named without
        its year matches every year), an end edge of a one-day step, or (``notice``) a step that
        gives no notice of a decision."""
        found = False
        for ctx in self.contexts:
            ids = [ident] if ident in ctx.base.slots else []
            if not ids and yearless:
                process, _, local = ident.partition(".")
                ids = [m for m in ctx.base.slots
                       if m.startswith(process + ".") and m.endswith("." + local)
                       and m.count(".") == 2]
            for found_id in ids:
                step = ctx.base.slots[found_id].step
                if edge == "end" and step.kind != "phase":
                    raise ScenarioError(field, InputError(key="scenario_end_not_phase",
                                                          milestone=ident))
                if notice and not any(found_id in spec.notices for spec in ctx.instances):
                    allowed = sorted({MilestoneId.parse(k).key
                                      for spec in ctx.instances for k in spec.notices})
                    raise ScenarioError(field, InputError(
                        key="scenario_not_publication", milestone=ident,
                        allowed=", ".join(allowed)))
                found = True
        if not found:
            close = sorted(m for ctx in self.contexts for m in ctx.base.slots
                           if m.partition(".")[0] == ident.partition(".")[0])[:6]
            if close:
                raise ScenarioError(field, InputError(
                    key="scenario_unknown_milestone_hint", milestone=repr(ident),
                    models=self.names, examples=", ".join(dict.fromkeys(close))))
            raise ScenarioError(field, InputError(key="scenario_unknown_milestone",
                                                  milestone=repr(ident), models=self.names))


class Handler(Generic[E]):
    """The check and the application of one event type (both do nothing by default)."""

    def check(self, event: E, field: str, refs: References) -> None:
        """Refuse ``event`` (at ``field`` of the scenario) if it cannot run under the models."""

    def apply(self, event: E, field: str, run: Run, day: dt.date) -> None:
        """Apply ``event`` to ``run`` on ``day``."""


class ConstitutedHandler(Handler[Constituted]):
    """K is part of the term itself (:attr:`Scenario.constituted`): nothing to apply."""


class DelayHandler(Handler[Delay]):
    def check(self, event: Delay, field: str, refs: References) -> None:
        refs.milestone(f"{field}.milestone", event.milestone, edge=event.edge)

    def apply(self, event: Delay, field: str, run: Run, day: dt.date) -> None:
        if event.milestone not in run.timeline.slots:
            run.skip(field, event, event.milestone)
            return
        key = edge_key(event.milestone, event.edge)
        run.check_open(key, field, event)
        run.adjust.shift[key] = run.adjust.shift.get(key, 0) + event.total_days
        run.timeline.invalidate(key)


class MeetingCancelledHandler(Handler[MeetingCancelled]):
    def apply(self, event: MeetingCancelled, field: str, run: Run, day: dt.date) -> None:
        decisions = run.timeline.decisions_on(event.date)
        if not decisions:
            run.notes.append(msg("scn_note_nothing_moved", field=field, event=event.describe()))
            return
        if event.moved_to is None and run.timeline.meetings:
            run.adjust.cancelled.append(event.date)
            run.rebuild_timeline()
        else:
            moved = event.moved_to or cal.council_day_on_or_after(
                event.date + dt.timedelta(days=1))
            for key in decisions:
                run.adjust.soft[key] = moved
                run.timeline.invalidate(key)
        moved_to = ", ".join(f"{key} → {run.when(key).isoformat()}" for key in decisions)
        run.notes.append(msg("scn_note_moved", field=field, event=event.describe(), moved=moved_to))


class PublishedHandler(Handler[Published]):
    def check(self, event: Published, field: str, refs: References) -> None:
        refs.milestone(f"{field}.milestone", event.milestone, notice=True)

    def apply(self, event: Published, field: str, run: Run, day: dt.date) -> None:
        if event.milestone not in run.timeline.slots:
            run.skip(field, event, event.milestone)
            return
        key = event.milestone
        run.check_open(key, field, event)
        if event.date is not None:
            run.adjust.hard[key] = event.date
        else:
            assert event.days_before is not None
            later = next(spec.notices[key] for spec in run.ctx.instances if key in spec.notices)
            run.check_open(later, field, event)
            meeting = run.timeline.date(later)
            held = meeting - dt.timedelta(days=event.days_before)
            if held < day:
                raise ScenarioError(f"{field}.days_before", InputError(
                    key="scenario_published_too_early", event=event.describe(),
                    held=held.isoformat(), day=day.isoformat()))
            run.adjust.hard[key] = held
            run.adjust.hard[later] = meeting
            run.timeline.invalidate(later)
        run.timeline.invalidate(key)


def fires(spec: InstanceSpec, event: Fire) -> bool:
    """True when ``event`` names the instance of ``spec``: by its name, or for a duty of an
    independent process (``governance``) by the process and the duty's own trigger."""
    if spec.name == event.process:
        return True
    # a duty's part is named by its milestone id; its definition by the process
    return not spec.definition.yearly and spec.definition.name == event.process \
        and any(edge.trigger == event.trigger for edge in spec.chain)


class FireHandler(Handler[Fire]):
    def check(self, event: Fire, field: str, refs: References) -> None:
        specs = [spec for ctx in refs.contexts for spec in ctx.instances
                 if spec.name == event.process or spec.definition.name == event.process]
        if not specs:
            known = sorted({spec.name for ctx in refs.contexts for spec in ctx.instances})
            raise ScenarioError(f"{field}.process", InputError(
                key="scenario_unknown_process", process=repr(event.process),
                allowed=", ".join(known)))
        triggers = {c.trigger for spec in specs for c in spec.chain} | {
            t for spec in specs for t in spec.extra_triggers}
        if event.trigger not in triggers:
            raise ScenarioError(f"{field}.trigger", InputError(
                key="scenario_unknown_trigger", process=event.process,
                trigger=repr(event.trigger), allowed=", ".join(sorted(triggers))))

    def apply(self, event: Fire, field: str, run: Run, day: dt.date) -> None:
        try:
            index = next(i for i, s in enumerate(run.ctx.instances) if fires(s, event))
        except StopIteration:
            run.skip(field, event, event.process)
            return
        spec = run.ctx.instances[index]
        chain = [edge for edge in spec.chain if edge.trigger == event.trigger]
        if chain:
            run.check_open(chain[0].key, field, event)
            run.adjust.hard[chain[0].key] = event.date
            run.timeline.invalidate(chain[0].key)
            return
        if event.trigger not in spec.extra_triggers:
            run.skip(field, event, f"{event.process}.{event.trigger}")
            return
        instance = run.instances[index]
        instance.fire(event.trigger, event.date)
        run.reenter(spec, instance, event.date)


_HANDLERS: dict[type, Handler[Constituted] | Handler[Delay] | Handler[MeetingCancelled]
                | Handler[Published] | Handler[Fire]] = {
    Constituted: ConstitutedHandler(), Delay: DelayHandler(),
    MeetingCancelled: MeetingCancelledHandler(), Published: PublishedHandler(),
    Fire: FireHandler(),
}


def check_event(event: Event, field: str, refs: References) -> None:
    """Check ``event`` with its type's handler."""
    handler = _HANDLERS[type(event)]
    handler.check(event, field, refs)  # type: ignore[arg-type]  # the handler of its own type


def apply_event(event: Event, field: str, run: Run, day: dt.date) -> None:
    """Apply ``event`` to ``run`` on ``day`` with its type's handler."""
    handler = _HANDLERS[type(event)]
    handler.apply(event, field, run, day)  # type: ignore[arg-type]  # the handler of its own type
