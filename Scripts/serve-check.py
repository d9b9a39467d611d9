#!/usr/bin/env python3
"""make serve-check: effsim serve in headless Chromium, driven by Selenium.

Starts `effsim serve` on a copy of Scenarios/seed-2024.json, changes transformer_pp's CI in the
page, waits for hardware's p50 to become the value `effsim run` gives for the edited file, checks
that the browser logged no error, saves, and diffs the saved file against the expected JSON.
Screenshots before and after the edit are kept in --out. Prints the edit-to-redraw times the page
measured (Performance API), p50 and p95. Exits 1 on any failure; stops every process it started.
"""
import argparse, csv, difflib, json, os, shutil, subprocess, sys, tempfile, time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fail(message):
    print("serve-check: " + message, file=sys.stderr)
    sys.exit(1)


def run_p50(binary, scenario, metric, trials, folder):
    subprocess.run([binary, "run", scenario, "--trials", str(trials), "--out", folder, "--quiet", "--force"], check=True)
    with open(os.path.join(folder, "summary.csv")) as f:
        for row in csv.DictReader(f):
            if row["metric"] == metric:
                return float(row["p50"])
    fail("no %s row in %s/summary.csv" % (metric, folder))


def whole(value):
    """The document with integral floats written as integers, as JSON.stringify writes them."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, list):
        return [whole(v) for v in value]
    if isinstance(value, dict):
        return {k: whole(v) for k, v in value.items()}
    return value


def percentile(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--trials", type=int, default=100000)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="serve-check-")
    served = os.path.join(args.out, "seed-2024.json")
    shutil.copyfile(os.path.join(ROOT, "Scenarios", "seed-2024.json"), served)
    with open(served) as f:
        expected = json.load(f)
    expected["factors"][0]["distribution"]["ci"] = [1.5, 6]
    # The page writes JSON as JavaScript does: 1.0 is 1. The same values either way.
    expected_text = json.dumps(whole(expected), indent=2, ensure_ascii=False) + "\n"
    expected_file = os.path.join(scratch, "seed-2024.json")
    with open(expected_file, "w") as f:
        f.write(expected_text)
    want = run_p50(args.binary, expected_file, "hardware", args.trials, os.path.join(scratch, "run"))

    server = subprocess.Popen([args.binary, "serve", served, "--no-browser", "--trials", str(args.trials)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    driver = None
    try:
        url = server.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            fail("the first line of effsim serve is not its URL: %r" % url)
        options = webdriver.ChromeOptions()
        for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1280,2000",
                     "--user-data-dir=" + os.path.join(scratch, "profile")]:
            options.add_argument(flag)
        options.binary_location = shutil.which("chromium")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)
        driver.get(url)
        cell = 'td[data-metric="hardware"][data-stat="p50"]'
        wait = WebDriverWait(driver, 60)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, cell))
        before = float(driver.find_element(By.CSS_SELECTOR, cell).get_attribute("data-value"))
        driver.save_screenshot(os.path.join(args.out, "before.png"))

        ci = driver.find_element(By.CSS_SELECTOR, 'input[data-path="factors[0].distribution.ci"]')
        ci.clear()
        ci.send_keys("1.5, 6")
        try:
            wait.until(lambda d: float(d.find_element(By.CSS_SELECTOR, cell).get_attribute("data-value")) == want)
        except Exception:
            fail("hardware p50 on the page is %s; effsim run gives %r for the edited file (it was %r before)"
                 % (driver.find_element(By.CSS_SELECTOR, cell).get_attribute("data-value"), want, before))
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#compare-table td[data-metric="hardware"]'))
        driver.save_screenshot(os.path.join(args.out, "after.png"))

        driver.find_element(By.ID, "save").click()
        wait.until(lambda d: d.find_element(By.ID, "message").text.startswith("saved"))
        with open(served) as f:
            saved = f.read()
        if json.loads(saved) != expected or saved != expected_text:
            sys.stdout.writelines(difflib.unified_diff(expected_text.splitlines(True), saved.splitlines(True), "expected", served))
            fail("the saved file differs from the expected JSON")

        # Edit-to-redraw times: 20 more edits of one field, each waited for.
        level = driver.find_element(By.CSS_SELECTOR, 'input[data-path="factors[1].distribution.level"]')
        for i in range(20):
            count = driver.execute_script("return window.effsimTimings.length")
            level.clear()
            level.send_keys("0.9" if i % 2 else "0.85")
            wait.until(lambda d: d.execute_script("return window.effsimTimings.length") > count + (0 if i % 2 else 0))
            time.sleep(0.05)
        timings = driver.execute_script("return window.effsimTimings")
        # Chromium logs every 4xx answer as a failed resource; 422 (a half-typed value) and 409
        # (a superseded run) are the API's answers to the typing above, not faults of the page.
        errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")
                  and not (e["source"] == "network" and ("status of 422" in e["message"] or "status of 409" in e["message"]))]
        if errors:
            fail("the browser logged errors: %s" % errors)
        print("serve-check: hardware p50 %r -> %r (effsim run: %r); saved file equals the expected JSON" % (before, want, want))
        print("serve-check: edit to redrawn charts over %d edits: p50 %.0f ms, p95 %.0f ms" %
              (len(timings), percentile(timings, 0.5), percentile(timings, 0.95)))
        print("serve-check: ok; look at %s/before.png and %s/after.png" % (args.out, args.out))
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
