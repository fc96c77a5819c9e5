#!/usr/bin/env bash
# Runs SPEC.md's benchmark workload. Generates the data with
# ../../shared/bench/make_population.py (seed 1) into Benchmarks/data/ the
# first time. Sizes: --ci runs 10k and 100k households, default adds 1M.
# Then, on the largest size, the built-in against the declared current law and
# child grant (SimrunBenchmarks --declared: same bits, speed ratio; a few seconds).
# Last, simrun's Stata reader against pandas.read_stata on the same .dta
# (Benchmarks/stata/read_stata.py; the largest size, the smallest with --ci;
# skipped, saying why, when pandas cannot be installed).
#   Benchmarks/run.sh [--ci] [--repeat N]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=(10000 100000 1000000)
repeat=5
ci=0
while [ $# -gt 0 ]; do
  case "$1" in
    --ci) sizes=(10000 100000); repeat=3; ci=1 ;;
    --repeat) shift; repeat="$1" ;;
    *) echo "usage: Benchmarks/run.sh [--ci] [--repeat N]" >&2; exit 64 ;;
  esac
  shift
done
generator=""
for g in ../shared/bench/make_population.py ../../shared/bench/make_population.py; do
  [ -f "$g" ] && generator="$g" && break
done
mkdir -p Benchmarks/data
files=()
for n in "${sizes[@]}"; do
  f="Benchmarks/data/persons-$n.csv"
  if [ ! -f "$f" ]; then
    if [ -z "$generator" ]; then echo "bench: shared/bench/make_population.py not found; cannot generate $f" >&2; exit 1; fi
    python3 -c 'import numpy' 2>/dev/null || pip install -q numpy >&2
    echo "bench: generating $f" >&2
    python3 "$generator" --households "$n" --seed 1 --out "$f" --quiet
  fi
  files+=("$f")
done
swift build -c release --product simrun >&2
swift build -c release --package-path Benchmarks >&2
Benchmarks/.build/release/SimrunBenchmarks --simrun .build/release/simrun --repeat "$repeat" \
  --check Benchmarks/reference "${files[@]}"
# The declared twins of current law and the child grant (docs/rules.md): the same
# bits as the built-in modules (exit 1 otherwise) and their speed, interleaved runs.
Benchmarks/.build/release/SimrunBenchmarks --declared 11 "${files[${#files[@]}-1]}"
# The Stata reader against pandas.read_stata (docs/performance.md).
stata_csv="${files[${#files[@]}-1]}"
[ "$ci" = 0 ] || stata_csv="${files[0]}"
if python3 -c 'import pandas' 2>/dev/null || pip install -q pandas >&2; then
  python3 Benchmarks/stata/read_stata.py --reader Benchmarks/.build/release/ReadStatBenchmark --repeat "$repeat" "$stata_csv"
else
  echo "bench: pandas is not installed and could not be installed (pip install pandas failed); the Stata reader's comparison with pandas.read_stata is skipped" >&2
fi
