"""The duties of every new council that are not plans: governance (issue 12).

Once a term the council sets up its councils for the elderly, for persons with disabilities and
the youth council (koml § 5-12), adopts its delegation regulation (§ 5-14), the control
committee's plans for performance audits and ownership control (§§ 23-3, 23-4), its financial
regulation (§ 14-13) and an ownership report (§ 26-1); a municipality also elects lay judges
(domstolloven § 66), sees its alcohol licences lapse (alkoholloven § 1-6) and updates its overall
risk and vulnerability analysis with the kommuneplan (sivilbeskyttelsesloven § 14). A county
authority has the duties of the Local Government Act only. Where the law names no date the plan
date is practice (rule parameter ``planned``); the due dates are those of the rules.
"""

from __future__ import annotations

from functools import cache

from plancycle.processes.declaration import (
    DateSpec,
    DueByRule,
    ProcessDefinition,
    ProcessModel,
    Step,
)


def _decision(milestone: str, rule: str, trigger: str, state: str) -> Step:
    """A council decision planned on the rule's practice date, bounded by its due date."""
    return Step(milestone, "deadline", (rule,), trigger=trigger, state=state,
                plan=DateSpec(f"rule:{rule}:planned", snap="council_before"),
                due=DueByRule(rule))


@cache
def definition(model: ProcessModel, *, county: bool = False) -> ProcessDefinition:
    """The governance duties of a term (the same in every process model); ``county``: those of a
    county authority (no lay judges, alcohol licences or municipal risk analysis)."""
    councils = Step("councils", "event", ("councils",), trigger="set_up_councils",
                    state="councils_set_up", plan=DateSpec("K", weeks=8, snap="council_after"))
    risk = Step("risk_analysis", "event", ("risk-analysis",), trigger="update_risk_analysis",
                state="risk_analysis_updated",
                plan=DateSpec("ms:samfunnsdel.drafting", snap="working_after",
                              not_before=DateSpec("K")))
    municipal_only = not county
    # The duties are independent (``independent=True``): each is a one-step process of its own,
    # so a late one pushes none of the others and a fact for one is never refused or implied by
    # another's. The risk analysis follows the kommuneplan's drafting, not the other duties.
    steps: tuple[Step, ...] = (
        *((risk,) if municipal_only else ()),
        councils,
        _decision("delegation_regulation", "delegation-regulation", "adopt_delegation_regulation",
                  "delegation_regulated"),
        _decision("audit_plan", "audit-plan", "adopt_audit_plan", "audit_planned"),
        _decision("ownership_control_plan", "ownership-control-plan",
                  "adopt_ownership_control_plan", "ownership_control_planned"),
        *((_decision("lay_judges", "lay-judges", "elect_lay_judges", "lay_judges_elected"),
           Step("alcohol_licences", "deadline", ("alcohol-licences",),
                trigger="renew_alcohol_licences", state="licences_renewed",
                plan=DateSpec("due", snap="none"), due=DueByRule("alcohol-licences")))
          if municipal_only else ()),
        _decision("financial_regulation", "financial-regulation", "adopt_financial_regulation",
                  "financial_regulated"),
        _decision("ownership_report", "ownership-report", "adopt_ownership_report",
                  "ownership_reported"),
    )
    return ProcessDefinition(name="governance", model=model, initial="term_started", steps=steps,
                             independent=True)
