"""Drive the real `govsim demo` server in headless Chromium, for the page's tests and its
benchmark: Debian's /usr/bin/chromium through pip's Playwright, every request that is not
to localhost aborted and recorded (the page must work offline)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def demo_server(cull_timeout: str = "30s", timeout_s: float = 90.0):
    """`govsim demo` on a free port; yields (url, process); stops its process group."""
    port = free_port()
    env = {**os.environ, "SOLARA_KERNEL_CULL_TIMEOUT": cull_timeout,
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "demo", "--port", str(port)], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    first_line = proc.stdout.readline()
    # keep reading what the server says, so a talkative server never blocks on a full pipe
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"govsim demo did not start: {first_line}") from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/", proc, first_line
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def offline_context(browser, failures: list[str], **options):
    """A browser context whose requests beyond localhost are aborted and recorded, as are
    failed requests and error responses."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, **options)

    def route(r):
        url = r.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            r.continue_()
        else:
            failures.append(f"blocked {url}")
            r.abort()

    context.route("**/*", route)
    context.on("requestfailed", lambda r: failures.append(f"failed {r.url}"))
    context.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
    return context


def open_page(context, url: str):
    """A new tab on the page, once its map and charts are drawn."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("document.querySelectorAll('.govsim-plot.js-plotly-plot').length >= 2",
                           timeout=60_000)  # fmt: skip
    return page


def day_of(page) -> str:
    return page.inner_text(".govsim-day")


REDRAWN = """(day) => {
  const shown = document.querySelector('.govsim-day').innerText.split(/\\s+/); // 第 3 天, Day 3
  const charts = document.querySelector('.govsim-charts .js-plotly-plot');
  return shown.includes(String(day)) && charts.data[0].y.length === day;
}"""
TIMED_STEP = f"""async (day) => {{
  const redrawn = {REDRAWN};
  const started = performance.now();
  document.querySelector('.govsim-step').click();
  while (!redrawn(day)) await new Promise((frame) => requestAnimationFrame(frame));
  return (performance.now() - started) / 1000;
}}"""


def timed_step(page) -> float:
    """Step one day; seconds from the click to the first frame with the new day and charts,
    timed inside the browser (no driver round trips)."""
    return page.evaluate(TIMED_STEP, int(day_of(page).split()[1]) + 1)


def step(page, days: int = 1) -> None:
    """Click 'step' and wait until the day shown has advanced by `days` in all and the charts
    are redrawn with that day (their first line has a point per day)."""
    start = int(day_of(page).split()[1])  # "Day 3" or "第 3 天"
    for _ in range(days):
        page.click(".govsim-step")
    page.wait_for_function(REDRAWN, arg=start + days, timeout=30_000)
