#!/usr/bin/env python3
"""Times simrun's Stata reader against pandas.read_stata on the same file.

    python3 Benchmarks/stata/read_stata.py --reader Benchmarks/.build/release/ReadStatBenchmark \
        [--repeat N] Benchmarks/data/persons-1000000.csv ...

For each person CSV (Benchmarks/data/persons-N.csv, from make_population.py)
writes persons-N.dta next to it the first time (pandas DataFrame.to_stata,
format 118, every whole-number column stored in the smallest Stata integer
type that holds it, money as double, no index), then times, alternately and
N times each, pandas.read_stata(file) and simrun's reader (ReadStatBenchmark:
SurveyTable.read on the file, in a process of its own, timed inside it), and
prints the medians. The column sums of both readers must agree (exit 1 if not).
pandas is used here only, never by simrun.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import pandas as pd


def stata_file(csv):
    dta = csv[:-4] + ".dta"
    if not os.path.exists(dta):
        df = pd.read_csv(csv)
        for c in df.columns:
            if pd.api.types.is_integer_dtype(df[c]):
                df[c] = pd.to_numeric(df[c], downcast="integer")
        df.to_stata(dta, version=118, write_index=False)
        print(f"bench: wrote {dta} ({os.path.getsize(dta) / 1e6:.0f} MB, {len(df)} rows)", file=sys.stderr)
    return dta


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reader", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    failed = False
    print(f"{'file':32} {'rows':>9} {'pandas.read_stata s':>20} {'simrun s':>9} {'ratio':>6}")
    for csv in a.files:
        dta = stata_file(csv)
        pandas_times, simrun_times = [], []
        sums = None
        for _ in range(a.repeat):
            t = time.perf_counter()
            df = pd.read_stata(dta)
            pandas_times.append(time.perf_counter() - t)
            sums = {c: float(df[c].sum()) for c in df.columns}
            rows = len(df)
            del df
            out = subprocess.run([a.reader, dta], check=True, capture_output=True, text=True).stdout
            result = json.loads(out)
            simrun_times.append(result["seconds"])
        for c, s in sums.items():
            if abs(result["sums"][c] - s) > 1e-9 * max(1.0, abs(s)):
                print(f"bench: {dta}: column {c}: simrun sums to {result['sums'][c]}, pandas to {s}", file=sys.stderr)
                failed = True
        p, s = statistics.median(pandas_times), statistics.median(simrun_times)
        print(f"{os.path.basename(dta):32} {rows:>9} {p:>20.3f} {s:>9.3f} {p / s:>6.2f}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
