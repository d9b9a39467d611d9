#!/usr/bin/env python3
"""make bench-merge: the cost of `effsim merge` over 10, 100 and 1,000 shard state files of
10^9 trials each (seed-2024), with wall time and peak RSS, to show that memory does not grow
with the number of files (merge holds one file beside the sum).

One real shard is sampled: shard 1 of a 1,000-way split of 1,000 x 15,258 chunks (999,948,288
trials a shard, 9.9995e11 in all, within the 10^12 limit). The other files are that state with
another shard index (and, for the 10- and 100-way sets, the run's trial count scaled so each
shard still holds the same 999,948,288 trials), their checksums recomputed: the merge reads,
checks and adds each as it would a real shard's (the merged statistics mean nothing, the cost
is real). About 4 GB of disk for the 1,000 files, removed at the end.

EFFSIM=path/to/effsim measures another build; KEEP=1 keeps the folder; SETS=10,100 picks the sets.
Timing never fails anything: this prints.
"""
import hashlib, os, re, resource, shutil, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
effsim = os.environ.get("EFFSIM") or os.path.join(root, ".build", "release", "effsim")
sets = [int(n) for n in os.environ.get("SETS", "10,100,1000").split(",")]
chunks_per_shard = 15258
shard_trials = chunks_per_shard * 65536


def peak_rss_mib(argv):
    """Runs argv; returns (wall seconds, peak RSS in MiB of that child)."""
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.execv(argv[0], argv)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"merge-bench: {' '.join(argv)} failed")
    return wall, usage.ru_maxrss / 1024


def rewrite(text, index, count):
    """The state text as shard index/count of a run of count * shard_trials, checksum recomputed."""
    payload = re.sub(r'^\{"checksum":"[0-9a-f]{64}",', "{", text)
    payload = payload.replace('"shards":[{"count":1000,"index":1}]', f'"shards":[{{"count":{count},"index":{index}}}]')
    payload = re.sub(r'"trials":%d([,}])' % (1000 * shard_trials), lambda m: f'"trials":{count * shard_trials}{m.group(1)}', payload)
    digest = hashlib.sha256(payload.encode()).hexdigest()
    return '{"checksum":"%s",' % digest + payload[1:]


def main():
    work = tempfile.mkdtemp(prefix="effsim-merge-bench-")
    try:
        first = os.path.join(work, "one.json")
        start = time.monotonic()
        subprocess.run([effsim, "run", os.path.join(root, "Scenarios", "seed-2024.json"), "--trials", str(1000 * shard_trials),
                        "--shard", "1/1000", "--state", first], check=True)
        print(f"one shard of {shard_trials:,} trials sampled in {time.monotonic() - start:.1f} s; "
              f"its state is {os.path.getsize(first) / 1e6:.2f} MB")
        text = open(first).read()
        # The rewrite must reproduce the file effsim wrote for the shard it is.
        assert rewrite(text, 1, 1000) == text, "the checksum rewrite does not reproduce effsim's own file"
        for n in sets:
            folder = os.path.join(work, f"states-{n}")
            os.makedirs(folder)
            for k in range(1, n + 1):
                with open(os.path.join(folder, f"shard-{k}-of-{n}.json"), "w") as f:
                    f.write(rewrite(text, k, n))
            # Once to warm the page cache, then timed.
            out = os.path.join(work, f"merged-{n}")
            argv = [effsim, "merge", folder, "--out", out, "--quiet"]
            peak_rss_mib(argv)
            wall, rss = peak_rss_mib(argv)
            size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
            print(f"merge of {n:5d} states ({size / 1e9:6.2f} GB): {wall:7.1f} s wall, {wall / n * 1000:6.1f} ms a file, peak RSS {rss:6.1f} MiB")
            shutil.rmtree(folder)
    finally:
        if os.environ.get("KEEP"):
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
