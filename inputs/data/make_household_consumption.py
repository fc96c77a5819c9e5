#!/usr/bin/env python3
"""Make the household-level consumption example from example-persons.csv.

    python3 inputs/data/make_household_consumption.py

Reads inputs/data/example-persons.csv (3,000 households, one row per person)
and writes, deterministically (Python's random.Random(20250113), consumed in
household order):

- example-households-consumption.csv: one row per household, as a Viet
  Nam-style living-standards survey delivers it: hh_id, person_id (the
  household's id again: the loader needs a unique row id), weight, stratum,
  psu, region, urban, hsize (members), other_income (the household's monthly
  earnings + other_income), consumption (per YEAR) and price_index (a
  regional price index).
- example-persons-consumption.csv: the same households expanded to one row
  per person (example-persons.csv's rows and columns) with the household's
  hsize, consumption and price_index on every member, other_income summed
  over members on each household's first row (0 on the others), so that a
  run on either file sees the same households.

Consumption per year = 12 × (0.55 × monthly income + 45 × hsize^0.8) ×
exp(0.25 z), z ~ N(0, 1), rounded to cents: consumption rises less than
income and is positive for households without income. The price index is
1 + 0.03 × (region − 5) for urban households and 0.92 + 0.03 × (region − 5)
for rural ones, rounded to 3 decimals.
"""
import csv
import math
import os
import random
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    rng = random.Random(20250113)
    with open(os.path.join(HERE, "example-persons.csv"), newline="") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames
        rows = list(reader)
    households = OrderedDict()
    for r in rows:
        households.setdefault(r["hh_id"], []).append(r)
    hh_rows, person_rows = [], []
    for hid, members in households.items():
        head = members[0]
        for m in members:
            for key in ("weight", "stratum", "psu", "region", "urban"):
                assert m[key] == head[key], f"household {hid}: {key} differs between members"
        income = sum(float(m["earnings"]) + float(m["other_income"]) for m in members)
        size = len(members)
        z = rng.gauss(0.0, 1.0)
        consumption = round(12 * (0.55 * income + 45 * size ** 0.8) * math.exp(0.25 * z), 2)
        region, urban = int(head["region"]), int(head["urban"])
        index = round((1.0 if urban == 1 else 0.92) + 0.03 * (region - 5), 3)
        hh_rows.append({
            "hh_id": hid, "person_id": hid, "weight": head["weight"], "stratum": head["stratum"], "psu": head["psu"],
            "region": region, "urban": urban, "hsize": size, "other_income": f"{income:.2f}",
            "consumption": f"{consumption:.2f}", "price_index": f"{index:.3f}",
        })
        for k, m in enumerate(members):
            out = dict(m)
            out["other_income"] = f"{income:.2f}" if k == 0 else "0.00"
            out["earnings"] = "0.00"
            out.update({"hsize": size, "consumption": f"{consumption:.2f}", "price_index": f"{index:.3f}"})
            person_rows.append(out)
    hh_fields = ["hh_id", "person_id", "weight", "stratum", "psu", "region", "urban", "hsize", "other_income",
                 "consumption", "price_index"]
    with open(os.path.join(HERE, "example-households-consumption.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=hh_fields, lineterminator="\n")
        w.writeheader()
        w.writerows(hh_rows)
    with open(os.path.join(HERE, "example-persons-consumption.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields + ["hsize", "consumption", "price_index"], lineterminator="\n")
        w.writeheader()
        w.writerows(person_rows)


if __name__ == "__main__":
    main()
