#!/usr/bin/env python3
"""A seeded mutation fuzzer for effsim (`make fuzz`).

Mutates the shipped scenarios, a real shard state file and a results folder's run.json, and
builds scenarios at the ends of the double range; runs `validate`, `run` (sometimes with --report,
into one-character or not-yet-existing folders), `sensitivity`, `compare`, `report` and `merge`
on each case for a bounded time, and fails on:
  - a crash (killed by a signal) or an exit status other than 0, 1 or 2;
  - a hang (a case over --case-timeout seconds);
  - a non-finite number (nan, inf) in a CSV of an accepted run;
  - a file left behind: a `.tmp` file anywhere in the case's folder, or any output after a refusal
    (exit 2 writes nothing, not even the folders an output path would have needed);
  - a merge that accepts an edited state file, or a run that accepts an edited run.json;
  - a control character (C0 but tab and newline, DEL, C1) or a bidirectional control printed
    to stdout or stderr;
  - a refusal whose message lines name neither effsim nor a file of the case (the scenario or
    the files it imports, which are copied beside it and sometimes mutated instead of it).
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
    "gpt3-training-compute.json", "brain-simulation.json", "efficiency-projection.json",
    # Series and crossing times; a composed model (its imports are copied beside each case).
    "efficiency-crossing.json", "scale-dependent-gain.json", "effective-compute-2024.json")]
IMPORTED = [os.path.join(ROOT, "Scenarios", n) for n in ("seed-2024.json", "resources-2024.json")]
TRIALS = "3000"

NUMBERS = [0, -1, 1, 0.5, 1e-9, 1e-300, 1e300, 1e308, 1.7e308, -1e308, 2 ** 53, 2 ** 53 + 1, 2 ** 63 - 1, 2 ** 64,
           -(2 ** 62), 10 ** 30, 1e-17, 0.999999999999999999, 1e-200, 1e200, 3, 100, 1e6]
STRINGS = ["", "a", "x" * 5000, "\u0008", "\u001b[2J", "a\nb", "\u202eabc", "\uffff", "\ufffe", "\\", "\"", "<b>&amp;",
           "../../etc", "tri\u0061ls", "\u0000", "ünï", "𝔘",
           # Expressions and units: overflow, NaN, syntax, unknown names, bad units.
           "exp(1000)", "0/0", "ln(0)", "1e308 * 1e308 * x", "((((", "x ^ x ^ x ^ x", "`a-b`", "3600[s/h",
           "1[FLOP/(GPU*s)] + 1[s]", "FLOP//s", "m^1e9", "sqrt(-1)", "min()", "-2^2", "1e999", "1e-400",
           # Deep and long expressions (the parser and code generator recurse), terminal controls.
           "(" * 30000 + "1" + ")" * 30000, "+".join(["1"] * 70000), "-" * 30000 + "1", "^".join(["2"] * 5000),
           "max(" + ",".join(["1"] * 5000) + ")", "\u009b2J", "a\u2066b", "\u007f", "u" * 100000]

# Output paths: one character, and folders that do not exist yet (made on success, never on a refusal).
OUT_PATHS = ["out", "o", "o/", "o/p", "oo/pp/qq"]

# Scenarios at the ends of the double range, for every command: tiny or huge spreads, subnormals,
# underflowing per-year and derived rows, values beyond 1e154 (compare squares differences).
EXTREME_LAWS = [
    {"type": "normal", "mean": 0, "sd": 1e-306}, {"type": "normal", "mean": 1, "sd": 1e-306},
    {"type": "uniform", "min": 0, "max": 5e-324}, {"type": "uniform", "min": 0, "max": 1e-310},
    {"type": "uniform", "min": -1e307, "max": 1e307}, {"type": "beta", "alpha": 1e-5, "beta": 1e5},
    {"type": "lognormal", "median": 1e200, "sigma": 1}, {"type": "lognormal", "median": 1e-300, "sigma": 3},
    {"type": "lognormal", "median": 1, "sigma": 60}, {"type": "normal", "mean": 1e300, "sd": 1e299},
    {"type": "fixed", "value": 1e-320}, {"type": "fixed", "value": 1e308}, {"type": "bernoulli", "p": 1e-300},
    {"type": "fixed", "value": 0},
    # Fitted to quantiles: steep, bounded on a subnormal interval, huge.
    {"type": "metalog", "quantiles": [[1e-9, 1], [0.5, 2], [1 - 1e-9, 1e300]]},
    {"type": "metalog", "quantiles": [[0.1, 1e-310], [0.5, 2e-310], [0.9, 3e-310]], "lower": 0, "upper": 4e-310},
    {"type": "metalog", "quantiles": [[0.1, 1e200], [0.5, 1e250], [0.9, 1e300]], "lower": 0},
    {"type": "lognormal", "quantiles": [[1e-12, 1e-300], [0.999999, 1e300]]},
]


def extreme_scenario(rng):
    """Two or three factors of extreme laws, a product and an expression output, sometimes per-year
    and derived rows, sometimes units."""
    factors = [{"id": f"f{i}", "group": f"g{i}", "distribution": rng.choice(EXTREME_LAWS)} for i in range(rng.randint(2, 3))]
    units = rng.random() < 0.3
    if units:
        for f in factors:
            f["unit"] = rng.choice(["s", "h", "FLOP"])
    doc = {"name": "extreme", "trials": 3000, "seed": rng.randrange(100), "floor": rng.choice([None, None, 1e-300]),
           "thresholds": [rng.choice([1, 1e-300, 1e300, -1])],
           "factors": factors,
           "outputs": [{"id": "prod", "groups": [f["group"] for f in factors]},
                       {"id": "expr", "expression": rng.choice(["f0 + f1", "f0 * f1", "f0 / f1 - f1", "f0 * 1e-300"])}]}
    if units:
        doc["outputs"][0]["unit"] = "*".join(f["unit"] for f in factors)
        doc["outputs"][1]["expression"] = "f0 * f1"
        doc["outputs"][1]["unit"] = factors[0]["unit"] + "*" + factors[1]["unit"]
    if rng.random() < 0.4:
        doc["years"] = rng.choice([0.4, 4, 1e-3])
    if rng.random() < 0.4:
        doc["derived"] = [{"id": "d", "divide_by": "prod", "baseline": rng.choice([1e-60, 1, 1e300]),
                           "unit": rng.choice(STRINGS[3:12])}]
    return doc


CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


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
    """The exit status (or "hang"), stderr, and a control character found in stdout or stderr."""
    try:
        p = subprocess.run([binary] + args, cwd=cwd, capture_output=True, timeout=timeout)
        out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
        raw = CONTROLS.search(out + err)
        return p.returncode, err, raw.group() if raw else None
    except subprocess.TimeoutExpired:
        return "hang", "", None


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
        rc, err, _ = run(a.binary, ["run", SCENARIOS[0], "--trials", "150000", "--threads", "1", "--quiet",
                                    "--shard", f"{k}/2", "--state", os.path.join(base, f"s{k}.json")], work, a.case_timeout)
        if rc != 0:
            sys.exit(f"fuzz: cannot make the base shard {k}/2: {err}")
    shard_text = open(os.path.join(base, "s1.json")).read()
    # A finished results folder: the base of the run.json cases.
    rc, err, _ = run(a.binary, ["run", SCENARIOS[0], "--trials", TRIALS, "--threads", "1", "--quiet",
                                "--out", os.path.join(base, "folder")], work, a.case_timeout)
    if rc != 0:
        sys.exit(f"fuzz: cannot make the base results folder: {err}")
    record_text = open(os.path.join(base, "folder", "run.json")).read()
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
        kind = rng.choice(["scenario", "scenario", "scenario", "state", "extreme", "record"])
        out = os.path.join(folder, rng.choice(OUT_PATHS))
        # What a refusal must not leave: the output path and the folders it would have needed.
        made = [os.path.join(folder, p.split("/")[0]) for p in OUT_PATHS] + [os.path.join(folder, "cmp")]
        if kind == "extreme":
            doc = extreme_scenario(rng)
            name = os.path.join(folder, "s.json")
            with open(name, "w") as h:
                json.dump(doc, h)
            other = json.loads(json.dumps(doc))
            other = mutate_value(rng, other) if rng.random() < 0.5 else other
            name_b = os.path.join(folder, "b.json")
            with open(name_b, "w") as h:
                json.dump(other, h)
            commands = [["validate", name], ["sensitivity", name, "--trials", TRIALS, "--threads", "1", "--out", out],
                        ["compare", name, name_b, "--trials", "131072", "--threads", "1", "--out", os.path.join(folder, "cmp")],
                        ["run", name, "--trials", TRIALS, "--threads", "1", "--out", out]]
            text = json.dumps(doc)
        elif kind == "record":
            shutil.copytree(os.path.join(base, "folder"), os.path.join(folder, "f"))
            if rng.random() < 0.7:
                doc = json.loads(record_text)
                key = rng.choice(["binsPerDecade", "binsPerDecade", "trials", "seed", "fingerprint", "rng", "sampler"])
                doc[key] = rng.choice(NUMBERS + STRINGS[:12] + [0, -1, 1025, 2 ** 53])
                text = json.dumps(doc, indent=2)
            else:
                text = text_mutation(rng, record_text)
            name = os.path.join(folder, "f", "run.json")
            with open(name, "w", encoding="utf-8", errors="surrogateescape") as h:
                h.write(text)
            commands = [["validate", name], ["report", os.path.join(folder, "f"), "--quiet"],
                        ["run", name, "--threads", "1", "--quiet", "--out", out]]
        elif kind == "scenario":
            text = rng.choice(docs)
            for p in IMPORTED:
                shutil.copy(p, folder)
            if '"imports"' in text and rng.random() < 0.4:
                # A hostile imported file under an intact importing one.
                target = os.path.join(folder, os.path.basename(rng.choice(IMPORTED)))
                with open(target) as h:
                    imported = h.read()
                mutated = json.dumps(mutate_value(rng, json.loads(imported))) if rng.random() < 0.7 else text_mutation(rng, imported)
                with open(target, "w", encoding="utf-8", errors="surrogateescape") as h:
                    h.write(mutated)
            elif rng.random() < 0.7:
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
            commands = [["validate", name], ["run", name, "--trials", TRIALS, "--threads", "1", "--out", out]
                        + (["--report"] if report else [])]
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
            commands = [["merge", name, os.path.join(base, "s2.json"), "--quiet", "--out", out]]
        codes = []
        for cmd in commands:
            before = {p for p in made if os.path.exists(p)}
            rc, err, raw = run(a.binary, cmd, folder, a.case_timeout)
            codes.append(rc)
            left = sorted(p for p in made if os.path.exists(p) and p not in before)
            if raw:
                problems.append(f"{cmd[0]} printed the control character U+{ord(raw):04X} raw")
            if rc == "hang":
                problems.append(f"{cmd[0]} hung over {a.case_timeout} s")
            elif rc < 0:
                problems.append(f"{cmd[0]} crashed (signal {-rc}): {err[-300:]}")
            elif rc not in (0, 1, 2):
                problems.append(f"{cmd[0]} exited {rc}: {err[-300:]}")
            elif rc == 2 and left:
                problems.append(f"{cmd[0]} refused the input (exit 2) but wrote {', '.join(left)}")
            elif rc != 0 and not all(l.startswith(("effsim: ", folder + os.sep)) for l in err.strip().split("\n")):
                problems.append(f"{cmd[0]}: a message line that names neither effsim nor the file: {err[:300]}")
        if kind == "state" and codes[0] == 0 and json.loads(shard_text) != _loads(text):
            problems.append("merge accepted an edited state file")
        if kind == "record" and codes[-1] == 0 and not _same_run(json.loads(record_text), _loads(text)):
            problems.append("run accepted an edited run.json")
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
          f"{kinds.get('state', 0)} state-file cases, {kinds.get('extreme', 0)} extreme-value cases, "
          f"{kinds.get('record', 0)} run.json cases); {failures} case(s) with problems")
    sys.exit(1 if failures else 0)


def _same_run(record, edited):
    """Whether an accepted run.json is the record but for a binsPerDecade that --bins allows
    (the one field the fingerprint does not cover)."""
    if not isinstance(edited, dict):
        return False
    bins = edited.get("binsPerDecade")
    valid = isinstance(bins, (int, float)) and not isinstance(bins, bool) and bins == int(bins) and 1 <= bins <= 1024
    return valid and {k: v for k, v in edited.items() if k != "binsPerDecade"} == {k: v for k, v in record.items() if k != "binsPerDecade"}


def _loads(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


if __name__ == "__main__":
    main()
