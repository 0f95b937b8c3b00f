"""report.html: what was run, the headline table, the figures, and a paragraph per policy
generated from the numbers; self-contained (plotly.js embedded once, no network)."""

from __future__ import annotations

import html
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import yaml

from experiments import figures, tables, text, timeline, words
from experiments.png import PngExport
from sim.policies import title
from sim.records import write_text_atomic

STYLE = (
    "body{font-family:sans-serif;max-width:1400px;margin:auto}"
    "td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
    "table{font-size:13px}.scroll{overflow-x:auto}"
    "td.better{background:#e3f4e1}td.worse{background:#fbe3e1}tr.level{background:#f3f3f3}"
    ".unstable{color:#a15c00}"
)
WORDS = {
    "en": {
        "title": "Policy comparison", "runs": "{n} runs ({failed} not ok)",
        "seeds": "seeds", "scenario": "scenario", "days": "days",
        "conditions": "conditions: {keys}", "config": "configuration (what ran)",
        "command_line": "command-line overrides", "swept": "swept (as run)",
        "satisfaction": "Two satisfaction measures: the <i>rated satisfaction rate</i> is the "
        "share of hotline callbacks (回访) answered “satisfied”, the number the monthly ranking "
        "counts; <i>mean satisfaction</i> is the 0–1 satisfaction of everyone present on the last "
        "day, moved by everything they met, reported or not. Changes in either are in points "
        "(1 point = 0.01).",
    },
    "zh": {
        "title": "政策比较报告", "runs": "共 {n} 次运行 ({failed} 次未成功)",
        "seeds": "随机种子", "scenario": "情景", "days": "天",
        "conditions": "条件: {keys}", "config": "配置 (实际运行)",
        "command_line": "命令行覆盖", "swept": "扫描参数 (实际运行)",
        "satisfaction": "两种满意度: <i>回访满意率</i> 是热线回访中回答“满意”的比例, "
        "即月度考核所计; <i>期末平均满意度</i> 是最后一天所有在册人员的满意度 (0–1), "
        "受其全部经历影响, 无论是否报告。两者的变化均以百分点表示 (1 个百分点 = 0.01)。",
    },
}  # fmt: skip


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).parent,
            timeout=5,
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def pairing_note(summary: pd.DataFrame, lang: str) -> str:
    """Common random numbers pair runs exactly while the needs that arise are the same; say
    for which conditions they are not (need rates changed by policy, or populations that
    diverge), where pairing is weaker."""
    rows = summary[(summary["metric"] == "problems_resident") & summary["diff_mean"].notna()]
    diverging = sorted(rows[rows["diff_mean"].abs() > 0]["policy"].unique().tolist())
    names = ", ".join(title(p, lang) for p in diverging)
    if lang == "zh":
        text = (
            "配对说明: 各条件与其参照在同一随机种子下面对完全相同的居民诉求。"
            if not diverging
            else f"配对说明: {names} 改变了诉求的产生, 配对因此较弱。"
        )
    else:
        text = (
            "Pairing: under every condition residents met exactly the needs they met under "
            "its reference with the same seed (common random numbers)."
            if not diverging
            else f"Pairing: {names} changed which needs arose (need rates or populations "
            "diverge), so their pairing with the reference is weaker."
        )
    return f"<p><i>{html.escape(text)}</i></p>"


def make_figures(
    sweep_dir: Path,
    ok: pd.DataFrame,
    summary: pd.DataFrame,
    keys: list[str],
    lang: str,
    made: Callable[[str, go.Figure], None] | None = None,
) -> dict[str, go.Figure]:
    """Every figure of the report, by file name: forest plots of the table's outcomes
    (where there is a reference), times per run, satisfaction by group, the cost frontier,
    series over time, and a heat map for a sweep over two keys. `made(name, fig)` is called
    as each is done (the PNG export starts on it while the next is built)."""
    figs = {}
    for name, fig in _figures(sweep_dir, ok, summary, keys, lang):
        figs[name] = fig
        if made is not None:
            made(name, fig)
    return figs


