"""What each shipped experiment's report says: one table row per compared condition (policy ×
swept keys × shock), each reference's levels, and sentences whose numbers are summary.csv's.

The experiments' layouts are rebuilt from the fixture sweep's runs, relabelled (run folders
copied under other overrides), so the analysis sees each shape without running the model."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from sweep_fixture import sweep_dir  # noqa: F401 (a fixture)

from experiments import timeline, words
from experiments.aggregate import aggregate, condition_keys
from experiments.report import findings, run_info
from sim import outcomes

# experiment -> conditions: (overrides, the fixture policy whose runs stand in for them)
LAYOUTS = {
    "compare": [
        ({"policy": "baseline"}, "baseline"),
        ({"policy": "hotline"}, "hotline"),
        ({"policy": "whistle"}, "hotline"),
    ],
    "equal_budget": [
        ({"policy": p, "budget_yuan_per_year": b}, p)
        for p in ("baseline", "hotline")
        for b in (1_000_000, 2_000_000)
    ],
    "sweep": [
        ({"policy": "volunteer_pay", "policies.volunteer_pay.volunteer_stipend_yuan_per_h": x}, p)
        for x, p in ((0, "baseline"), (3, "hotline"), (15, "hotline"))
    ],
    "shock_resilience": [
        ({"policy": p, "shock": s}, p)
        for p in ("baseline", "hotline")
        for s in ("flood", "epidemic")
    ],
}


def relabelled(sweep: Path, out: Path, layout: list) -> Path:
    """The fixture's complete runs copied under the layout's overrides (policy rewritten in
    summary.json, as a run of that policy would have written it)."""
    sources = {}
    for summary in sweep.glob("*/summary.json"):
        data = json.loads(summary.read_text())
        sources[data["policy"], data["seed"]] = summary.parent
    for overrides, source in layout:
        for seed in (0, 1):
            items = [f"{k}={v}" for k, v in overrides.items()] + [f"seed={seed}"]
            run = out / ",".join(items)
            shutil.copytree(sources[source, seed], run, ignore=shutil.ignore_patterns(".hydra"))
            (run / ".hydra").mkdir()
            (run / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(items))
            data = json.loads((run / "summary.json").read_text())
            (run / "summary.json").write_text(json.dumps({**data, "policy": overrides["policy"]}))
    return out


def shown_numbers(page: str) -> list[tuple[str, str, str, str]]:
    """(metric, field, format, text) of every number tagged in the page."""
    pattern = (
        r"<span class='num' data-metric='([^']+)' data-field='([^']+)'"
        r"(?: data-format='([^']+)')?>([^<]+)</span>"
    )
    return re.findall(pattern, page)


def value_of(metric: str, fmt: str, text: str) -> tuple[float, float]:
    """The number a tagged text stands for, and how far rounding may have moved it."""
    number = float(text.replace(",", "").replace("%", "").replace("+", ""))
    if fmt == "level":
        digits = len(text.rstrip("%").partition(".")[2])
        scale = 100.0 if text.endswith("%") else 1.0
    else:
        scale, _ = outcomes.change_unit(metric)
        digits = words.DIGITS.get(outcomes.of_column(metric)[0].unit, 1)
    return number / scale, 0.5 * 10**-digits / scale + 1e-9


def check_paragraph_numbers(page: str, summary: pd.DataFrame, keys: list[str]) -> int:
    """Every number of every paragraph equals its condition's row of summary.csv."""
    labels = {words.condition_label(row, keys, "en"): row for _, row in summary.iterrows()}
    checked = 0
    for label, body in re.findall(r"<p><b>([^<]+)</b> against (.*?)</p>", page):
        condition = labels[label]
        mine = summary
        for key in keys:
            mine = mine[mine[key].astype(str) == str(condition[key])]
        for metric, field, fmt, text in shown_numbers(body):
            shown, tolerance = value_of(metric, fmt, text)
            expected = mine[mine["metric"] == metric][field].iloc[0]
            assert shown == pytest.approx(expected, abs=tolerance), (label, metric, field)
            checked += 1
    return checked


@pytest.mark.parametrize("experiment", LAYOUTS)
def test_each_experiment_reports_every_condition_with_summary_numbers(
    experiment,
    sweep_dir,  # noqa: F811
    tmp_path,
):
    folder = relabelled(sweep_dir, tmp_path / experiment, LAYOUTS[experiment])
    runs, summary = aggregate(folder)
    summary = pd.read_csv(folder / "summary.csv")  # what a reader of the files gets
    keys = condition_keys(runs)
    page = findings(summary, runs, keys, "en")
    compared = summary[summary["diff_mean"].notna()].groupby(keys).ngroups
    table = page.split("</table>")[0]
    rows = len(re.findall(r"<tr><th>(?!</th>)", table))  # the header row's first cell is empty
    assert rows == compared == len(LAYOUTS[experiment]) - table.count("<tr class='level'>")
    # one row per compared condition; the references' levels on rows of their own
    for _, row in summary[summary["diff_mean"].notna()].drop_duplicates(keys).iterrows():
        assert f"<tr><th>{words.condition_label(row, keys, 'en')}" in table
    assert page.count("<p><b>") == compared
    assert check_paragraph_numbers(page, summary, keys) >= compared
    if experiment == "shock_resilience":
        assert outcomes.label("peak_open") in table and outcomes.label("satisfaction_dip") in table
        note = "had not recovered from the shock by the end"
        shocked = runs[(runs["status"] == "ok") & runs["peak_open"].notna()]
        assert note not in page and shocked["recovery_days"].notna().all()  # all recovered
        still = runs.copy()  # a compared run not recovered by the end: one note
        still.loc[shocked.index[-1], "recovery_days"] = float("nan")
        same = (shocked[keys] == shocked.loc[shocked.index[-1], keys]).all(axis=1).sum()
        assert f"1 of {same} runs {note}" in findings(summary, still, keys, "en")
        backlog = timeline.over_time(folder, runs, "open", keys, "zh")
        assert [a.text for a in backlog.layout.annotations] == ["冲击=疫情", "冲击=洪涝"]
        named = [t.name for t in backlog.data if t.showlegend is not False]
        assert named == ["基线", "接诉即办"]  # each policy once in the legend, in Chinese
    if experiment == "sweep":
        assert "against volunteer_stipend_yuan_per_h=0" in page
    chinese = findings(summary, runs, keys, "zh") + run_info(folder, runs, keys, "zh")
    assert "volunteer_pay" not in chinese.split("<pre>")[0] and "hotline" not in chinese
    assert "pts" not in chinese and " h " not in chinese


def test_a_change_whose_interval_spans_zero_is_no_detectable_difference(
    sweep_dir,  # noqa: F811
    tmp_path,
):
    layout = [({"policy": "baseline"}, "baseline"), ({"policy": "whistle"}, "baseline")]
    folder = relabelled(sweep_dir, tmp_path / "same", layout)
    runs, summary = aggregate(folder)
    page = findings(summary, runs, condition_keys(runs), "en")
    paragraph = page.split("<p><b>whistle</b>")[1].split("</p>")[0]
    assert "no detectable difference in median hours to close" in paragraph
    assert "), better" not in paragraph and "), worse" not in paragraph
