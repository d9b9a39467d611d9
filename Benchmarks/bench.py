#!/usr/bin/env python3
"""make bench: effsim against the plain-C GSL reference, in one invocation.

For each trial count it runs, alternately and REPEATS times each, the C reference
(Benchmarks/reference.c, one thread, exact percentiles by selection), effsim with one thread
and effsim with every thread, all on Scenarios/seed-2024.json's model. It prints the median
wall time of the whole process, trials per second, peak RSS, and the ratios effsim/C and
all-threads/one-thread. Medians and ratios from one invocation resist the noise of a shared
machine better than absolute figures. Timing never fails the build: this prints, tests check.
"""
import os, subprocess, sys, time, statistics, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
effsim = os.path.join(root, ".build", "release", "effsim")
reference = os.path.join(root, "Benchmarks", "bin", "reference")
scenario = os.path.join(root, "Scenarios", "seed-2024.json")
repeats = int(os.environ.get("REPEATS", "3"))
counts = [int(x) for x in os.environ.get("TRIALS", "10000000 100000000").split()]
big = int(os.environ.get("BIG", "1000000000"))
cores = os.cpu_count() or 1


def measure(argv):
    """Wall seconds and peak RSS (MiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode()
    if status != 0:
        sys.exit(f"bench: {' '.join(argv)} failed: {err}")
    return wall, usage.ru_maxrss / 1024


def effsim_argv(trials, threads, out):
    return [effsim, "run", scenario, "--trials", str(trials), "--threads", str(threads), "--quiet", "--out", out]


def row(name, trials, runs):
    wall = statistics.median(r[0] for r in runs)
    rss = max(r[1] for r in runs)
    return name, trials, wall, trials / wall, rss


def main():
    out = tempfile.mkdtemp(prefix="effsim-bench-")
    print(f"machine: {cores} cores; {repeats} runs each, medians; seed-2024 model")
    print(f"{'program':<22} {'trials':>12} {'wall s':>8} {'trials/s':>12} {'peak RSS MiB':>13}")
    for n in counts:
        configs = [("C reference (1 thread)", [reference, str(n)]),
                   ("effsim --threads 1", effsim_argv(n, 1, out)),
                   (f"effsim --threads {cores}", effsim_argv(n, cores, out))]
        runs = {name: [] for name, _ in configs}
        for _ in range(repeats):  # interleaved, so drifting load hits every program alike
            for name, argv in configs:
                runs[name].append(measure(argv))
        rows = [row(name, n, runs[name]) for name, _ in configs]
        for name, trials, wall, rate, rss in rows:
            print(f"{name:<22} {trials:>12,} {wall:>8.3f} {rate:>12,.0f} {rss:>13.1f}")
        c, one, many = (r[3] for r in rows)
        print(f"  ratios at {n:,}: effsim 1 thread / C = {one / c:.2f}x, "
              f"effsim {cores} threads / C = {many / c:.2f}x, {cores} threads / 1 thread = {many / one:.2f}x")
    if big:
        wall, rss = measure(effsim_argv(big, cores, out))
        print(f"effsim --threads {cores} at {big:,} trials: {wall:.1f} s, {big / wall:,.0f} trials/s, peak RSS {rss:.1f} MiB")


if __name__ == "__main__":
    main()
