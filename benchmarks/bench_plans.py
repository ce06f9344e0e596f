"""Benchmark: every municipality's term with a plan register of N decided plans (issue 10).

For each of the 357 municipalities a followed term (2027) with a register of N plans, every one
decided (a mix of kommunedelplaner, arealdel, theme plans, strategies, action plans, repeals and
merges, starts spread over 2028–2030), is scheduled (:meth:`Term.schedule`) and published
(:func:`plancycle.to_ical`). The baseline is the same with no register: the schedule of the four
core processes (and the governance duties). Reported, as medians of ``--repeats``:

- seconds for all municipalities with and without plans, and the time per plan instance
  ``(t_plans - t_core) / (municipalities × N)``, for N = 50, 100 and 200;
- the ratio of the per-instance time at 200 to that at 50 (linear: about 1).

``uncached`` clears the engine's caches before every municipality (each plans from scratch);
``cached`` is the publishing path, where municipalities with the same register share one plan.

    python benchmarks/bench_plans.py [--repeats 3] [--municipalities 357] [--sizes 50,100,200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from plancycle import ical, municipalities, to_ical
from plancycle.plans import Decision, Plan, PlanRegister
from plancycle.schedule import clear_caches
from plancycle.term import Term

TYPES = ("kommunedelplan", "temaplan", "strategi", "handlingsplan", "arealdel", "other")


def register(size: int) -> PlanRegister:
    """``size`` plans, each decided: 1 in 10 repealed, 1 in 20 merged into the first."""
    plans, decisions = [], []
    for i in range(size):
        plan_id = f"plan-{i:03d}"
        plans.append(Plan(id=plan_id, title=f"Plan {i}", type=TYPES[i % len(TYPES)]))
        if i % 10 == 9:
            decisions.append(Decision(plan=plan_id, decision="repeal"))
        elif i % 20 == 4 and i > 0:
            decisions.append(Decision(plan=plan_id, decision="merge", merge_into="plan-000"))
        else:
            start = dt.date(2028 + i % 3, 1 + (i * 5) % 12, 1)
            decisions.append(Decision(plan=plan_id, decision="revise" if i % 2 else "new",
                                      start=start))
    return PlanRegister(plans=tuple(plans), decisions=tuple(decisions))


def run(numbers: list[str], plans: PlanRegister | None, *, cached: bool) -> tuple[float, int]:
    start = time.perf_counter()
    size = 0
    for number in numbers:
        if not cached:
            clear_caches()
            ical.describe.cache_clear()
        term = Term(election_year=2027, municipality=number, plans=plans)
        size += len(to_ical(term.schedule("nb")))
    return time.perf_counter() - start, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--municipalities", type=int, default=357)
    parser.add_argument("--sizes", default="50,100,200")
    args = parser.parse_args()
    numbers = [m.number for m in municipalities(2027)][: args.municipalities]
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{len(numbers)} municipalities, term 2027, repeats {args.repeats}")
    for cached in (False, True):
        mode = "cached" if cached else "uncached"
        core = statistics.median(run(numbers, None, cached=cached)[0]
                                 for _ in range(args.repeats))
        print(f"[{mode}] core processes only: {core:.2f} s "
              f"({core / len(numbers) * 1000:.1f} ms per municipality)")
        per: dict[int, float] = {}
        for size in sizes:
            reg = register(size)
            total = statistics.median(run(numbers, reg, cached=cached)[0]
                                      for _ in range(args.repeats))
            instances = len(numbers) * size
            per[size] = (total - core) / instances
            print(f"[{mode}] {size:4d} plans: {total:.2f} s, {instances} instances, "
                  f"{per[size] * 1e6:.0f} µs per instance "
                  f"(core: {core / len(numbers) * 1e6:.0f} µs per municipality)")
        if len(sizes) > 1:
            print(f"[{mode}] linearity: per-instance time at {sizes[-1]} / at {sizes[0]} = "
                  f"{per[sizes[-1]] / per[sizes[0]]:.2f}")


if __name__ == "__main__":
    main()
