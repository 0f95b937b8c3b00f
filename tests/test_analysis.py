"""The analysis as plain functions on a small sweep folder built once per session:
aggregation into runs.parquet, statistics in summary.csv, figures and the report."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
import yaml
from sweep_fixture import FAILED_ERROR, sweep_dir  # noqa: F401 (a fixture)

from experiments import figures
from experiments.aggregate import aggregate, collect, condition_keys, override_values
from experiments.report import build
from experiments.tables import headline_table
from sim import outcomes


def _text(page: str) -> str:
    """What a reader sees of an HTML fragment: the text without tags."""
    return re.sub(r"<[^>]+>", "", page)


@pytest.fixture(scope="session")
def aggregated(sweep_dir):  # noqa: F811
    return aggregate(sweep_dir)


def test_failed_and_incomplete_runs_do_not_break_the_runs_table(sweep_dir, aggregated):  # noqa: F811
    runs = pd.read_parquet(sweep_dir / "runs.parquet")
    assert len(runs) == 6
    assert runs["status"].value_counts().to_dict() == {"ok": 4, "failed": 1, "incomplete": 1}
    assert pd.api.types.is_integer_dtype(runs["seed"])  # typed from overrides.yaml, not "2"
    assert sorted(runs["seed"]) == [0, 0, 1, 1, 2, 2]
    failed = runs[runs["status"] == "failed"].iloc[0]
    assert failed["error"] == FAILED_ERROR and failed["policy"] == "hotline"
    incomplete = runs[runs["status"] == "incomplete"].iloc[0]
    assert incomplete["policy"] == "baseline" and incomplete["seed"] == 2
    assert (sweep_dir / "summary.csv").exists()


def test_override_values_are_typed(tmp_path):
    (tmp_path / ".hydra").mkdir()
    items = ["seed=3", "+a.b=0.25", "policy=[hotline,grid_management]", "c=abc", "d=null"]
    (tmp_path / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump([*items, "shock=[]"]))
    assert override_values(tmp_path) == {
        "seed": 3,
        "a.b": 0.25,
        "policy": "hotline+grid_management",
        "c": "abc",
        "d": None,
        "shock": "none",  # `shock=null` in a sweep of shocks
    }


def _two_key_sweep(sweep_dir, tmp_path):  # noqa: F811
    """The fixture's complete baseline runs relabelled as a sweep over two keys, with values
    whose text order differs from their numeric order (10 < 5 as text)."""
    source = [p.parent for p in sorted(sweep_dir.glob("policy=baseline*/summary.json"))]
    for i, (x, y) in enumerate([(5, 0.5), (10, 0.5), (5, 2), (10, 2)]):
        overrides = ["policy=baseline", f"seed={i % 2}", f"a.x={x}", f"b.y={y}"]
        run = tmp_path / f"run{i}"
        shutil.copytree(source[i % 2], run, ignore=shutil.ignore_patterns(".hydra"))
        (run / ".hydra").mkdir()
        (run / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(overrides))
    return tmp_path


def test_heat_map_axes_are_in_numeric_order(sweep_dir, tmp_path):  # noqa: F811
    runs = collect(_two_key_sweep(sweep_dir, tmp_path))
    fig = figures.heatmap(runs, condition_keys(runs), "solved_share_arisen", "en")
    assert list(fig.data[0].x) == ["5", "10"] and list(fig.data[0].y) == ["0.5", "2.0"]


def test_paired_changes_are_per_seed_differences_of_the_runs_table(sweep_dir, aggregated):  # noqa: F811
    runs = pd.read_parquet(sweep_dir / "runs.parquet")
    ok = runs[runs["status"] == "ok"].set_index(["policy", "seed"])
    summary = pd.read_csv(sweep_dir / "summary.csv")
    hotline = summary[summary["policy"] == "hotline"].set_index("metric")
    for metric in ("median_close_h", "response_rate_migrant", "cost_total_yuan"):
        diffs = ok.loc["hotline", metric] - ok.loc["baseline", metric]  # by seed 0, 1
        assert hotline.loc[metric, "diff_mean"] == pytest.approx(diffs.mean())
        assert hotline.loc[metric, "n_pairs"] == 2
        constant = diffs.nunique() == 1 and diffs.iloc[0] != 0
        assert np.isnan(hotline.loc[metric, "p_value"]) == constant, metric
    assert np.isnan(hotline.loc["cost_total_yuan", "p_value"])  # a fixed operating cost


def _row(metric, diff, p_holm, base=1.0):
    return {"policy": "reform", "metric": metric, "baseline_mean": base, "diff_mean": diff,
            "diff_ci_low": diff - 0.1, "diff_ci_high": diff + 0.1, "p_holm": p_holm,
            "reference": "baseline", "extra_cost_yuan": float("nan")}  # fmt: skip


def test_headline_table_shades_by_direction_and_shows_undefined_p_as_a_dash():
    summary = pd.DataFrame(
        [
            _row("median_close_h", -5.0, 0.001, base=30.0),  # faster: better
            _row("response_rate", -0.1, 0.01, base=0.5),  # fewer contacted in time: worse
            _row("solved_share_arisen", 0.02, float("nan")),  # same in every seed
        ]
    )
    page = headline_table(summary, "en")
    shown = ("median_close_h", "response_rate", "solved_share_arisen")  # measured, in order
    for metric in shown:
        assert outcomes.label(metric) in page
    changes = page.split("<tr>")[-1]  # the level row of baseline comes first
    assert "baseline (level)" in page and "30.0" in page.split("<tr>")[-2]
    cells = changes.split("<td")
    close, response, solved = (
        cells[1 + shown.index(m)] for m in shown
    )  # one cell per measured headline outcome, in register order
    assert "class='better'" in close and ">-5.0 h* [-5.1, -4.9]" in _text(close)
    assert "class='worse'" in response and ">-10.0 pts*" in _text(response)
    assert "+2.0 pts " in _text(solved) and "Holm=–" in _text(solved)
    assert "class=''" in solved  # no p, no verdict
    assert "no spread for a t-test" in page and "not adjusted for multiple comparisons" in page


def test_conditions_that_differ_in_another_key_get_their_own_rows_and_curves():
    rows = []
    for shock, change in (("flood", -5.0), ("epidemic", -9.0)):
        for budget, spent in ((1e6, 2e5), (4e6, 8e5)):
            row = _row("median_close_h", change * budget / 1e6, 0.01, base=30.0)
            rows.append({**row, "shock": shock, "budget": budget, "extra_cost_yuan": spent})
    summary = pd.DataFrame(rows)
    keys = ["policy", "shock", "budget"]
    page = headline_table(summary, "en", keys)
    assert page.count("<tr><th>reform · shock=") == 4
    assert page.count("<tr class='level'><th>baseline · shock=") == 4  # each its own reference
    row = page.split("<tr><th>reform · shock=flood · budget=4,000,000</th>")[1]
    assert _text(row.split("</td>")[0]).startswith("-20.0 h*")
    curves = figures.frontier(summary, "median_close_h", keys, "en")
    assert sorted(trace.name for trace in curves.data) == [
        "reform · shock=epidemic",
        "reform · shock=flood",
    ]  # joined along the budget, apart by shock
    assert list(curves.data[0].x) == [0.2, 0.8]  # M yuan


def test_report_in_both_languages(sweep_dir, aggregated):  # noqa: F811
    runs, summary = aggregated
    report = build(sweep_dir, runs, summary, "en").read_text()
    assert report.count("plotly.js v") == 1  # embedded once, self-contained
    assert "<b>hotline</b> against baseline (2 seeds paired)" in report
    assert "http" not in report.split("<body>")[1].split("<script")[0]
    names = sorted(p.stem for p in (sweep_dir / "figures").glob("*.html"))
    resilience = ["peak_open", "peak_open_ratio", "recovery_days", "satisfaction_dip"]
    assert names == sorted(
        [f"forest_{m}" for m in (*outcomes.HEADLINE, *resilience) if m in set(summary.metric)]
        + ["backlog", "close_times", "contact_times", "cost_frontier", "satisfaction",
           "satisfaction_over_time"]
    )  # fmt: skip
    chinese = build(sweep_dir, runs, summary, "zh").read_text()
    assert "政策比较报告" in chinese and "办结时间中位数" in chinese and "流动人口" in chinese
    assert "<b>接诉即办</b> 与基线相比" in chinese and "小时" in chinese


def test_figures_label_outcomes_from_the_register(aggregated):
    runs, summary = aggregated
    ok = runs[runs["status"] == "ok"]
    close = figures.times(ok, "median_close_h", ["policy"], "zh")
    assert "办结时间中位数" in close.layout.title.text and close.layout.yaxis.type == "log"
    groups = figures.by_group(summary, "satisfaction_mean", ["policy"], "en")
    assert [bar.name for bar in groups.data] == ["residents", "migrants"]
    forest = figures.forest(summary, "median_close_h", ["policy"], "en")
    assert list(forest.data[0].y) == ["hotline"] and forest.data[0].x[0] < 0
    assert forest.layout.xaxis.title.text == "change in median hours to close (h)"
    assert groups.layout.yaxis.range[0] > 0.3  # fitted to the values, not from 0


def test_report_renders_offline_in_headless_chromium(sweep_dir, aggregated, monkeypatch):  # noqa: F811
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    monkeypatch.delenv("GOVSIM_PNG", raising=False)  # a user's report: PNG copies included
    report = build(sweep_dir, *aggregated, "en")
    for name in ("forest_median_close_h", "backlog"):
        png = sweep_dir / "figures" / f"{name}.png"
        assert png.exists() and png.stat().st_size > 10_000
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=10000"]  # fmt: skip
    dom = subprocess.run(
        [chromium, *flags, "--dump-dom", report.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert dom.count('class="main-svg"') >= 6  # every figure drawn, with no network
    assert "Policy comparison" in dom


def test_one_wide_interval_is_clipped_so_the_narrow_ones_stay_visible():
    rows = [_row("median_close_h", d, 0.01, base=30.0) for d in (-2.0, -1.0, 1.0)]
    wide = {**_row("median_close_h", 62.0, 0.2, base=30.0), "policy": "sinking"}
    summary = pd.DataFrame([*rows, {**wide, "diff_ci_low": 6.0, "diff_ci_high": 120.0}])
    summary["policy"] = ["a", "b", "c", "sinking"]
    fig = figures.forest(summary, "median_close_h", ["policy"], "en")
    low, high = fig.layout.xaxis.range
    assert low < -2.1 and 62.0 < high < 120.0  # every point shown, the wide bar cut
    assert "+62.0 [+6.0, +120.0], beyond the axis" in fig.layout.annotations[0].text
    assert figures.axis_range(*(summary[c] for c in DIFFS)) is not None
    assert figures.axis_range(*(summary[c][:3] for c in DIFFS)) is None  # none too wide


DIFFS = ("diff_mean", "diff_ci_low", "diff_ci_high")
