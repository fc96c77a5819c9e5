#!/usr/bin/env python3
"""End-to-end test of `simrun serve` in a real browser (selenium driving Debian's Chromium).

Starts `simrun serve` on the example survey, opens the page, changes the universal child
grant's amount and checks that the results table shows what `simrun scenario run` gives
for a scenario file with that amount. Optionally saves screenshots of the page.

Exit status: 0 passed, 1 failed, 77 skipped (selenium or chromedriver missing; says why).
Run from the package root:  python3 Tests/Browser/serve_e2e.py --simrun .build/debug/simrun
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO = "inputs/scenarios/universal-child-grant.yaml"


def skip(why):
    print(f"serve_e2e: skipped: {why}")
    sys.exit(SKIP)


def fail(why):
    print(f"serve_e2e: FAILED: {why}")
    sys.exit(1)


def grouped(x):
    """A whole amount as compare's table prints it: 1,234,567."""
    return f"{round(x):,}"


def points(x):
    """A difference of fractions as compare prints it: +0.12 pts."""
    return f"{x * 100:+.2f} pts"


def scenario_with_amount(amount, folder):
    """The example scenario with amount_per_child set to `amount`, its references made absolute."""
    with open(os.path.join(ROOT, SCENARIO), encoding="utf-8") as f:
        text = f.read()
    text, n = re.subn(r"(amount_per_child:\n\s+unit: currency_per_month\n\s+values:\n\s+2025-01-01: )30", rf"\g<1>{amount:g}", text)
    if n != 1:
        fail("could not set amount_per_child in the example scenario (has its layout changed?)")
    text = text.replace("baseline: current_law", f"baseline: {os.path.join(ROOT, 'inputs/systems/current_law.yaml')}")
    text = text.replace("data: ../data/example-persons.csv", f"data: {os.path.join(ROOT, 'inputs/data/example-persons.csv')}")
    path = os.path.join(folder, "grant.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def sweep_bounds(driver, By, k=0):
    """The sweep panel's from, to and step of parameter k+1, as numbers."""
    return [float(driver.find_element(By.ID, f"sweep-{name}-{k}").get_attribute("value")) for name in ("from", "to", "step")]


def bracket_range_follows(driver, wait, By, Keys):
    """A tax bracket's threshold in the sweep panel: its suggested 'to' follows the valid range (capped by the next
    threshold) when the next threshold moves, while a step typed in the panel stays. The option is removed after."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import Select, WebDriverWait
    # The page re-renders its cards on every change: an element found just before may be replaced.
    wait = WebDriverWait(driver, 60, ignored_exceptions=[StaleElementReferenceException])
    Select(driver.find_element(By.ID, "add-choice")).select_by_value("package-child-grant-pension-tax")
    driver.find_element(By.CSS_SELECTOR, ".option.add button").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "article.option:not(.add)")) == 2)
    option = driver.find_elements(By.CSS_SELECTOR, "article.option:not(.add)")[1].get_attribute("data-option")
    Select(driver.find_element(By.ID, "sweep-option")).select_by_value(option)
    # The thresholds by their paths on the page (COMPONENT.brackets[K].threshold, or brackets[K].threshold where unique).
    paths = [o.get_attribute("value") for o in Select(driver.find_element(By.ID, "sweep-path-0")).options]
    first = next((p for p in paths if p.endswith("brackets[1].threshold")), None)
    if first is None:
        fail(f"the sweep panel offers no bracket threshold of the tax package (offers {paths})")
    path = first.replace("brackets[1]", "brackets[{}]")

    def threshold(k):
        return float(driver.find_element(By.CSS_SELECTOR, f'input[data-option="{option}"][data-path="{path.format(k)}"]')
                     .get_attribute("value"))

    Select(driver.find_element(By.ID, "sweep-path-0")).select_by_value(path.format(1))
    own, above = threshold(1), threshold(2)
    bounds = sweep_bounds(driver, By)
    if bounds[1] != min(2 * own, above):
        fail(f"the sweep panel suggests to = {bounds[1]} for {path.format(1)} = {own:g} below {above:g}")
    step = driver.find_element(By.ID, "sweep-step-0")
    step.clear()
    step.send_keys("7")
    # Move the next bracket's threshold below twice this one: the valid range, and so the suggested 'to', shrink.
    lowered = (own + min(2 * own, above)) / 2
    field = driver.find_element(By.CSS_SELECTOR, f'input[data-option="{option}"][data-path="{path.format(2)}"]')
    field.clear()
    field.send_keys(f"{lowered:g}", Keys.ENTER)
    try:
        wait.until(lambda d: threshold(2) == lowered and sweep_bounds(d, By)[1] == lowered)
    except Exception:
        fail(f"after {path.format(2)} moved to {lowered:g}, the sweep panel suggests from/to/step {sweep_bounds(driver, By)}; "
             f"expected to = {lowered:g} (the threshold's new upper bound)")
    bounds = sweep_bounds(driver, By)
    if bounds[2] != 7 or bounds[0] != own / 2:
        fail(f"the sweep panel shows from/step {bounds[0]}/{bounds[2]} after the change; expected {own / 2:g} (suggested) "
             "and 7 (typed in the panel)")
    print(f"serve_e2e: sweep panel follows the bracket's valid range, keeps the typed step: from/to/step {bounds}")
    card = driver.find_element(By.CSS_SELECTOR, f'article.option[data-option="{option}"]')
    next(b for b in card.find_elements(By.TAG_NAME, "button") if b.text == "Remove").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "article.option:not(.add)")) == 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--simrun", required=True, help="the simrun executable")
    parser.add_argument("--amount", type=float, default=40)
    parser.add_argument("--screenshots", help="folder to save screenshots of the page in")
    parser.add_argument("--chromedriver", default=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    args = parser.parse_args()

    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import WebDriverWait
    except ImportError:
        skip("selenium is not installed (pip install selenium)")
    if not os.access(args.chromedriver, os.X_OK):
        skip(f"chromedriver not found at {args.chromedriver} (apt-get install chromium-driver)")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        skip("chromium is not installed (apt-get install chromium)")
    simrun = os.path.abspath(args.simrun)

    work = tempfile.mkdtemp(prefix="simrun-serve-e2e-")
    server = subprocess.Popen([simrun, "serve", SCENARIO, "--country", "example", "--port", "0"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    driver = None
    try:
        url = server.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:") or "?token=" not in url:
            fail(f"serve printed {url!r}; stderr: {server.stderr.read() if server.poll() is not None else ''}")

        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1600,1000",
                     f"--user-data-dir={os.path.join(work, 'profile')}"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(args.chromedriver), options=options)
        driver.set_page_load_timeout(60)
        driver.get(url)
        wait = WebDriverWait(driver, 60)
        field = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, 'input[data-option="1"][data-path="amount_per_child"]'))
        if float(field.get_attribute("value")) != 30:
            fail(f"the page shows amount_per_child = {field.get_attribute('value')}, the scenario says 30")
        if args.screenshots:
            os.makedirs(args.screenshots, exist_ok=True)
            driver.save_screenshot(os.path.join(args.screenshots, "serve-1-start.png"))

        field.clear()
        field.send_keys(f"{args.amount:g}", Keys.ENTER)
        wait.until(lambda d: d.find_element(By.ID, "status").text.startswith("Updated"))

        def cell(key):
            # The full figure (the cell's tooltip): money is shown scaled ("697 million") on the page.
            return driver.find_element(By.CSS_SELECTOR, f'#results tr[data-key="{key}"] td:nth-child(3)').get_attribute("title")

        shown_money = driver.find_element(By.CSS_SELECTOR, '#results tr[data-key="benefit_change_annual"] td:nth-child(3)').text
        if not re.search(r"(thousand|million|billion)$", shown_money.rstrip(" *")):
            fail(f"the page shows money unscaled ({shown_money!r}); expected thousand/million/billion")

        run = subprocess.run([simrun, "scenario", "run", scenario_with_amount(args.amount, work), "--format", "json"],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
        if run.returncode != 0:
            fail(f"scenario run failed: {run.stderr}")
        result = json.loads(run.stdout)
        expected = {
            "benefit_change_annual": grouped(result["change"]["cost_annual"]),
            "fgt0_change": points(result["change"]["fgt0"]),
            "gini_change": points(result["change"]["gini"]),
        }
        for key, text in expected.items():
            shown = cell(key)
            if shown.rstrip(" *") != text:
                fail(f"the page shows {key} = {shown!r} for amount {args.amount}; scenario run gives {text!r}")
            print(f"serve_e2e: {key}: page {shown!r} = scenario run {text!r}")

        # The sweep panel's suggested range follows the option: around the amount now on the page (half to twice it),
        # not the amount the page opened with.
        if driver.find_element(By.ID, "sweep-path-0").get_attribute("value") != "amount_per_child":
            fail("the sweep panel does not offer the option's amount first")
        bounds = sweep_bounds(driver, By)
        if bounds[:2] != [args.amount / 2, args.amount * 2]:
            fail(f"after the amount changed to {args.amount:g}, the sweep panel suggests from/to {bounds[:2]}; "
                 f"expected {[args.amount / 2, args.amount * 2]} (half to twice the current amount)")
        print(f"serve_e2e: sweep panel follows the amount: from/to/step {bounds}")

        # The sweep frontier: the option's amount over a range, drawn by report --sweep's chart; a point tells its values.
        from selenium.webdriver.common.action_chains import ActionChains
        driver.execute_script("document.getElementById('sweep-heading').scrollIntoView()")
        driver.find_element(By.ID, "sweep-run").click()
        wait.until(lambda d: d.find_element(By.ID, "sweep-status").text.endswith("variants computed")
                   or d.find_element(By.ID, "sweep-error").is_displayed())
        if driver.find_element(By.ID, "sweep-error").is_displayed():
            fail(f"the sweep failed: {driver.find_element(By.ID, 'sweep-error').text}")
        variants = int(driver.find_element(By.ID, "sweep-status").text.split()[0])
        circles = driver.find_elements(By.CSS_SELECTOR, "#sweep-chart svg circle")
        if len(circles) != variants or variants < 2:
            fail(f"the frontier chart has {len(circles)} points for {variants} variants")
        ActionChains(driver).move_to_element(circles[-1]).perform()
        wait.until(lambda d: "amount per child" in d.find_element(By.ID, "sweep-point").text)
        print(f"serve_e2e: sweep: {variants} points; pointing at one reads {driver.find_element(By.ID, 'sweep-point').text!r}")
        if args.screenshots:
            driver.save_screenshot(os.path.join(args.screenshots, "serve-7-sweep.png"))
            driver.execute_script("window.scrollTo(0, 0)")

        bracket_range_follows(driver, wait, By, Keys)

        if args.screenshots:
            # A second option beside the first, as in a room comparing options.
            from selenium.webdriver.support.ui import Select
            Select(driver.find_element(By.ID, "add-choice")).select_by_value("child-grant-targeted")
            driver.find_element(By.CSS_SELECTOR, ".option.add button").click()
            wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "article.option:not(.add)")) == 2
                       and d.find_element(By.ID, "status").text.startswith("Updated"))
            driver.save_screenshot(os.path.join(args.screenshots, "serve-2-changed.png"))
            # Monte Carlo bands of the targeted grant's take-up draws.
            draws = driver.find_element(By.ID, "replications")
            draws.clear()
            draws.send_keys("50")
            driver.find_element(By.ID, "bands").click()
            WebDriverWait(driver, 300).until(lambda d: d.find_element(By.ID, "bands-status").text.startswith("Mean of"))
            driver.execute_script("document.getElementById('table-heading').scrollIntoView()")
            time.sleep(0.2)
            driver.save_screenshot(os.path.join(args.screenshots, "serve-8-bands.png"))
            # A change drops the bands of the old options and asks again for the new ones.
            driver.execute_script("window.scrollTo(0, 0)")
            amount = driver.find_element(By.CSS_SELECTOR, 'input[data-option="1"][data-path="amount_per_child"]')
            amount.clear()
            amount.send_keys("45", Keys.ENTER)
            WebDriverWait(driver, 300).until(lambda d: d.find_element(By.ID, "status").text.startswith("Updated")
                                             and d.find_element(By.ID, "bands-status").text.startswith("Mean of 50"))
            targeted = driver.find_element(By.CSS_SELECTOR, '#results tr[data-key="benefit_change_annual"] td:nth-child(4)').text
            if "[" not in targeted:
                fail(f"after a change, the targeted grant's bands were not shown again ({targeted!r})")
            for i, section in enumerate(["table-heading", "charts-heading", "coverage-heading"], start=3):
                driver.execute_script("document.getElementById(arguments[0]).scrollIntoView()", section)
                time.sleep(0.2)
                driver.save_screenshot(os.path.join(args.screenshots, f"serve-{i}-{section.split('-')[0]}.png"))
            bad = driver.find_element(By.CSS_SELECTOR, 'input[data-option="1"][data-path="amount_per_child"]')
            driver.execute_script("window.scrollTo(0, 0)")
            bad.clear()
            bad.send_keys("-5", Keys.ENTER)
            wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".option .error:not([hidden])"))
            driver.save_screenshot(os.path.join(args.screenshots, "serve-6-error.png"))
        print("serve_e2e: passed")
        return 0
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
