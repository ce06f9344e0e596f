"""The plan system (issue 10): the planstrategi's plan register (pbl § 10-1), its files, reports
and overview page. :mod:`plancycle.plans.register` is the data; the rest builds on it."""

from plancycle.plans.register import (
    COLUMNS,
    DECISION_KINDS,
    MAX_PLANS,
    PLAN_ID,
    PLAN_STATUSES,
    PLAN_TYPES,
    REGISTER_SCHEMA_VERSION,
    Decision,
    DecisionKind,
    Plan,
    PlanRegister,
    PlanStatus,
    PlanType,
    load_plan_register,
    parse_start,
    write_plan_register,
)

__all__ = ["COLUMNS", "DECISION_KINDS", "MAX_PLANS", "PLAN_ID", "PLAN_STATUSES", "PLAN_TYPES",
           "REGISTER_SCHEMA_VERSION", "Decision", "DecisionKind", "Plan", "PlanRegister",
           "PlanStatus", "PlanType", "load_plan_register", "parse_start", "write_plan_register"]
