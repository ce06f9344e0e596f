"""What if the samfunnsdel hearing starts late? Each model, 0 to 16 weeks late, Stavanger 2027.

Prints when the samfunnsdel is adopted, how much of the term the new council then governs with it,
and the rules broken. Shows how much slack each model's plan has before the samfunnsdel misses its
due date (year one in samskaping and reform, 18 months in classic).

    python examples/what_if_late_hearing.py
"""

from __future__ import annotations

from plancycle.processes import PROCESS_MODELS
from plancycle.simulation import Scenario, simulate

print(f"{'model':<11} {'weeks late':>10}  {'adopted':<10}  {'own share':>9}  rules broken")
for model in PROCESS_MODELS:
    for weeks in range(0, 17, 2):
        events: list[dict[str, object]] = [{"type": "constituted", "date": "2027-10-21"}]
        if weeks:
            events.append({"type": "delay", "milestone": "samfunnsdel.public_consultation",
                           "weeks": weeks})
        scenario = Scenario(election_year=2027, municipalities=("Stavanger",), model=model,
                            events=events)  # type: ignore[arg-type]
        run = simulate(scenario).runs[0]
        adopted = run.measures.samfunnsdel_adopted
        broken = ", ".join(f"{v.rule} ({v.days_late} days)" for v in run.violations) or "none"
        print(f"{model:<11} {weeks:>10}  {adopted.isoformat() if adopted else '-':<10}  "
              f"{run.measures.own_samfunnsdel_share:>9.1%}  {broken}")