def _figures(sweep_dir: Path, ok: pd.DataFrame, summary: pd.DataFrame, keys: list[str], lang: str):
    paired = "diff_mean" in summary and summary["diff_mean"].notna().any()
    if paired:
        for metric in tables.table_metrics(summary):
            yield f"forest_{metric}", figures.forest(summary, metric, keys, lang)
    yield "contact_times", figures.times(ok, "median_contact_h", keys, lang)
    yield "close_times", figures.times(ok, "median_close_h", keys, lang)
    yield "satisfaction", figures.by_group(summary, "satisfaction_mean", keys, lang)
    if paired:
        yield "cost_frontier", figures.frontier(summary, "solved_share_arisen", keys, lang)
    yield "backlog", timeline.over_time(sweep_dir, ok, "open", keys, lang)
    yield "satisfaction_over_time", timeline.over_time(sweep_dir, ok, "satisfaction", keys, lang)
    heat = figures.heatmap(ok, keys, "solved_share_arisen", lang)
    if heat is not None:
        yield "sweep_heatmap", heat


def as_run(multirun: dict) -> dict:
    """What a multirun ran, from its multirun.yaml: the command-line overrides, and the
    swept keys as launched (the preset's sweep with the command line's values in place)."""
    hydra = multirun.get("hydra", {})
    task = list(hydra.get("overrides", {}).get("task") or [])
    swept = dict(hydra.get("sweeper", {}).get("params") or {})
    for item in task:
        key, _, value = item.partition("=")
        key = key.lstrip("+~")
        if key in swept or "," in value or value.startswith(("range(", "choice(")):
            swept[key] = value
    return {"command_line": task, "swept": swept}


def run_info(sweep_dir: Path, runs: pd.DataFrame, keys: list[str], lang: str) -> str:
    """What was run: runs, seeds, scenario, days, versions, the condition keys, and the
    overrides and sweep as launched (from Hydra's multirun.yaml) for the record."""
    ok = runs[runs["status"] == "ok"]
    w = WORDS[lang]
    first = json.loads((sweep_dir / ok["run"].iloc[0] / "summary.json").read_text())
    seeds = sorted(ok["seed"].unique().tolist())
    seed_text = (
        f"{seeds[0]}–{seeds[-1]}" if seeds == list(range(seeds[0], seeds[-1] + 1)) else seeds
    )
    counts = " × ".join(f"{words.key_label(k, lang)} ({ok[k].nunique()})" for k in keys)
    info = (
        f"<p>{w['runs'].format(n=len(runs), failed=int((runs['status'] != 'ok').sum()))}; "
        f"{w['seeds']} {seed_text}; {w['scenario']} {html.escape(str(first['scenario']))}; "
        f"{first['days']} {w['days']}; {html.escape(w['conditions'].format(keys=counts))}; "
        f"govsim {first['versions'].get('govsim')}, mesa {first['versions'].get('mesa')}, "
        f"commit {_git_commit()}.</p>"
    )
    multirun = sweep_dir / "multirun.yaml"
    if multirun.exists():
        record = as_run(yaml.safe_load(multirun.read_text()) or {})
        record = {w["command_line"]: record["command_line"], w["swept"]: record["swept"]}
        info += (
            f"<details><summary>{w['config']}</summary><pre>"
            f"{html.escape(yaml.safe_dump(record, allow_unicode=True, sort_keys=False))}"
            "</pre></details>"
        )
    return info


