#!/usr/bin/env python3
"""Add the optional columns of docs/data.md to a survey made by make_population.py.

    python3 ../shared/bench/make_population.py --households 3000 --seed 1 --out /tmp/persons.csv
    python3 inputs/data/add_optional_columns.py --seed 1 /tmp/persons.csv inputs/data/example-persons.csv

Every input line is copied byte for byte (SPEC.md's 13 columns keep their
values, so the SPEC golden numbers do not move) and gains seven fields:

- pension_income: monthly contributory pension, people aged 60+ only. It is
  exactly the pension part of other_income that make_population.py drew (its
  stream 9: u_pen, z_pen; probability 0.25 urban, 0.08 rural; 200 *
  exp(0.5 z)), recomputed with the generator's own functions, in cents and
  never above other_income. The script checks that the input is the
  generator's output for --seed (same ages and other_income) before using it.
- months_since_birth: for each child aged 0 or 1, the mother is the head or
  spouse (members 1 and 2) if she is a woman aged 15-49, else the first other
  woman aged 15-49 in the household (none: the child has no mother there).
  The child's age in months is 12 * age + floor(12 u); the mother's value is
  that of her youngest child. -1 for everyone else.
- pregnant: women 15-49 without a birth in the last 12 months, with
  probability 0.75 * (births in the last 12 months / women 15-49), so the
  number pregnant at a time is 9/12 of a year's births.
- last_job_status: the employed keep their labour_status (1 formal, 2
  informal); the unemployed never worked with probability 0.45 (under 25) or
  0.15, else had a formal job with probability 0.40 (urban) or 0.20 (rural),
  else an informal one; 0 for the inactive.
- contract_type: formal employees have a permanent contract (1) with
  probability 0.70 (0.55 under 30), else fixed-term (2); unemployed people
  whose last job was formal: permanent 0.45, else fixed-term; 0 otherwise.
- months_unemployed: the unemployed only: completed months of the current
  spell, geometric on 0, 1, 2, ... with P(k) = q (1 - q)^k, q = 1/9 (mean
  about 8), capped at 72; 0 otherwise.
- months_worked_last_24m: the employed: 24 with probability 0.65, else 3 to
  23 uniformly; the unemployed with a last job: floor((24 - months_unemployed)+
  * (0.3 + 0.7 u)); 0 otherwise.

Reproducibility: as make_population.py, only numpy's PCG64 .random() draws
(one stream per column, seeded with SeedSequence([seed, 1000 + column])),
IEEE +, -, *, / and floor, inverse-CDF tables; money from integer cents. Same
input and seed, same bytes on any machine. A summary and the output's sha256
go to stderr.
"""

import argparse
import hashlib
import importlib.util
import os
import sys

import numpy as np

SPEC_HEADER = ("hh_id,person_id,weight,stratum,psu,region,urban,age,sex,"
               "labour_status,earnings,other_income,disabled")
NEW_COLUMNS = ("pension_income", "months_since_birth", "pregnant", "contract_type",
               "last_job_status", "months_unemployed", "months_worked_last_24m")
DEFAULT_GENERATOR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                 "..", "..", "..", "shared", "bench", "make_population.py")


def load_generator(path):
    spec = importlib.util.spec_from_file_location("make_population", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cents(text):
    """'123.45' -> 12345 exactly (the generator prints two decimals)."""
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int(frac.ljust(2, "0")[:2])


def stream(seed, column):
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 1000 + column])))


def geometric_table(q, cap):
    """Cumulative table of min(Geometric_0(q), cap): P(k) = q (1 - q)^k."""
    cum, acc, p = [], 0.0, q
    for _ in range(cap):
        acc += p
        cum.append(acc)
        p *= 1.0 - q
    cum.append(1.0)
    return np.array(cum, dtype=np.float64)


def read(path):
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    header = lines[0].decode()
    if header != SPEC_HEADER:
        sys.exit(f"{path}: expected the header {SPEC_HEADER!r} (make_population.py output), found {header!r}")
    fields = [line.decode().split(",") for line in lines[1:]]
    cols = {name: [r[k] for r in fields] for k, name in enumerate(SPEC_HEADER.split(","))}
    data = {k: np.array([int(v) for v in cols[k]], dtype=np.int64)
            for k in ("hh_id", "region", "urban", "age", "sex", "labour_status")}
    data["earnings_c"] = np.array([cents(v) for v in cols["earnings"]], dtype=np.int64)
    data["other_income_c"] = np.array([cents(v) for v in cols["other_income"]], dtype=np.int64)
    return lines, data


