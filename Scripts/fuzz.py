#!/usr/bin/env python3
"""A seeded mutation fuzzer for effsim (`make fuzz`).

Mutates the shipped scenarios and a real shard state file, runs `validate`, `run` (sometimes with
--report) and `merge` on each case for a bounded time, and fails on:
  - a crash (killed by a signal) or an exit status other than 0, 1 or 2;
  - a hang (a case over --case-timeout seconds);
  - a non-finite number (nan, inf) in a CSV of an accepted run;
  - a file left behind: a `.tmp` file anywhere in the case's folder, or any output after a refusal
    (exit 2 writes nothing);
  - a merge that accepts an edited state file.
Failing inputs are kept under --keep (default fuzz-failures/). Same seed, same sequence of cases.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = [os.path.join(ROOT, "Scenarios", n) for n in (
    "seed-2024.json", "seed-2024-literal.json", "epoch-defaults.json",
    "gpt3-training-compute.json", "brain-simulation.json", "efficiency-projection.json")]
TRIALS = "3000"

NUMBERS = [0, -1, 1, 0.5, 1e-9, 1e-300, 1e300, 1e308, 1.7e308, -1e308, 2 ** 53, 2 ** 53 + 1, 2 ** 63 - 1, 2 ** 64,
           -(2 ** 62), 10 ** 30, 1e-17, 0.999999999999999999, 1e-200, 1e200, 3, 100, 1e6]
STRINGS = ["", "a", "x" * 5000, "\u0008", "\u001b[2J", "a\nb", "\u202eabc", "\uffff", "\ufffe", "\\", "\"", "<b>&amp;",
           "../../etc", "tri\u0061ls", "\u0000", "ünï", "𝔘",
           # Expressions and units: overflow, NaN, syntax, unknown names, bad units.
           "exp(1000)", "0/0", "ln(0)", "1e308 * 1e308 * x", "((((", "x ^ x ^ x ^ x", "`a-b`", "3600[s/h",
           "1[FLOP/(GPU*s)] + 1[s]", "FLOP//s", "m^1e9", "sqrt(-1)", "min()", "-2^2", "1e999"]


def mutate_value(rng, v, depth=0):
    """A random edit somewhere inside a JSON value."""
    if isinstance(v, dict) and v and rng.random() < 0.8:
        k = rng.choice(list(v))
        op = rng.random()
        if op < 0.1:
            del v[k]
        elif op < 0.2:
            v[rng.choice(STRINGS + ["trials", "seed", "years", "$schema", "baseline", "level"])] = rng.choice(NUMBERS + STRINGS)
        else:
            v[k] = mutate_value(rng, v[k], depth + 1)
        return v
    if isinstance(v, list) and v and rng.random() < 0.8:
        i = rng.randrange(len(v))
        op = rng.random()
        if op < 0.1:
            del v[i]
        elif op < 0.2:
            v.append(v[i])
        elif op < 0.25:
            v[i], v[-1] = v[-1], v[i]
        else:
            v[i] = mutate_value(rng, v[i], depth + 1)
        return v
    r = rng.random()
    if isinstance(v, (int, float)) and not isinstance(v, bool) and rng.random() < 0.4:
        # A plausible edit, so that some cases are accepted and their outputs checked.
        return v * rng.uniform(0.5, 2) if isinstance(v, float) else max(1, int(v * rng.uniform(0.5, 2)))
    if r < 0.45:
        return rng.choice(NUMBERS)
    if r < 0.75:
        return rng.choice(STRINGS)
    if r < 0.8:
        return None
    if r < 0.85:
        return [v]
    if r < 0.9:
        return {"k": v}
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v * rng.choice([-1, 0.5, 2, 1e10, 1e-10])
    return rng.choice([True, False, [], {}])


def text_mutation(rng, text):
    """Edits to the JSON text itself: repeated and escaped keys, deep nesting, raw bytes, cuts."""
    r = rng.random()
    if r < 0.2 and '"trials"' in text:
        return text.replace('"trials"', rng.choice(['"trials": 5, "trials"', '"tri\\u0061ls": 5, "trials"']), 1)
    if r < 0.3:
        depth = rng.choice([10, 300, 510, 600])
        return text.replace("{", '{"$schema": ' + "[" * depth + "]" * depth + ", ", 1)
    if r < 0.4:
        return text[: rng.randrange(len(text))]
    if r < 0.5:
        return text.replace('"seed"', '"seed": 9007199254740993, "x_seed"', 1)
    data = bytearray(text.encode())
    for _ in range(rng.randint(1, 4)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return data.decode("utf-8", errors="surrogateescape")


def run(binary, args, cwd, timeout):
    try:
        p = subprocess.run([binary] + args, cwd=cwd, capture_output=True, timeout=timeout)
        return p.returncode, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return "hang", ""


NONFINITE = re.compile(r"(^|,)\s*[-+]?(nan|inf|infinity)\s*(,|$)", re.IGNORECASE | re.MULTILINE)


def check_outputs(folder, rc, problems):
    for dirpath, _, files in os.walk(folder):
        for f in files:
            path = os.path.join(dirpath, f)
            if f.endswith(".tmp"):
                problems.append(f"left {os.path.relpath(path, folder)} behind")
            elif f.endswith(".csv") and rc == 0:
                with open(path, encoding="utf-8", errors="replace") as h:
                    for line in h.read().splitlines()[1:]:
                        # Numbers only: the metric and kind columns are ids, never checked here.
                        if NONFINITE.search(",".join(line.split(",")[2:])):
                            problems.append(f"non-finite number in {f}: {line[:120]}")
                            break


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/release/effsim"))
    ap.add_argument("--seconds", type=float, default=float(os.environ.get("FUZZ_SECONDS", 60)))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", 1)))
    ap.add_argument("--case-timeout", type=float, default=60)
    ap.add_argument("--keep", default=os.path.join(ROOT, "fuzz-failures"))
    a = ap.parse_args()
    rng = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="effsim-fuzz-")
    # Two real shards of one run: the base of the state-file cases.
    base = os.path.join(work, "base")
    os.makedirs(base)
    for k in (1, 2):
        rc, err = run(a.binary, ["run", SCENARIOS[0], "--trials", "150000", "--threads", "1", "--quiet",
                                 "--shard", f"{k}/2", "--state", os.path.join(base, f"s{k}.json")], work, a.case_timeout)
        if rc != 0:
            sys.exit(f"fuzz: cannot make the base shard {k}/2: {err}")
    shard_text = open(os.path.join(base, "s1.json")).read()
    docs = [open(p).read() for p in SCENARIOS]

    stats = {"cases": 0, "accepted": 0, "refused": 0, "failed (1)": 0, "problems": 0}
    kinds = {}
    failures = 0
    start = time.monotonic()
    while time.monotonic() - start < a.seconds:
        case = stats["cases"]
        stats["cases"] += 1
        folder = os.path.join(work, f"case{case}")
        os.makedirs(folder)
        problems = []
        kind = rng.choice(["scenario", "scenario", "scenario", "state"])
        if kind == "scenario":
            text = rng.choice(docs)
            if rng.random() < 0.7:
                doc = json.loads(text)
                for _ in range(rng.randint(1, 3)):
                    doc = mutate_value(rng, doc)
                text = json.dumps(doc, ensure_ascii=rng.random() < 0.5)
            else:
                text = text_mutation(rng, text)
            name = os.path.join(folder, "s.json")
            with open(name, "w", encoding="utf-8", errors="surrogateescape") as h:
                h.write(text)
            report = rng.random() < 0.2
            commands = [["validate", name], ["run", name, "--trials", TRIALS, "--threads", "1", "--quiet",
                                              "--out", os.path.join(folder, "out")] + (["--report"] if report else [])]
        else:
            doc = json.loads(shard_text)
            if rng.random() < 0.8:
                for _ in range(rng.randint(1, 2)):
                    doc = mutate_value(rng, doc)
                text = json.dumps(doc)
            else:
                text = text_mutation(rng, shard_text)
            name = os.path.join(folder, "s1.json")
            with open(name, "w", encoding="utf-8", errors="surrogateescape") as h:
                h.write(text)
            commands = [["merge", name, os.path.join(base, "s2.json"), "--quiet", "--out", os.path.join(folder, "out")]]
        codes = []
        for cmd in commands:
            rc, err = run(a.binary, cmd, folder, a.case_timeout)
            codes.append(rc)
            if rc == "hang":
                problems.append(f"{cmd[0]} hung over {a.case_timeout} s")
            elif rc < 0:
                problems.append(f"{cmd[0]} crashed (signal {-rc}): {err[-300:]}")
            elif rc not in (0, 1, 2):
                problems.append(f"{cmd[0]} exited {rc}: {err[-300:]}")
            elif rc == 2 and os.path.exists(os.path.join(folder, "out")):
                problems.append(f"{cmd[0]} refused the input (exit 2) but wrote {folder}/out")
            elif rc != 0 and not all(l.startswith(("effsim: ", name)) for l in err.strip().split("\n")):
                problems.append(f"{cmd[0]}: a message line that names neither effsim nor the file: {err[:300]}")
        if kind == "state" and codes[0] == 0 and json.loads(shard_text) != _loads(text):
            problems.append("merge accepted an edited state file")
        check_outputs(folder, codes[-1], problems)
        last = codes[-1]
        stats["accepted" if last == 0 else "refused" if last == 2 else "failed (1)" if last == 1 else "problems"] += 1
        kinds[kind] = kinds.get(kind, 0) + 1
        if problems:
            failures += 1
            os.makedirs(a.keep, exist_ok=True)
            keep = os.path.join(a.keep, f"seed{a.seed}-case{case}-{os.path.basename(name)}")
            shutil.copy(name, keep)
            for p in problems:
                print(f"fuzz: case {case} ({kind}, kept as {keep}): {p}")
        shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    summary = ", ".join(f"{v} {k}" for k, v in stats.items() if k != "problems")
    print(f"fuzz: seed {a.seed}, {a.seconds:g} s: {summary} ({kinds.get('scenario', 0)} scenario cases, "
          f"{kinds.get('state', 0)} state-file cases); {failures} case(s) with problems")
    sys.exit(1 if failures else 0)


def _loads(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


if __name__ == "__main__":
    main()
