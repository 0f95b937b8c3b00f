"""`govsim bench-page`: a class of thirty tabs on the real page, measured (not a test).

Starts `govsim demo`, opens one warm-up tab and closes it, records the server's memory, then
opens `--tabs` tabs (one browser context each), steps each `--steps` days while all are open,
closes them, waits until the server's memory has stopped falling and records it again.
Prints one JSON line: step latency (timed in the page, from the click to the first frame
showing the new day and the redrawn charts) for one tab alone and with all tabs open,
memory (resident, server and children) after warm-up, with all tabs open and after they
closed, failures.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import psutil

from sim.page.drive import ARGS, CHROMIUM, demo_server, offline_context, open_page, timed_step

CULL_S = 5  # the bench's server frees a disconnected tab's model after this long


def rss_mb(pid: int) -> float:
    """Resident memory of the server and its children, MB."""
    proc = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20


def timed_steps(page, n: int) -> list[float]:
    return [timed_step(page) for _ in range(n)]


def settle(pid: int, wait_s: float) -> float:
    """The server's memory once closed tabs are freed: after `wait_s`, when three readings a
    second apart agree within 1 MB (at most a minute more)."""
    time.sleep(wait_s)
    readings = [rss_mb(pid)]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (
        len(readings) >= 3 and max(readings[-3:]) - min(readings[-3:]) < 1
    ):
        time.sleep(1)
        readings.append(rss_mb(pid))
    return readings[-1]


def run(browser, url: str, pid: int, tabs: int, steps: int) -> dict:
    failures: list[str] = []
    warm = offline_context(browser, failures)
    alone = timed_steps(open_page(warm, url), steps)
    warm.close()
    after_warmup = settle(pid, CULL_S + 1)
    contexts = [offline_context(browser, failures) for _ in range(tabs)]
    pages = [open_page(c, url) for c in contexts]
    together = [s for page in pages for s in timed_steps(page, steps)]
    all_open = rss_mb(pid)
    for context in contexts:
        context.close()
    after_close = settle(pid, CULL_S + 1)
    return {
        "tabs": tabs,
        "steps_per_tab": steps,
        "step_alone_median_s": round(float(np.median(alone)), 3),
        "step_with_all_open_median_s": round(float(np.median(together)), 3),
        "step_with_all_open_p90_s": round(float(np.quantile(together, 0.9)), 3),
        "rss_after_warmup_mb": round(after_warmup),
        "rss_all_open_mb": round(all_open),
        "rss_after_close_mb": round(after_close),
        "rss_back_within_share": round(after_close / after_warmup - 1, 3),
        "failed_requests": failures[:5],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="govsim bench-page", description=__doc__.split("\n")[0])
    parser.add_argument("--tabs", type=int, default=30)
    parser.add_argument("--steps", type=int, default=5)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with demo_server(cull_timeout=f"{CULL_S}s") as (url, proc, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        result = run(browser, url, proc.pid, args.tabs, args.steps)
        browser.close()
    print(json.dumps(result), flush=True)
    return 0 if proc.returncode in (None, 0, -15) and not result["failed_requests"] else 1