def add_columns(data, seed, generator):
    P = len(data["age"])
    hh, age, sex, urban = data["hh_id"], data["age"], data["sex"], data["urban"]
    status, oth_c = data["labour_status"], data["other_income_c"]
    start = np.flatnonzero(np.r_[True, hh[1:] != hh[:-1]])
    size = np.diff(np.r_[start, P])
    n_households = len(start)
    pos = np.arange(P) - np.repeat(start, size)

    # The input must be the generator's output for this seed.
    generated, _ = generator.generate(n_households, seed)
    if not (np.array_equal(generated["age"], age) and np.array_equal(generated["other_income_c"], oth_c)):
        sys.exit(f"the input is not make_population.py's output for --households {n_households} --seed {seed}")

    # pension_income: the generator's pension draw (stream 9, first two draws).
    g = generator.Streams(seed)(9)
    u_pen = g.random(P)
    z_pen = generator.normal(g, P)
    p_pen = np.where(age >= 60, np.where(urban == 1, 0.25, 0.08), 0.0)
    pension = np.where(u_pen < p_pen, 200.0 * generator.det_exp(0.5 * z_pen), 0.0)
    pension_c = np.minimum(generator.to_cents(pension), oth_c)

    # months_since_birth
    g = stream(seed, 1)
    u_child = g.random(P)
    woman = (sex == 2) & (age >= 15) & (age <= 49)
    msb = np.full(P, -1, dtype=np.int64)
    for h in range(n_households):
        a, b = int(start[h]), int(start[h] + size[h])
        children = [i for i in range(a, b) if age[i] <= 1]
        if not children:
            continue
        mothers = [i for i in range(a, min(b, a + 2)) if woman[i]] or [i for i in range(a + 2, b) if woman[i]]
        if not mothers:
            continue
        mother = mothers[0]
        for c in children:
            months = 12 * int(age[c]) + int(np.floor(12.0 * u_child[c]))
            msb[mother] = months if msb[mother] < 0 else min(msb[mother], months)

    # pregnant
    g = stream(seed, 2)
    u_preg = g.random(P)
    births = int(np.sum((msb >= 0) & (msb <= 11)))
    p_preg = 0.75 * births / max(1, int(np.sum(woman)))
    pregnant = (woman & ~((msb >= 0) & (msb <= 11)) & (u_preg < p_preg)).astype(np.int64)

    # last_job_status
    g = stream(seed, 3)
    u_never, u_formal = g.random(P), g.random(P)
    unemployed = status == 3
    never = u_never < np.where(age < 25, 0.45, 0.15)
    was_formal = u_formal < np.where(urban == 1, 0.40, 0.20)
    last_job = np.where((status == 1) | (status == 2), status, 0)
    last_job = np.where(unemployed & ~never, np.where(was_formal, 1, 2), last_job)

    # contract_type
    g = stream(seed, 4)
    u_contract = g.random(P)
    p_perm = np.where(status == 1, np.where(age < 30, 0.55, 0.70), 0.45)
    formal_job = (status == 1) | (unemployed & (last_job == 1))
    contract = np.where(formal_job, np.where(u_contract < p_perm, 1, 2), 0)

    # months_unemployed
    g = stream(seed, 5)
    u_spell = g.random(P)
    table = geometric_table(1.0 / 9.0, 72)
    spell = np.minimum(np.searchsorted(table, u_spell, side="right"), 72)
    months_unemployed = np.where(unemployed, spell, 0)

    # months_worked_last_24m
    g = stream(seed, 6)
    u_full, u_part = g.random(P), g.random(P)
    employed = (status == 1) | (status == 2)
    worked_employed = np.where(u_full < 0.65, 24, 3 + np.floor(21.0 * u_part).astype(np.int64))
    available = np.maximum(0, 24 - months_unemployed)
    worked_unemployed = np.floor(available * (0.3 + 0.7 * u_part)).astype(np.int64)
    worked = np.where(employed, worked_employed, np.where(unemployed & (last_job > 0), worked_unemployed, 0))

    summary = (f"persons={P} pensioners={int(np.sum(pension_c > 0))} births_12m={births} "
               f"pregnant={int(pregnant.sum())} unemployed={int(unemployed.sum())} "
               f"unemployed_last_formal={int(np.sum(unemployed & (last_job == 1)))} "
               f"fixed_term_formal={int(np.sum((status == 1) & (contract == 2)))}")
    return [pension_c, msb, pregnant, contract, last_job, months_unemployed, worked], summary


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True, help="the seed given to make_population.py")
    ap.add_argument("--generator", default=DEFAULT_GENERATOR, help="path of make_population.py")
    ap.add_argument("input")
    ap.add_argument("output")
    a = ap.parse_args(argv)
    lines, data = read(a.input)
    columns, summary = add_columns(data, a.seed, load_generator(a.generator))
    pension_c = columns[0]
    h = hashlib.sha256()
    with open(a.output, "wb") as f:
        def write(b):
            f.write(b)
            h.update(b)
        write(lines[0] + ("," + ",".join(NEW_COLUMNS) + "\n").encode())
        for r, line in enumerate(lines[1:]):
            extra = [f"{pension_c[r] // 100}.{pension_c[r] % 100:02d}"] + [str(int(c[r])) for c in columns[1:]]
            write(line + ("," + ",".join(extra) + "\n").encode())
    print(f"{summary} sha256={h.hexdigest()}", file=sys.stderr)


if __name__ == "__main__":
    main()
