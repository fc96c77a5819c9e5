#!/usr/bin/env python3
"""Latency of `simrun serve`: how long a parameter change takes to answer, figures and charts included.

For each size, generates a survey of N households with ../shared/bench/make_population.py (seed 1,
into Benchmarks/data/ the first time, as Benchmarks/run.sh does), starts the release `simrun serve`
on it with the universal child grant and a copy of it (two options, the example country profile, so
the cost projection, poverty by age, gains by decile and coverage are all computed), then times
--changes parameter changes (POST /api/options/1/parameter, answered with the whole new state:
the comparison table and every chart as SVG) over loopback. Prints the median, 90th percentile and
maximum. A benchmark, not a test: nothing is judged.

    python3 Benchmarks/serve/latency.py [--sizes 3000,50000,1000000] [--changes 20] [--simrun .build/release/simrun]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def generator():
    for g in ["../shared/bench/make_population.py", "../../shared/bench/make_population.py"]:
        path = os.path.join(ROOT, g)
        if os.path.isfile(path):
            return path
    sys.exit("latency: shared/bench/make_population.py not found")


def survey(n):
    path = os.path.join(ROOT, "Benchmarks", "data", f"persons-{n}.csv")
    if not os.path.isfile(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        print(f"latency: generating {path}", file=sys.stderr)
        subprocess.run([sys.executable, generator(), "--households", str(n), "--seed", "1", "--out", path, "--quiet"], check=True)
    return os.path.relpath(path, ROOT)


def request(base, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"X-Simrun-Token": token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as response:
        return response.status, response.read()


def measure(simrun, n, changes):
    data = survey(n)
    started = time.perf_counter()
    server = subprocess.Popen([simrun, "serve", "inputs/scenarios/universal-child-grant.yaml", "--data", data,
                               "--country", "example", "--port", "0"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        if "?token=" not in url:
            sys.exit(f"latency: serve did not start: {server.stderr.read()}")
        base, token = url.split("/?token=")
        status, body = request(base, token, "GET", "/api/state")
        ready = time.perf_counter() - started
        request(base, token, "POST", "/api/options/1/duplicate")
        times = []
        size = 0
        for i in range(changes):
            amount = 30 + (i % 10) + 1
            t0 = time.perf_counter()
            status, body = request(base, token, "POST", "/api/options/1/parameter", {"path": "amount_per_child", "value": amount})
            times.append(time.perf_counter() - t0)
            state = json.loads(body)
            assert status == 200 and state["options"][0]["parameters"][0]["value"] == amount
            assert len(state["charts"]) >= 3, "every chart is in the answer"
            size = len(body)
        return ready, times, size, state["data"]["households"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="3000,50000,1000000")
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--simrun", default=os.path.join(ROOT, ".build", "release", "simrun"))
    args = parser.parse_args()
    if not os.access(args.simrun, os.X_OK):
        sys.exit(f"latency: {args.simrun} not found; build it with: swift build -c release --product simrun")
    print("households  start+first state (s)  change: median  p90  max (ms)  answer (KB)")
    for n in [int(s) for s in args.sizes.split(",")]:
        ready, times, size, households = measure(args.simrun, n, args.changes)
        ms = sorted(t * 1000 for t in times)
        p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
        print(f"{households:>10,}  {ready:>21.2f}  {statistics.median(ms):>14.0f}  {p90:>3.0f}  {ms[-1]:>3.0f}       {size / 1024:>6.0f}")


if __name__ == "__main__":
    main()
