#!/usr/bin/env python3
"""Makes the Stata and SPSS fixtures of Tests/SimKernelTests/SurveyTableReadStatTests.swift.

    python3 Tests/Fixtures/stata/make-fixtures.py      # writes next to this script

Made with pyreadstat 1.3.8 and pandas 3.1.1 (pip install pyreadstat pandas);
pyreadstat writes through ReadStat's writer, pandas through its own, so the
strL fixtures (pandas) also come from a second, independent writer.

Every file holds the same five rows (TABLE below); the tests check every value,
label and missing code against that table:

  people-114.dta, people-115.dta, people-117.dta   Windows-1252 text
  people-118.dta, people-119.dta                   UTF-8 text
      hhid   str    "H01".."H05"
      line   byte   1 2 1 2 3                       label "Person line number"
      age    int    34 .a 7 . 101                   label "Âge (années)"
      income double 1250.5 .b 0 -3.25 .z            label "Income, € per month"
      region byte   1 2 3 1 2, value labels "region": 1 Nord, 2 Süd, 3 Île-de-France
      weight float  1.5 2.25 0.5 4 8
      name   str    "Zoë" "€uro" "" "Ærø" "plain"   ("" is a missing string)
  pyreadstat writes Stata text as UTF-8 whatever the format; files before 118
  are Windows-1252, so each text of them is rewritten in Windows-1252 followed
  by NUL padding to its UTF-8 length (every text field of these formats ends
  at its first NUL, so lengths and offsets stay valid). Format 115 is
  written by pyreadstat's Stata 12 mode (same layout as 114).

  strl-117.dta, strl-118.dta, by pandas with convert_strl: columns id
  (1 2 3) and note (strL): "short", "" and "Dé" + "x" * 2998 (3000
  characters). pandas writes strL text as UTF-8 in both; in strl-117.dta the
  two bytes of "é" are rewritten as Windows-1252 "é" and an "x" (a strL has
  a length, which must not change), so that it reads "Dé" + "x" * 2999.

  people.sav, people.zsav (zlib-compressed), UTF-8:
      hhid, line (F2.0), age (F3.0, NaN = system-missing at rows 2 and 4),
      income (F8.2) with user-missing value -99 and range -9..-1:
          1250.5, -99 (user), 0, -5 (user), NaN (system),
      region (F1.0) with the value labels above, weight (F8.2), name as above.
      Variable labels as in the Stata files.
"""
import datetime
import os
import re
import numpy as np
import pandas as pd
import pyreadstat

HERE = os.path.dirname(os.path.abspath(__file__))

LABELS = {"line": "Person line number", "age": "Âge (années)", "income": "Income, € per month",
          "region": "Region of residence", "weight": "Sampling weight", "name": "First name"}
REGIONS = {1: "Nord", 2: "Süd", 3: "Île-de-France"}
NAMES = ["Zoë", "€uro", "", "Ærø", "plain"]


def stata_frame():
    df = pd.DataFrame({
        "hhid": ["H01", "H02", "H03", "H04", "H05"],
        "line": pd.Series([1, 2, 1, 2, 3], dtype="int8"),
        "age": pd.Series([34, "a", 7, np.nan, 101], dtype="object"),
        "income": pd.Series([1250.5, "b", 0.0, -3.25, "z"], dtype="object"),
        "region": pd.Series([1, 2, 3, 1, 2], dtype="int8"),
        "weight": pd.Series([1.5, 2.25, 0.5, 4, 8], dtype="float32"),
        "name": NAMES,
    })
    return df


def to_windows_1252(path):
    data = open(path, "rb").read()
    for text in NAMES + list(LABELS.values()) + list(REGIONS.values()):
        u, c = text.encode("utf-8"), text.encode("cp1252")
        if u != c:
            assert data.count(u) >= 1, text
            data = data.replace(u, c + b"\0" * (len(u) - len(c)))
    open(path, "wb").write(data)


def fix_timestamp(path):
    """Writers stamp the current time; a fixed one makes the files byte-identical on every run."""
    data = open(path, "rb").read()
    data = re.sub(rb"\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d", b"01 Jan 2026 00:00", data, count=1)
    if path.endswith("sav"):
        data = re.sub(rb"\d\d [A-Z][a-z]{2} \d\d\d\d:\d\d:\d\d", b"01 Jan 2600:00:00", data, count=1)
    open(path, "wb").write(data)


def main():
    df = stata_frame()
    formats = {10: 114, 12: 115, 13: 117, 14: 118, 15: 119}
    for stata_version, fmt in formats.items():
        path = os.path.join(HERE, f"people-{fmt}.dta")
        pyreadstat.write_dta(df, path, version=stata_version, column_labels=LABELS,
                             variable_value_labels={"region": REGIONS},
                             missing_user_values={"age": ["a"], "income": ["b", "z"]})
        assert open(path, "rb").read(1 if fmt < 117 else 40).find(bytes([fmt]) if fmt < 117 else str(fmt).encode()) >= 0
        if fmt < 118:
            to_windows_1252(path)
        fix_timestamp(path)

    strl = pd.DataFrame({"id": pd.Series([1, 2, 3], dtype="int8"),
                         "note": ["short", "", "Dé" + "x" * 2998]})
    strl.to_stata(os.path.join(HERE, "strl-117.dta"), version=117, convert_strl=["note"], write_index=False,
                  time_stamp=datetime.datetime(2026, 1, 1))
    strl.to_stata(os.path.join(HERE, "strl-118.dta"), version=118, convert_strl=["note"], write_index=False,
                  time_stamp=datetime.datetime(2026, 1, 1))
    path = os.path.join(HERE, "strl-117.dta")
    data = open(path, "rb").read()
    assert data.count("é".encode()) == 1
    open(path, "wb").write(data.replace("é".encode(), "é".encode("cp1252") + b"x"))

    sav = pd.DataFrame({
        "hhid": ["H01", "H02", "H03", "H04", "H05"],
        "line": [1.0, 2, 1, 2, 3],
        "age": [34, np.nan, 7, np.nan, 101],
        "income": [1250.5, -99, 0, -5, np.nan],
        "region": [1.0, 2, 3, 1, 2],
        "weight": [1.5, 2.25, 0.5, 4, 8],
        "name": NAMES,
    })
    common = dict(column_labels=LABELS, variable_value_labels={"region": REGIONS},
                  missing_ranges={"income": [-99, {"lo": -9, "hi": -1}]},
                  variable_format={"line": "F2.0", "age": "F3.0", "income": "F8.2", "region": "F1.0", "weight": "F8.2"})
    pyreadstat.write_sav(sav, os.path.join(HERE, "people.sav"), **common)
    pyreadstat.write_sav(sav, os.path.join(HERE, "people.zsav"), compress=True, **common)
    fix_timestamp(os.path.join(HERE, "people.sav"))
    fix_timestamp(os.path.join(HERE, "people.zsav"))

    # Cross-check with pandas' own Stata reader (independent of ReadStat).
    for fmt in (114, 117, 118, 119):
        back = pd.read_stata(os.path.join(HERE, f"people-{fmt}.dta"), convert_missing=True, convert_categoricals=False)
        names = [n if fmt >= 118 else n.encode("latin-1").decode("cp1252") for n in back["name"].fillna("")]
        assert names == NAMES, (fmt, names)   # pandas reads formats before 118 as latin-1
    back = pd.read_stata(os.path.join(HERE, "strl-117.dta"))
    assert back["note"][2] == "Dé" + "x" * 2999   # pandas reads format 117 as latin-1


if __name__ == "__main__":
    main()
