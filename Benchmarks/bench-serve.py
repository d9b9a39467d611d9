#!/usr/bin/env python3
"""make bench-serve: effsim serve's POST /api/run for seed-2024 at 100,000 trials, from the request
to its whole response, p50 and p95 over 50 requests, with the server on 1 and on 2 threads. Each
request has its own seed, so none is answered from the server's recent answers. Prints figures."""
import argparse, json, os, subprocess, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def percentile(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--requests", type=int, default=50)
    args = ap.parse_args()
    path = os.path.join(ROOT, "Scenarios", "seed-2024.json")
    with open(path) as f:
        scenario = json.load(f)
    for threads in (1, 2):
        server = subprocess.Popen([args.binary, "serve", path, "--no-browser", "--threads", str(threads)],
                                  stdout=subprocess.PIPE, text=True)
        try:
            url = server.stdout.readline().strip()
            base, token = url.split("/?token=")
            times = []
            for i in range(args.requests + 3):
                body = json.dumps({"scenario": scenario, "trials": 100000, "seed": 1000 + i}).encode()
                request = urllib.request.Request(base + "/api/run", data=body, method="POST", headers={
                    "Authorization": "Bearer " + token, "Content-Type": "application/json"})
                start = time.perf_counter()
                with urllib.request.urlopen(request) as response:
                    response.read()
                if i >= 3:  # the first requests warm the server up
                    times.append((time.perf_counter() - start) * 1000)
            print("serve: POST /api/run, seed-2024, 100,000 trials, %d threads: p50 %.1f ms, p95 %.1f ms (%d requests)"
                  % (threads, percentile(times, 0.5), percentile(times, 0.95), len(times)))
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
