"""The classroom page in a real browser: `govsim demo` started as users start it, driven in
headless Chromium with every request beyond localhost blocked (the page works offline)."""

from __future__ import annotations

import os

import pytest

from sim.page.drive import ARGS, CHROMIUM, day_of, demo_server, offline_context, open_page, step

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason=f"no browser: {CHROMIUM} is absent (apt install chromium)"
)

CHART_POINTS = "document.querySelectorAll('.govsim-charts .js-plotly-plot')[0].data[0].y.length"


@pytest.fixture(scope="module")
def server():
    with demo_server() as (url, _, first_line):
        yield url, first_line


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def failures():
    found: list[str] = []
    yield found
    assert found == [], "requests failed or left localhost"


def test_page_draws_map_and_charts_offline_and_steps_days(server, browser, failures):
    url, first_line = server
    assert first_line.startswith(f"govsim demo: open {url}")
    page = open_page(offline_context(browser, failures), url)
    assert day_of(page) == "第 0 天"
    step(page, 3)
    assert page.evaluate(CHART_POINTS) == 3
    legend = page.inner_text(".govsim-map-0")
    assert "街道办事处" in legend and "社会组织" in legend and "当日新增问题" in legend
    page.click(".govsim-lang >> text=EN")
    page.wait_for_function("document.querySelector('.govsim-day').innerText == 'Day 3'")
    assert "Street office" in page.inner_text(".govsim-map-0")
    assert "Policies in force" in page.inner_text("body")


def test_bad_input_shows_an_error_in_the_page_language(server, browser, failures):
    page = open_page(offline_context(browser, failures), server[0])
    seed = page.get_by_role("textbox", name="随机种子")
    seed.fill("-5")
    seed.press("Enter")
    page.wait_for_selector(".govsim-error")
    assert "输入无效" in page.inner_text(".govsim-error")
    step(page)  # the city runs on


def test_browser_contexts_have_their_own_cities_and_keep_working_together(
    server, browser, failures
):
    pages = [open_page(offline_context(browser, failures), server[0]) for _ in range(3)]
    step(pages[0], 2)
    assert [day_of(p) for p in pages[1:]] == ["第 0 天"] * 2
    for page in pages:
        page.click(".govsim-step")
    for page, day in zip(pages, (3, 1, 1), strict=True):
        page.wait_for_function(f"document.querySelector('.govsim-day').innerText == '第 {day} 天'")


def test_side_by_side_cities_step_in_lock_step_with_the_same_needs(server, browser, failures):
    page = open_page(offline_context(browser, failures), server[0])
    page.click(".govsim-lang >> text=EN")
    page.get_by_label("Side by side (same city, same seed)").check(force=True)
    page.wait_for_selector(".govsim-map-1 .js-plotly-plot")
    page.click(".govsim-policies")
    page.click(".v-menu__content >> text=volunteer pay")
    page.keyboard.press("Escape")
    step(page, 4)
    table = page.inner_text("table")
    needs = next(line for line in table.splitlines() if line.startswith("Needs arisen"))
    left, right, delta = needs.split("\t")[1:4]
    assert left == right and delta.strip() in ("+0", "0")
    volunteers = next(line for line in table.splitlines() if line.startswith("Volunteers"))
    assert volunteers.split("\t")[3].strip() not in ("+0", "0")


def test_students_watching_the_projector_view_see_the_trainers_city(server, browser, failures):
    trainer, student = (open_page(offline_context(browser, failures), server[0]) for _ in "ts")
    trainer.get_by_label("将我的城市设为投影共享视图").check(force=True)
    step(trainer, 2)
    student.get_by_label("观看投影共享视图").check(force=True)
    student.wait_for_function("document.querySelector('.govsim-day').innerText == '第 2 天'")
    assert student.query_selector(".govsim-step") is None  # no controls of its own city
    step(trainer)
    student.wait_for_function("document.querySelector('.govsim-day').innerText == '第 3 天'")
