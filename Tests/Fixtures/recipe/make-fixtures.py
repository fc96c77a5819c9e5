#!/usr/bin/env python3
"""Makes the two-file CSV survey of the recipe tests from inputs/data/example-persons.csv.

households.csv: one row per household (the first 300 households): hhid, wt,
  strat, cluster, region, area ("urban"/"rural" text for urban 1/0), commune
  (hhid mod 7 + 1; communes.csv maps it to a region-like code).
persons.csv: one row per person of those households, households interleaved
  (fixed seed; each household's members in their order) so that the recipe has
  to group them: hhid, pid (person_id),
  age, sex, lstat (labour_status), earn_m (earnings; EMPTY where earnings is 0
  and the person is outside the labour force, so the recipe says missing ->
  zero), oth (other_income), disabled.
communes.csv: commune, zone.
recipe.yaml reproduces example-persons.csv's columns for those households.
Run from this folder: python3 make-fixtures.py
"""
import csv, random
rows = list(csv.DictReader(open("../../../inputs/data/example-persons.csv")))
keep = []
seen = []
for r in rows:
    if r["hh_id"] not in seen:
        if len(seen) == 300:
            break
        seen.append(r["hh_id"])
    keep.append(r)
with open("expected-persons.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    cols = ["hh_id", "person_id", "weight", "stratum", "psu", "region", "urban", "age", "sex", "labour_status", "earnings", "other_income", "disabled"]
    w.writerow(cols)
    for r in keep:
        w.writerow([r[c] for c in cols])
with open("households.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["hhid", "wt", "strat", "cluster", "region", "area", "commune"])
    done = set()
    for r in keep:
        if r["hh_id"] in done:
            continue
        done.add(r["hh_id"])
        w.writerow([r["hh_id"], r["weight"], r["stratum"], r["psu"], r["region"], "urban" if r["urban"] == "1" else "rural", int(r["hh_id"]) % 7 + 1])
# Rows of different households interleave; each household's members keep their order.
order = list(range(len(keep)))
random.Random(20261205).shuffle(order)
slots = {}
for position, i in enumerate(order):
    slots.setdefault(keep[i]["hh_id"], []).append(position)
persons = [None] * len(keep)
members = {}
for r in keep:
    members.setdefault(r["hh_id"], []).append(r)
for h, positions in slots.items():
    for position, r in zip(sorted(positions), members[h]):
        persons[position] = r
with open("persons.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["hhid", "pid", "age", "sex", "lstat", "earn_m", "oth", "disabled"])
    for r in persons:
        earn = "" if (float(r["earnings"]) == 0 and r["labour_status"] == "0") else r["earnings"]
        w.writerow([r["hh_id"], r["person_id"], r["age"], r["sex"], r["labour_status"], earn, r["other_income"], r["disabled"]])
with open("communes.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["commune", "zone"])
    for c in range(1, 8):
        w.writerow([c, 10 + c % 3])
