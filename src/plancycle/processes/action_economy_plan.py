"""The yearly handlings- og økonomiplan and budget cycle (koml ch. 14; pbl § 11-1 fourth paragraph).

One cycle per calendar year: last year's accounts and annual report in spring, the budget framework
in June, the chief executive's proposal in autumn, the formannskap's recommendation public at least
14 days before the council adopts the economy plan and next year's budget before the turn of the
year. In ``samskaping`` and ``reform`` the planstrategi is reviewed each year with the plan (seed).
The handlingsdel notice (pbl § 11-4 second paragraph, unverified) can be switched off. KOSTRA data
go to Statistics Norway by 15 February and, from 2020, the auditor reports the simplified
compliance check (koml § 24-9) by 30 June (issue 12).

A county authority has no kommuneplan: its cycle cites neither pbl § 11-1 fourth paragraph nor the
handlingsdel notice of pbl § 11-4, but the yearly assessment of the regional plans' action
programmes (pbl § 8-1).
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

_ON_OR_BEFORE_DUE = DateSpec("due", snap="working_before")


def _statutory_report(milestone: str, rule: str, trigger: str, state: str,
                      key: str = "due", also: tuple[str, ...] = ()) -> Step:
    return Step(milestone, "deadline", (rule, *also), trigger=trigger, state=state,
                plan=_ON_OR_BEFORE_DUE, due=DueByRule(rule, key=key))


@cache
def definition(model: ProcessModel, *, handlingsdel_notice: bool = True,
               county: bool = False) -> ProcessDefinition:
    """The yearly cycle for ``model``; ``handlingsdel_notice`` switches rule handlingsdel-notice.

    A county authority (``county``) has the same cycle without the review of the municipal
    planstrategi.
    """
    review: tuple[Step, ...] = ()
    if model in ("samskaping", "reform") and not county:
        review = (Step(
            "planstrategi_review", "event", ("planstrategi-review", "planstrategi-deadline"),
            trigger="review_planstrategi", state="planstrategi_reviewed",
            plan=DateSpec("ms:action_economy_plan.framework", snap="none"),
            term_years=(2, 3, 4),
        ),)
    notice = handlingsdel_notice and not county
    proposal = Step(
        "proposal_public", "deadline",
        ("budget-proposal", "handlingsdel-notice") if notice else ("budget-proposal",),
        trigger="publish_proposal", state="proposal_public",
        plan=DateSpec("rule:budget-proposal:planned"),
        due=NoticeBefore("handlingsdel-notice", later="adopted") if notice else None,
    )
    plan_link = "regional-handlingsprogram" if county else "handlingsdel-yearly"
    return ProcessDefinition(
        name="action_economy_plan",
        model=model,
        initial="year_opened",
        yearly=True,
        steps=(
            _statutory_report("kostra_report", "kostra-report", "report_kostra",
                              "kostra_reported"),
            _statutory_report("accounts_presented", "accounts", "present_accounts",
                              "accounts_presented"),
            Step("strategy_conference", "event", ("strategy-conference",),
                 trigger="hold_strategy_conference", state="strategy_discussed",
                 plan=DateSpec("rule:strategy-conference:planned")),
            _statutory_report("annual_report_presented", "annual-report", "present_annual_report",
                              "annual_report_presented"),
            # planned on the normal date (15 April) also in 2020, when the Covid act moved the
            # due date to 15 June: the first tertial report follows it in the chain
            Step("audit_report", "deadline", ("audit-report",), trigger="deliver_audit_report",
                 state="audited",
                 plan=DateSpec("rule:audit-report:planned", snap="working_before"),
                 due=DueByRule("audit-report")),
            _statutory_report("tertial_report_1", "budget-reports", "report_first_tertial",
                              "first_tertial_reported", key="first",
                              also=("budget-reports-statutory",)),
            *review,
            Step("framework", "event", ("budget-framework",),
                 trigger="decide_framework", state="framework_decided",
                 plan=DateSpec("rule:budget-framework:planned", snap="council_before")),
            Step("accounts_adopted", "deadline", ("accounts-adoption", "accounts-meeting"),
                 trigger="adopt_accounts", state="accounts_adopted",
                 plan=DateSpec("rule:accounts-meeting:planned", snap="council_before"),
                 due=DueByRule("accounts-adoption")),
            Step("compliance_check", "deadline", ("compliance-check",),
                 trigger="report_compliance_check", state="compliance_checked",
                 plan=DateSpec("ms:action_economy_plan.accounts_adopted", snap="working_before"),
                 due=DueByRule("compliance-check")),
            _statutory_report("tertial_report_2", "budget-reports", "report_second_tertial",
                              "second_tertial_reported", key="second",
                              also=("budget-reports-statutory",)),
            proposal,
            Step("recommendation_public", "deadline", ("budget-notice",),
                 trigger="publish_recommendation", state="recommendation_public",
                 plan=_ON_OR_BEFORE_DUE,
                 due=NoticeBefore("budget-notice", later="adopted")),
            Step("adopted", "deadline", ("budget-adoption", plan_link),
                 trigger="adopt", state="adopted",
                 plan=DateSpec("rule:council-budget-meeting:planned", snap="council_before"),
                 due=DueByRule("budget-adoption")),
            Step("sent_to_statsforvalter", "event", ("budget-report",),
                 trigger="send_to_statsforvalter", state="sent",
                 plan=DateSpec("ms:action_economy_plan.adopted", weeks=1)),
        ),
    )
