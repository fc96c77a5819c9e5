#!/usr/bin/env python3
"""Independent computation of SPEC.md's indicators, for simrun's golden tests.

    python3 Tests/Reference/spec_reference.py PERSONS.csv > reference.json

Written from shared/bench/SPEC.md alone, sharing no code with simrun and
computing differently on purpose:
- everything is at person level (simrun works per household);
- sums are exact-rounded with math.fsum (simrun uses plain double sums);
- the Gini is the pairwise definition sum_i sum_j w_i w_j |y_i - y_j| /
  (2 W^2 mean), evaluated exactly in O(n log n) as
  2 * sum_i w_i (y_i * Wbelow_i - Sbelow_i) over persons sorted by y, where
  Wbelow_i and Sbelow_i are the weight and weighted income of the persons
  strictly before i (ties contribute |y_i - y_j| = 0 either way); simrun uses
  the cumulative-weight formula.
Needs Python 3 and the standard library only.
"""
import csv
import json
import math
import sys
from itertools import accumulate

Z = 150.0            # poverty line, per person per month
GRANT = 30.0         # per child per month, ages 0..17
CONTRIBUTION = 0.07  # of earnings, formal employees
TAX_RATE, TAX_THRESHOLD = 0.15, 500.0


def indicators(persons, reform):
    households = {}
    order = []
    for p in persons:
        hh = p["hh_id"]
        if hh not in households:
            households[hh] = []
            order.append(hh)
        households[hh].append(p)
    y_person, w_person = [], []
    grant_cost_monthly, beneficiaries = [], []
    for hh in order:
        members = households[hh]
        parts = []
        for p in members:
            formal = p["labour_status"] == 1
            contribution = CONTRIBUTION * p["earnings"] if formal else 0.0
            tax = TAX_RATE * max(0.0, p["earnings"] - TAX_THRESHOLD) if formal else 0.0
            grant = GRANT if reform and 0 <= p["age"] <= 17 else 0.0
            parts += [p["earnings"], p["other_income"], -contribution, -tax, grant]
            if grant > 0:
                grant_cost_monthly.append(p["weight"] * grant)
                beneficiaries.append(p["weight"])
        per_capita = math.fsum(parts) / len(members)
        for p in members:
            y_person.append(per_capita)
            w_person.append(p["weight"])
    W = math.fsum(w_person)
    fgt = []
    for a in (0, 1, 2):
        fgt.append(math.fsum(w * ((Z - y) / Z) ** a for y, w in zip(y_person, w_person) if y < Z) / W)
    pairs = sorted(zip(y_person, w_person))
    # Exact pairwise sum via prefix sums over the sorted persons.
    w_sorted = [w for _, w in pairs]
    wy_sorted = [w * y for y, w in pairs]
    terms = []
    w_below = 0.0
    s_below = []
    running_w = []
    # Use fsum-based prefix sums for accuracy.
    prefix_w = list(accumulate(w_sorted, lambda acc, x: acc + x))
    total_wy = math.fsum(wy_sorted)
    partial = []
    acc = []
    # Kahan-compensated prefix sums of w*y.
    s = 0.0
    c = 0.0
    prefix_wy = []
    for v in wy_sorted:
        t = v - c
        u = s + t
        c = (u - s) - t
        s = u
        prefix_wy.append(s)
    for i, (y, w) in enumerate(pairs):
        wb = prefix_w[i - 1] if i > 0 else 0.0
        sb = prefix_wy[i - 1] if i > 0 else 0.0
        terms.append(w * (y * wb - sb))
    pairwise = 2.0 * math.fsum(terms)
    mean = total_wy / W
    gini = pairwise / (2.0 * W * W * mean)
    return {
        "cost_annual": 12.0 * math.fsum(grant_cost_monthly),
        "beneficiaries": math.fsum(beneficiaries),
        "fgt0": fgt[0], "fgt1": fgt[1], "fgt2": fgt[2],
        "gini": gini,
        "mean_income": mean,
        "weighted_persons": W,
    }


def main():
    path = sys.argv[1]
    persons = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            persons.append({
                "hh_id": int(row["hh_id"]), "weight": float(row["weight"]), "age": int(row["age"]),
                "labour_status": int(row["labour_status"]), "earnings": float(row["earnings"]),
                "other_income": float(row["other_income"]),
            })
    out = {
        "source": "Tests/Reference/spec_reference.py (independent of simrun; SPEC.md definitions)",
        "data": path,
        "households": len({p["hh_id"] for p in persons}),
        "persons": len(persons),
        "baseline": indicators(persons, reform=False),
        "reform": indicators(persons, reform=True),
    }
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
