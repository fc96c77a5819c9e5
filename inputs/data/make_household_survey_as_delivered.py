#!/usr/bin/env python3
"""Make a household-level consumption survey as a statistics office delivers it.

    python3 inputs/data/make_household_survey_as_delivered.py

From inputs/data/example-households-consumption.csv (one row per household,
simrun's names) it writes inputs/data/household-survey-as-delivered.csv with
a Viet Nam VLSS-like layout and coding, which the recipe
inputs/data/household-survey-recipe.yaml turns back into simrun's data
(no other script needed):

- hhid: the household id; wt: the weight; strata, cluster: the design;
- province: the region as TEXT ("Region 1" ... "Region 10");
- urban92: 1 urban, 2 rural (the survey's coding, not simrun's 1/0);
- hhsize: members; totexp: consumption per YEAR; nonlab_m: the household's
  monthly income (other_income); pindex: the regional price index;
- three extra households with an EMPTY totexp (no consumption record) after
  the others, which the recipe drops (counted in every output's provenance),
  so that a run on the recipe gives exactly the figures of a run on
  example-households-consumption.csv.
"""
import csv
import os

here = os.path.dirname(os.path.abspath(__file__))
rows = list(csv.DictReader(open(os.path.join(here, "example-households-consumption.csv"))))
with open(os.path.join(here, "household-survey-as-delivered.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["hhid", "wt", "strata", "cluster", "province", "urban92", "hhsize", "totexp", "nonlab_m", "pindex"])
    for r in rows:
        w.writerow([r["hh_id"], r["weight"], r["stratum"], r["psu"], "Region " + r["region"],
                    1 if r["urban"] == "1" else 2, r["hsize"], r["consumption"], r["other_income"], r["price_index"]])
    last = int(rows[-1]["hh_id"])
    for k in range(1, 4):
        r = rows[k * 100]
        w.writerow([last + k, r["weight"], r["stratum"], r["psu"], "Region " + r["region"],
                    1 if r["urban"] == "1" else 2, r["hsize"], "", r["other_income"], r["price_index"]])
