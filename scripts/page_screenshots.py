"""Screenshots of the classroom page for the README (docs/page_en.png, docs/page_zh.png):
the default district side by side, volunteer pay against baseline, after 30 days.
Run from the repository: `PYTHONPATH=. .venv/bin/python scripts/page_screenshots.py`."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from sim.page.drive import ARGS, CHROMIUM, demo_server, offline_context, open_page, step

DOCS = Path(__file__).resolve().parents[1] / "docs"


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    with demo_server() as (url, _, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        failures: list[str] = []
        page = open_page(offline_context(browser, failures), url)
        page.click(".govsim-lang >> text=EN")
        page.click(".govsim-policies")
        page.click(".v-menu__content >> text=volunteer pay")
        page.keyboard.press("Escape")
        page.get_by_label("Side by side (same city, same seed)").check(force=True)
        page.wait_for_selector(".govsim-map-1 .js-plotly-plot")
        step(page, 30)
        page.wait_for_timeout(1500)
        page.screenshot(path=DOCS / "page_en.png", full_page=True)
        page.click(".govsim-lang >> text=ZH")
        page.wait_for_timeout(1500)
        page.screenshot(path=DOCS / "page_zh.png", full_page=True)
        browser.close()
        assert not failures, failures


if __name__ == "__main__":
    main()
