#!/usr/bin/env bash
# Sweep throughput (issue #15): the 1,000-variant grant amount × age-limit grid
# (inputs/sweeps/child-grant-1000.yaml: 50 amounts × 20 age limits) on the
# 100,000-household benchmark survey, made as Benchmarks/run.sh makes it
# (../shared/bench/make_population.py, seed 1). Prints simrun's own timings
# (load vs variants) and the variants per second after the load, for 1 and 2
# threads, and checks that both give the same bytes. docs/performance.md, "Sweeps".
#   Benchmarks/sweep.sh [--repeat N] [SWEEP.yaml]
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=3
sweep=inputs/sweeps/child-grant-1000.yaml
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) shift; repeat="$1" ;;
    -*) echo "usage: Benchmarks/sweep.sh [--repeat N] [SWEEP.yaml]" >&2; exit 64 ;;
    *) sweep="$1" ;;
  esac
  shift
done
data=Benchmarks/data/persons-100000.csv
if [ ! -f "$data" ]; then
  generator=""
  for g in ../shared/bench/make_population.py ../../shared/bench/make_population.py; do
    [ -f "$g" ] && generator="$g" && break
  done
  if [ -z "$generator" ]; then echo "bench: shared/bench/make_population.py not found; cannot generate $data" >&2; exit 1; fi
  python3 -c 'import numpy' 2>/dev/null || pip install -q numpy >&2
  mkdir -p Benchmarks/data
  echo "bench: generating $data" >&2
  python3 "$generator" --households 100000 --seed 1 --out "$data" --quiet
fi
swift build -c release --product simrun >&2
simrun=.build/release/simrun
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for threads in 1 2; do
  for i in $(seq 1 "$repeat"); do
    /usr/bin/time -f "%e %U %S" -o "$scratch/time" \
      "$simrun" sweep "$sweep" --data "$data" --country example --threads "$threads" --timings --quiet \
      --out "$scratch/sweep-$threads.csv" 2> "$scratch/timings"
    read -r wall user sys < "$scratch/time"
    rows=$(($(wc -l < "$scratch/sweep-$threads.csv") - 1))
    # CPU seconds (user + system) say what the machine's cores do; wall time also counts what
    # other processes take from them (the load average is printed for that reason).
    echo "threads $threads run $i: $rows rows, wall $wall s, cpu $(echo "$user + $sys" | bc) s ($(echo "scale=1; $rows / ($user + $sys)" | bc) rows per cpu-second), load average $(cut -d' ' -f1 /proc/loadavg); $(grep -h 'throughput' "$scratch/timings" | sed 's/^simrun: //')"
  done
done
if cmp -s "$scratch/sweep-1.csv" "$scratch/sweep-2.csv"; then
  echo "1 and 2 threads: identical output"
else
  echo "1 and 2 threads: OUTPUT DIFFERS" >&2
  exit 1
fi
