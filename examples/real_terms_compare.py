"""What the eight cities did, next to what each process model plans for the same city and term.

For every real term file in examples/terms/real/ (every fact with its source): the measured
values (days from election day to the adopted samfunnsdel, share of the term governed with it,
planstrategi adopted by K + 1 year) and, for classic, samskaping and reform, the same measures of
the plain plan (one run without variation) for the same municipality, year and K. Both sides come
from plancycle.measures, the one implementation of the measures. Prints a markdown table.

    python examples/real_terms_compare.py [TERM_FILE ...]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from plancycle.processes import PROCESS_MODELS
from plancycle.simulation import Scenario, compare
from plancycle.term import Term
from plancycle.termfile import load_term

REAL = Path(__file__).parent / "terms" / "real"


def measured(term: Term) -> tuple[str, str, str]:
    """Days to the samfunnsdel, share of the term, planstrategi in time: as recorded."""
    m = term.status(term.period().end, lang="en").measures
    assert m is not None
    days = "–" if m.days_to_samfunnsdel is None else str(m.days_to_samfunnsdel)
    share = f"{m.share_of_term:.0%}" if m.days_to_samfunnsdel is not None else "–"
    in_time = {True: "yes", False: "no", None: "–"}[m.planstrategi_in_time]
    return days, share, in_time


def planned(term: Term) -> dict[str, tuple[str, str, str]]:
    """The same measures of each model's plain plan for the term's municipality, year and K."""
    events = [{"type": "constituted", "date": term.constituted.isoformat()}] \
        if term.constituted else []
    scenario = Scenario.model_validate({"name": "plan", "election_year": term.election_year,
                                        "municipalities": [term.municipality], "events": events})
    out = {}
    for agg in compare(scenario).aggregates:
        days, share = agg.days_to_samfunnsdel.median, agg.own_samfunnsdel_share.median
        out[agg.model] = ("–" if days is None else str(int(days)),
                          "–" if share is None else f"{share:.0%}",
                          "yes" if agg.planstrategi_on_time_share == 1 else "no")
    return out


def table(paths: list[Path]) -> str:
    head = ("| municipality | term | days to samfunnsdel | share of term | planstrategi in time | "
            + " | ".join(f"{m}: days · share" for m in PROCESS_MODELS) + " |")
    lines = [head, "|" + "---|" * (5 + len(PROCESS_MODELS))]
    for path in paths:
        term = load_term(path, lang="en")
        owner = term.owner()
        name = getattr(owner, "name", term.municipality)
        days, share, in_time = measured(term)
        ongoing = term.election_year >= 2023  # the current term: not over when collected
        plan = planned(term)
        cells = [f"{term.municipality} {name}", f"{term.election_year}"
                 + (" (ongoing)" if ongoing else ""), days, share, in_time]
        cells += [f"{plan[m][0]} · {plan[m][1]}" for m in PROCESS_MODELS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("files", nargs="*", type=Path)
args = parser.parse_args()
print(table(args.files or sorted(REAL.glob("*.toml"))), end="")
