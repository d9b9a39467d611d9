#!/usr/bin/env python3
"""make bench / make bench-quick: effsim's throughput and fixed costs, as ratios from one invocation.

Sections (each program run REPEATS times, interleaved so that drifting load hits every program
alike; medians of wall time of the whole process; peak RSS from wait4):

1. The prototype (Benchmarks/prototype.c: the trial loop at the plausible limit, vectorised
   xoshiro256+, Box-Muller with vector math, effsim's histograms) against effsim --rng taus2 and
   --rng philox, on 1 and 2 threads, at PROTO_TRIALS: effsim's throughput as a fraction of it.
2. The plain-C GSL reference (Benchmarks/reference.c) against effsim, at each of TRIALS.
3. Fixed costs: a SMALL-trial run (whole process), every shipped sweep on 2 threads (what
   `make sweeps` runs), and `effsim sensitivity` at SENS_TRIALS (wall time and peak RSS).
4. Expression outputs: Benchmarks/expressions.json (four uncertain factors, three expression
   outputs with a sum and quotients, units) at EXPR_TRIALS on 1 and 2 threads, beside seed-2024
   (groups only) in the same rounds: trials per second and the ratio between the two.

BASELINE=path/to/effsim (another build, say the commit before a change) runs beside effsim in the
same rounds of sections 1 and 3, and each prints effsim's speed as a multiple of the baseline's.

The CPU model comes from /proc/cpuinfo. Timing never fails the build: this prints, tests check.
"""
import glob, os, platform, subprocess, sys, time, statistics, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# EFFSIM=path/to/effsim measures another build (say, before a change; RNGS=taus2 for one without philox).
effsim = os.environ.get("EFFSIM") or os.path.join(root, ".build", "release", "effsim")
# BASELINE=path/to/effsim also runs that build (say, the commit before a change) in the same rounds
# of sections 1 and 3, and prints effsim's speed as a multiple of it.
baseline = os.environ.get("BASELINE")
reference = os.path.join(root, "Benchmarks", "bin", "reference")
prototype = os.path.join(root, "Benchmarks", "bin", "prototype")
scenario = os.path.join(root, "Scenarios", "seed-2024.json")
expressions = os.path.join(root, "Benchmarks", "expressions.json")
sweeps = sorted(glob.glob(os.path.join(root, "Scenarios", "sweeps", "*.json")))


def env_int(name, default):
    return int(float(os.environ.get(name, default)))


