#!/usr/bin/env python3
"""Makes the two-file Stata example from inputs/data/example-persons.csv.

    python3 inputs/data/make_dta_example.py      # writes next to this script

Needs pandas and pyreadstat from PyPI (made with pandas 3.1.1, pyreadstat
1.3.8). Same bytes on every run (the files' timestamps are fixed). The files
are what an LSMS-style survey delivers: a household file and a person file
joined by `hhid`, value labels, Stata extended missing codes, and money
partly annual. A data recipe turns them back into example-persons.csv; every
rule it needs is stated below. Both files are Stata format 118 (UTF-8).

example-households.dta: one row per household (3,000), in hh_id order.
  hhid        long    household key; equal to the CSV's hh_id
  weight      double  household sampling weight (CSV weight)
  stratum     int     sampling stratum (CSV stratum)
  psu         int     primary sampling unit (CSV psu)
  region      byte    region code (CSV region), value labels "region":
                      1 Capital, 2 North, 3 North-East, 4 East, 5 South-East,
                      6 South, 7 South-West, 8 West, 9 North-West, 10 Highlands
  urban       byte    (CSV urban), value labels "urban": 0 Rural, 1 Urban
  hh_size     byte    number of persons in the household (a check: it equals
                      the number of person rows with this hhid)
  hh_other_income_annual  double
                      the household's other income per YEAR: 12 times the sum
                      of its members' CSV other_income, rounded to cents (a
                      check for "sum over members"; the person file carries
                      each member's own part)

example-persons.dta: one row per person (13,393), households in hhid order,
members in the CSV's order.
  hhid        long    household key (CSV hh_id)
  line        byte    person line number within the household, 1, 2, ...
  pid         long    person identifier (CSV person_id)
  age         byte    age in completed years (CSV age)
  sex         byte    (CSV sex), value labels "sex": 1 Male, 2 Female
  labour_status byte  (CSV labour_status), value labels "labour":
                      0 Inactive, 1 Formal employee, 2 Informal worker, 3 Unemployed
  earnings_annual double
                      labour income per YEAR: 12 times the CSV's monthly
                      earnings, rounded to cents; extended missing
                      .a where labour_status is 0 (inactive: CSV earnings 0)
                      .b where labour_status is 3 (unemployed: CSV earnings 0)
                      (every inactive and unemployed person has CSV earnings 0)
  other_income_annual double
                      non-labour income per YEAR: 12 times the CSV's
                      other_income, rounded to cents (no missing values)
  pension_income double  contributory pension per MONTH, as the CSV's
                      pension_income (periods differ on purpose)
  disabled    byte    (CSV disabled), value labels "yesno": 0 No, 1 Yes
  months_since_birth int  (CSV months_since_birth) except .n where the
                      CSV has -1 (no birth in the last 24 months or not
                      applicable)
  pregnant    byte    (CSV pregnant), value labels "yesno"
  contract_type byte  (CSV contract_type), value labels "contract":
                      0 None, 1 Permanent, 2 Fixed-term
  last_job_status byte (CSV last_job_status), value labels "jobstatus":
                      0 None, 1 Formal employee, 2 Informal worker
  months_unemployed int (CSV months_unemployed)
  months_worked_last_24m byte (CSV months_worked_last_24m)

The recipe that gives back example-persons.csv, column by column:
  hh_id = hhid; person_id = pid; weight, stratum, psu, region, urban from the
  household file; age, sex, labour_status, disabled, pregnant, contract_type,
  last_job_status, months_unemployed, months_worked_last_24m, pension_income
  as they are; earnings = round(earnings_annual / 12, 2) with .a and .b
  meaning 0; other_income = round(other_income_annual / 12, 2);
  months_since_birth with .n meaning -1. Plain `annual / 12` differs from the
  CSV in the last bit for about 8% of earnings (12 x cents / 12 is not always
  the same double): round to cents. This script checks that these rules give
  the CSV's values exactly.
"""
import os
import re

import numpy as np
import pandas as pd
import pyreadstat

HERE = os.path.dirname(os.path.abspath(__file__))
REGIONS = {1: "Capital", 2: "North", 3: "North-East", 4: "East", 5: "South-East",
           6: "South", 7: "South-West", 8: "West", 9: "North-West", 10: "Highlands"}


def annual(monthly):
    """12 times a money column, in whole cents."""
    return np.round(np.round(monthly.to_numpy() * 100) * 12) / 100


def fix_timestamp(path):
    data = open(path, "rb").read()
    data = re.sub(rb"\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d", b"01 Jan 2026 00:00", data, count=1)
    open(path, "wb").write(data)


