#!/usr/bin/env python3
"""Writes inputs/countries/example.yaml, the synthetic country profile that
goes with the example survey (inputs/data/example-persons.csv).

    python3 inputs/countries/make_example_profile.py > inputs/countries/example.yaml

Base-year population by five-year age group and sex is the example survey's
weighted count (weights sum to the population), rounded to hundreds, as a
census-calibrated survey would give. Later years apply constant annual growth
rates by age (faster for older groups: an ageing population), in the shape of
a UN World Population Prospects table. The macro path is invented but
plausible for a lower-middle-income country. Standard library only.
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "example-persons.csv")
BASE, LAST = 2025, 2040
GROUPS = [f"{a}-{a + 4}" for a in range(0, 80, 5)] + ["80+"]


def growth(group_index):
    start = group_index * 5
    if start < 20:
        return 0.012
    if start < 60:
        return 0.024
    return 0.038


def main():
    pop = {1: [0.0] * 17, 2: [0.0] * 17}
    with open(DATA, newline="") as f:
        for row in csv.DictReader(f):
            g = min(int(row["age"]) // 5, 16)
            pop[int(row["sex"])][g] += float(row["weight"])
    out = sys.stdout
    out.write("# Example country profile (synthetic), consistent with inputs/data/example-persons.csv.\n")
    out.write("# Written by inputs/countries/make_example_profile.py; see docs/costing.md for every field.\n")
    out.write("name: Example (synthetic lower-middle-income country)\n")
    out.write("currency: LCU\n")
    out.write("exchange_rate: 2.5          # LCU per USD, base-year average (e.g. IMF International Financial Statistics)\n")
    out.write(f"base_year: {BASE}            # the survey year\n")
    out.write("gdp: 17500000000            # nominal GDP in the base year, LCU (national accounts; IMF World Economic Outlook)\n")
    out.write("government_expenditure: 3850000000   # general government expenditure in the base year, LCU (IMF WEO / GFS)\n")
    out.write("macro:                      # annual rates as shares (0.05 = 5%), from the year after the base year\n")
    for year in range(BASE + 1, LAST + 1):
        k = year - BASE
        cpi = max(0.035, 0.06 - 0.002 * k)
        real = 0.045 if k < 6 else 0.04
        wages = cpi + real - 0.005
        out.write(f"  {year}: {{cpi_inflation: {cpi:.3f}, real_gdp_growth: {real:.3f}, wage_growth: {wages:.3f}}}\n")
    out.write("population:                 # persons by age group and sex (UN World Population Prospects shape)\n")
    out.write("  age_groups: [" + ", ".join(f'"{g}"' for g in GROUPS) + "]\n")
    for sex, name in ((1, "male"), (2, "female")):
        out.write(f"  {name}:\n")
        for year in range(BASE, LAST + 1):
            values = [round(pop[sex][g] * (1 + growth(g)) ** (year - BASE) / 100) * 100 for g in range(17)]
            out.write(f"    {year}: [" + ", ".join(str(v) for v in values) + "]\n")


if __name__ == "__main__":
    main()