repeats = env_int("REPEATS", "3")
proto_trials = env_int("PROTO_TRIALS", "1e8")
counts = [int(float(x)) for x in os.environ.get("TRIALS", "1e7 1e8").split()]
big = env_int("BIG", "1e9")
small = env_int("SMALL", "1e3")
small_repeats = env_int("SMALL_REPEATS", "21")
sens_trials = env_int("SENS_TRIALS", "1e7")
sweep_repeats = env_int("SWEEP_REPEATS", str(repeats))
sens_repeats = env_int("SENS_REPEATS", str(repeats))
# SECTIONS="1 3" runs only those sections.
sections = os.environ.get("SECTIONS", "1 2 3 4").split()
expr_trials = env_int("EXPR_TRIALS", "1e8")
rngs = os.environ.get("RNGS", "taus2 philox").split()
cores = os.cpu_count() or 1
two = min(2, cores)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def measure(argv):
    """Wall seconds, peak RSS (MiB) and CPU seconds (user + system) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode()
    if status != 0:
        sys.exit(f"bench: {' '.join(argv)} failed: {err}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def interleaved(configs, times):
    """{name: [(wall, rss)]} over `times` rounds of every config in turn."""
    runs = {name: [] for name, _ in configs}
    for _ in range(times):
        for name, argv in configs:
            runs[name].append(measure(argv))
    return runs


def median_wall(runs):
    return statistics.median(r[0] for r in runs)


def median_cpu(runs):
    return statistics.median(r[2] for r in runs)


def effsim_argv(trials, threads, out, rng="taus2", model=None, binary=None):
    return [binary or effsim, "run", model or scenario, "--trials", str(trials), "--threads", str(threads), "--rng", rng,
            "--quiet", "--out", out]


def print_rows(rows):
    print(f"  {'program':<30} {'trials':>13} {'wall s':>8} {'trials/s':>12} {'CPU s':>8} {'peak RSS MiB':>13}")
    for name, trials, runs in rows:
        wall = median_wall(runs)
        print(f"  {name:<30} {trials:>13,} {wall:>8.3f} {trials / wall:>12,.0f} {median_cpu(runs):>8.3f} {max(r[1] for r in runs):>13.1f}")


def prototype_section(out):
    print(f"\n1. effsim against the prototype at the plausible limit, {proto_trials:,} trials")
    check = str(min(proto_trials, 10_000_000))
    medians = subprocess.run([prototype, check, "1"], capture_output=True, text=True, check=True).stdout.strip()
    print(f"  prototype check: {medians}")
    configs = []
    for t in (1, two):
        configs.append((f"prototype {t} thread(s)", [prototype, str(proto_trials), str(t)]))
        for rng in rngs:
            configs.append((f"effsim {rng} {t} thread(s)", effsim_argv(proto_trials, t, os.path.join(out, "run"), rng)))
            if baseline:
                configs.append((f"baseline {rng} {t} thread(s)", effsim_argv(proto_trials, t, os.path.join(out, "baseline"), rng, binary=baseline)))
    runs = interleaved(configs, repeats)
    print_rows([(name, proto_trials, runs[name]) for name, _ in configs])
    if baseline:
        for t in (1, two):
            ratios = ", ".join(f"{rng} {median_wall(runs[f'baseline {rng} {t} thread(s)']) / median_wall(runs[f'effsim {rng} {t} thread(s)']):.2f}x"
                               for rng in rngs)
            print(f"  effsim over the baseline build, throughput on {t} thread(s): {ratios}")
    for t in (1, two):
        p = median_wall(runs[f"prototype {t} thread(s)"])
        ratios = ", ".join(f"{rng} {p / median_wall(runs[f'effsim {rng} {t} thread(s)']):.2f}" for rng in rngs)
        print(f"  ratio effsim/prototype throughput on {t} thread(s): {ratios}")
    # On a loaded machine wall time mixes in other work; CPU time per trial is the steadier measure.
    p = median_cpu(runs["prototype 1 thread(s)"])
    ratios = ", ".join(f"{rng} {p / median_cpu(runs[f'effsim {rng} 1 thread(s)']):.2f}" for rng in rngs)
    print(f"  ratio effsim/prototype in CPU time per trial, 1 thread: {ratios}")


def reference_section(out):
    for n in counts:
        print(f"\n2. effsim against the plain-C GSL reference (1 thread), {n:,} trials")
        configs = [("C reference (1 thread)", [reference, str(n)]),
                   ("effsim --threads 1", effsim_argv(n, 1, os.path.join(out, "run"))),
                   (f"effsim --threads {cores}", effsim_argv(n, cores, os.path.join(out, "run")))]
        runs = interleaved(configs, repeats)
        print_rows([(name, n, runs[name]) for name, _ in configs])
        c, one, many = (n / median_wall(runs[name]) for name, _ in configs)
        print(f"  ratios: effsim 1 thread / C = {one / c:.2f}x, effsim {cores} threads / C = {many / c:.2f}x, "
              f"{cores} threads / 1 thread = {many / one:.2f}x")
    if big:
        wall, rss, _ = measure(effsim_argv(big, cores, os.path.join(out, "run")))
        print(f"  effsim --threads {cores} at {big:,} trials: {wall:.1f} s, {big / wall:,.0f} trials/s, peak RSS {rss:.1f} MiB")


def fixed_cost_section(out):
    print("\n3. Fixed costs")
    builds = [("effsim", effsim)] + ([("baseline", baseline)] if baseline else [])
    runs = interleaved([(name, effsim_argv(small, two, os.path.join(out, "small-" + name), binary=binary)) for name, binary in builds], small_repeats)
    for name, _ in builds:
        print(f"  {name}: {small:,}-trial run, whole process: median {1000 * median_wall(runs[name]):.1f} ms, "
              f"CPU {1000 * median_cpu(runs[name]):.1f} ms over {small_repeats} runs")
    if baseline:
        print(f"  effsim over the baseline build, {small:,}-trial run: {median_wall(runs['baseline']) / median_wall(runs['effsim']):.2f}x")
    if sweeps:
        walls = {name: [] for name, _ in builds}
        for r in range(sweep_repeats):
            for name, binary in builds:
                start = time.perf_counter()
                for s in sweeps:
                    measure([binary, "sweep", s, "--threads", str(two), "--quiet", "--out",
                             os.path.join(out, f"sweeps-{name}-{r}", os.path.basename(s))])
                walls[name].append(time.perf_counter() - start)
        for name, _ in builds:
            print(f"  {name}: make sweeps ({len(sweeps)} sweeps, {two} threads): median {statistics.median(walls[name]):.2f} s over {sweep_repeats} runs")
        if baseline:
            print(f"  effsim over the baseline build, make sweeps: {statistics.median(walls['baseline']) / statistics.median(walls['effsim']):.2f}x")
    sens = interleaved([("sens", [effsim, "sensitivity", scenario, "--trials", str(sens_trials), "--quiet",
                                  "--force", "--out", os.path.join(out, "sensitivity")])], sens_repeats)["sens"]
    print(f"  effsim sensitivity at {sens_trials:,} trials ({cores} threads): median {median_wall(sens):.1f} s over {sens_repeats} runs, "
          f"peak RSS {max(r[1] for r in sens):.0f} MiB")


def expression_section(out):
    print(f"\n4. Expression outputs (Benchmarks/expressions.json) beside groups (seed-2024), {expr_trials:,} trials")
    configs = []
    for t in (1, two):
        configs.append((f"expressions {t} thread(s)", effsim_argv(expr_trials, t, os.path.join(out, "expressions"), model=expressions)))
        configs.append((f"seed-2024 {t} thread(s)", effsim_argv(expr_trials, t, os.path.join(out, "run"))))
    runs = interleaved(configs, repeats)
    print_rows([(name, expr_trials, runs[name]) for name, _ in configs])
    for t in (1, two):
        e, g = (median_wall(runs[f"{m} {t} thread(s)"]) for m in ("expressions", "seed-2024"))
        print(f"  {t} thread(s): expressions {expr_trials / e / 1e6:.1f}M trials/s, {g / e:.2f}x seed-2024's rate")


def main():
    out = tempfile.mkdtemp(prefix="effsim-bench-")
    print(f"CPU: {cpu_model()}, {cores} cores")
    print(f"{repeats} interleaved runs each, medians of whole-process wall time; seed-2024 model")
    # Each section writes into folders of its own: a results folder refuses to hold folders
    # effsim did not write there (a sensitivity or sweep folder inside a run's).
    if "1" in sections:
        prototype_section(os.path.join(out, "1"))
    if "2" in sections and counts:
        reference_section(os.path.join(out, "2"))
    if "3" in sections:
        fixed_cost_section(os.path.join(out, "3"))
    if "4" in sections:
        expression_section(os.path.join(out, "4"))


if __name__ == "__main__":
    main()