def main():
    p = pd.read_csv(os.path.join(HERE, "example-persons.csv"))
    assert p.hh_id.is_monotonic_increasing

    h = p.groupby("hh_id", sort=True).agg(weight=("weight", "first"), stratum=("stratum", "first"),
                                          psu=("psu", "first"), region=("region", "first"),
                                          urban=("urban", "first"), hh_size=("person_id", "size"),
                                          oi=("other_income", "sum")).reset_index()
    households = pd.DataFrame({
        "hhid": h.hh_id.astype("int32"), "weight": h.weight, "stratum": h.stratum.astype("int16"),
        "psu": h.psu.astype("int16"), "region": h.region.astype("int8"), "urban": h.urban.astype("int8"),
        "hh_size": h.hh_size.astype("int8"),
        "hh_other_income_annual": np.round(np.round(h.oi.to_numpy() * 100) * 12) / 100,
    })
    earnings = pd.Series(annual(p.earnings), dtype=object)
    assert (p.earnings[p.labour_status.isin([0, 3])] == 0).all()
    earnings[p.labour_status == 0] = "a"
    earnings[p.labour_status == 3] = "b"
    births = pd.Series(p.months_since_birth.to_numpy(), dtype=object)
    births[p.months_since_birth == -1] = "n"
    persons = pd.DataFrame({
        "hhid": p.hh_id.astype("int32"), "line": (p.groupby("hh_id").cumcount() + 1).astype("int8"),
        "pid": p.person_id.astype("int32"), "age": p.age.astype("int8"), "sex": p.sex.astype("int8"),
        "labour_status": p.labour_status.astype("int8"), "earnings_annual": earnings,
        "other_income_annual": annual(p.other_income), "pension_income": p.pension_income,
        "disabled": p.disabled.astype("int8"), "months_since_birth": births,
        "pregnant": p.pregnant.astype("int8"), "contract_type": p.contract_type.astype("int8"),
        "last_job_status": p.last_job_status.astype("int8"), "months_unemployed": p.months_unemployed.astype("int16"),
        "months_worked_last_24m": p.months_worked_last_24m.astype("int8"),
    })

    yesno = {0: "No", 1: "Yes"}
    hfile = os.path.join(HERE, "example-households.dta")
    pyreadstat.write_dta(households, hfile, version=14, file_label="Example survey: households",
                         column_labels={"hhid": "Household identifier", "weight": "Household sampling weight",
                                        "stratum": "Sampling stratum", "psu": "Primary sampling unit",
                                        "region": "Region", "urban": "Urban or rural",
                                        "hh_size": "Number of household members",
                                        "hh_other_income_annual": "Household other income, per year"},
                         variable_value_labels={"region": REGIONS, "urban": {0: "Rural", 1: "Urban"}})
    pfile = os.path.join(HERE, "example-persons.dta")
    pyreadstat.write_dta(persons, pfile, version=14, file_label="Example survey: persons",
                         column_labels={"hhid": "Household identifier", "line": "Person line number",
                                        "pid": "Person identifier", "age": "Age in completed years", "sex": "Sex",
                                        "labour_status": "Labour force status",
                                        "earnings_annual": "Labour income, per year",
                                        "other_income_annual": "Non-labour income, per year",
                                        "pension_income": "Contributory pension, per month",
                                        "disabled": "Severely disabled", "months_since_birth": "Months since last birth",
                                        "pregnant": "Pregnant", "contract_type": "Contract of the (last) job",
                                        "last_job_status": "Status in the (last) job",
                                        "months_unemployed": "Months in the current unemployment spell",
                                        "months_worked_last_24m": "Months worked in the last 24 months"},
                         variable_value_labels={"sex": {1: "Male", 2: "Female"},
                                                "labour_status": {0: "Inactive", 1: "Formal employee",
                                                                  2: "Informal worker", 3: "Unemployed"},
                                                "disabled": yesno, "pregnant": yesno,
                                                "contract_type": {0: "None", 1: "Permanent", 2: "Fixed-term"},
                                                "last_job_status": {0: "None", 1: "Formal employee", 2: "Informal worker"}},
                         missing_user_values={"earnings_annual": ["a", "b"], "months_since_birth": ["n"]})
    fix_timestamp(hfile)
    fix_timestamp(pfile)

    # The recipe of the header comment gives the CSV back exactly (read with pandas, independent of ReadStat).
    hh = pd.read_stata(hfile, convert_categoricals=False)
    pp = pd.read_stata(pfile, convert_categoricals=False, convert_missing=True)
    m = pp.merge(hh, on="hhid", how="left", validate="many_to_one")
    assert (m.groupby("hhid").size().to_numpy() == hh.hh_size.to_numpy()).all()
    def num(col):
        return pd.to_numeric(col.map(lambda v: v if isinstance(v, (int, float, np.number)) else np.nan), errors="coerce")
    earn = num(m.earnings_annual)
    earn_back = np.where(earn.isna(), 0.0, np.round(earn / 12, 2))
    births_back = num(m.months_since_birth).fillna(-1).astype(int)
    back = {"hh_id": m.hhid, "person_id": m.pid, "weight": m.weight, "stratum": m.stratum, "psu": m.psu,
            "region": m.region, "urban": m.urban, "age": m.age, "sex": m.sex, "labour_status": m.labour_status,
            "earnings": earn_back, "other_income": np.round(m.other_income_annual / 12, 2), "disabled": m.disabled,
            "pension_income": m.pension_income, "months_since_birth": births_back, "pregnant": m.pregnant,
            "contract_type": m.contract_type, "last_job_status": m.last_job_status,
            "months_unemployed": m.months_unemployed, "months_worked_last_24m": m.months_worked_last_24m}
    for c in p.columns:
        a, b = np.asarray(back[c], dtype=float), p[c].to_numpy(dtype=float)
        assert (a == b).all(), (c, int((a != b).sum()))
    missing_a = int((m.labour_status == 0).sum())
    print(f"wrote {hfile} ({len(hh)} households) and {pfile} ({len(pp)} persons; earnings .a {missing_a}, "
          f".b {int((m.labour_status == 3).sum())}, months_since_birth .n {int((p.months_since_birth == -1).sum())}); "
          f"the recipe gives the CSV back exactly")


if __name__ == "__main__":
    main()