def findings(summary: pd.DataFrame, runs: pd.DataFrame, keys: list[str], lang: str) -> str:
    """The headline table, the pairing note and a paragraph per compared condition."""
    if "diff_mean" not in summary or not summary["diff_mean"].notna().any():
        return ""
    out = tables.headline_table(summary, lang, keys, runs) + pairing_note(summary, lang)
    for condition, block in tables.compared_conditions(summary, keys):
        label = words.condition_label(condition, keys, lang)
        out += text.paragraph(label, block, lang, text.run_notes(runs, condition, lang))
    return out + f"<p><small>{WORDS[lang]['satisfaction']}</small></p>"


def figures_folder(sweep_dir: Path, name: str, lang: str) -> Path:
    """`figures/` beside `report.html`, `figures.<lang>/` beside `report.<lang>.html`."""
    out = sweep_dir / ("figures" if name == "report.html" else f"figures.{lang}")
    out.mkdir(exist_ok=True)
    return out


def embed_html(figs: dict[str, go.Figure], out: Path) -> list[str]:
    """Write each figure's HTML into `out`; return them as HTML parts of a page that embeds
    plotly.js once."""
    parts = []
    for i, (fig_name, fig) in enumerate(figs.items()):
        fig.write_html(out / f"{fig_name}.html", include_plotlyjs="directory")
        parts.append(pio.to_html(fig, full_html=False, include_plotlyjs=(i == 0)))
    return parts


def embed(figs: dict[str, go.Figure], sweep_dir: Path, name: str, lang: str) -> list[str]:
    """Write the figures (HTML, PNG where a browser exists) into `figures/` (or
    `figures.<lang>/` beside `report.<lang>.html`); return them as HTML parts of a page
    that embeds plotly.js once."""
    out = figures_folder(sweep_dir, name, lang)
    with PngExport(out) as pngs:
        for fig_name, fig in figs.items():
            pngs.add(fig_name, fig)
        return embed_html(figs, out)


def build(
    sweep_dir: Path,
    runs: pd.DataFrame,
    summary: pd.DataFrame,
    lang: str = "en",
    name: str = "report.html",
) -> Path:
    """Write the report (`name`) and its figures (HTML, and PNG where a browser exists) in
    `figures/` (`figures.<lang>/` for a report named `report.<lang>.html`); return its path."""
    from experiments.aggregate import condition_keys

    sweep_dir = Path(sweep_dir)
    ok = runs[runs["status"] == "ok"]
    keys = condition_keys(runs)
    out = figures_folder(sweep_dir, name, lang)
    with PngExport(out) as pngs:  # each figure is drawn while the next ones and the page are built
        figs = make_figures(sweep_dir, ok, summary, keys, lang, pngs.add)
        parts = embed_html(figs, out)
        heading = WORDS[lang]["title"]
        page = (
            f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
            f"<title>{heading}</title><style>{STYLE}</style></head><body><h1>{heading}</h1>"
            f"{run_info(sweep_dir, runs, keys, lang)}{findings(summary, runs, keys, lang)}"
            f"{''.join(parts)}</body></html>"
        )
    path = sweep_dir / name
    write_text_atomic(page, path)
    return path


def rerender(sweep_dir: Path, lang: str) -> Path:
    """`govsim report DIR --lang`: the report of a finished experiment in another language,
    aggregated again from its run folders (or read from runs.parquet and summary.csv where
    the folders are gone); nothing is run."""
    from experiments.aggregate import aggregate

    sweep_dir = Path(sweep_dir)
    if (sweep_dir / "toolkit.json").exists():
        from experiments.toolkit.report import build as toolkit_report  # a method's folder

        return toolkit_report(sweep_dir, lang, f"report.{lang}.html")
    runs, summary = aggregate(sweep_dir)
    if runs.empty and (sweep_dir / "summary.csv").exists():
        runs = pd.read_parquet(sweep_dir / "runs.parquet")
        summary = pd.read_csv(sweep_dir / "summary.csv")
    if summary.empty:
        raise FileNotFoundError(f"no finished runs in {sweep_dir}")
    return build(sweep_dir, runs, summary, lang, f"report.{lang}.html")
