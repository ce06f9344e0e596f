"""The three process models for the eight cities of the KS big-city study, 2027–2031.

Every city runs classic, samskaping and reform with the same random draws from the shipped
illustrative variation profile (src/plancycle/simulation/profiles/typical.toml), and the measures
are printed side by side: median (10th–90th percentile).

    python examples/compare_big_cities.py [--runs 100] [--seed 2027]
"""

from __future__ import annotations

import argparse

from plancycle.simulation import Scenario, compare, typical_variation
from plancycle.simulation.render import to_table

CITIES = ("Oslo", "Bergen", "Trondheim", "Stavanger", "Bærum", "Kristiansand", "Drammen", "Tromsø")

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--runs", type=int, default=100)
parser.add_argument("--seed", type=int, default=2027)
args = parser.parse_args()

variation = typical_variation().model_copy(update={"runs": args.runs, "seed": args.seed})
scenario = Scenario(name="The eight cities of the KS study", election_year=2027,
                    municipalities=CITIES, events=[{"type": "constituted", "date": "2027-10-21"}],
                    variation=variation)  # type: ignore[list-item]
print(to_table(compare(scenario), "en"), end="")
