"""report.html: what was run, the headline table, the figures, and a paragraph per policy
generated from the numbers; self-contained (plotly.js embedded once, no network)."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import yaml

from experiments import figures
from sim import outcomes
from sim.records import write_text_atomic

DIFF_COLUMNS = ("diff_mean", "diff_ci_low", "diff_ci_high")
STYLE = (
    "body{font-family:sans-serif;max-width:1100px;margin:auto}"
    "td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left}"
    "td.better{background:#e3f4e1}td.worse{background:#fbe3e1}"
)
NO_TEST = {  # why a paired change has no p-value (stats.paired_test gives NaN)
    "en": "p: none where the paired change was the same in every seed (no spread for a "
    "t-test) or fewer than two seeds were paired. Shaded: Holm p < 0.05, green better, "
    "red worse.",
    "zh": "p: 各随机种子的配对差异完全相同 (无方差, 无法做 t 检验) 或配对少于两个时不给出。"
    "底色: Holm p < 0.05, 绿色为改善, 红色为变差。",
}


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


def _close_phrase(close: pd.Series, lang: str) -> str:
    """The relative change in median time to close, with its interval."""
    rel, lo, hi = (100 * close[c] / close["baseline_mean"] for c in DIFF_COLUMNS)
    if lang == "zh":
        return f"办结时间中位数变化 {rel:+.0f}% (95% 置信区间 {lo:+.0f}% 至 {hi:+.0f}%)"
    if rel == 0:
        return "left median time to close unchanged"
    verb = "cut" if rel < 0 else "raised"
    return f"{verb} median time to close by {abs(rel):.0f} % (95 % CI {lo:+.0f} to {hi:+.0f} %)"


def _sentence(label: str, block: pd.DataFrame, lang: str) -> str:
    """A paragraph for one condition, written from its paired changes (`block`: its rows
    of summary.csv)."""
    changes = block.set_index("metric")
    zh = lang == "zh"
    parts = []
    if "median_close_h" in changes.index and changes.loc["median_close_h", "baseline_mean"]:
        parts.append(_close_phrase(changes.loc["median_close_h"], lang))
    if "solved_share_arisen" in changes.index:
        pts = 100 * changes.loc["solved_share_arisen", "diff_mean"]
        parts.append(
            f"诉求解决比例 {pts:+.1f} 个百分点"
            if zh
            else f"changed the solved share of needs by {pts:+.1f} points"
        )
    cost_yuan = changes["extra_cost_yuan"].iloc[0]
    if pd.notna(cost_yuan):
        parts.append(
            f"新增支出 {cost_yuan / 1e4:+,.0f} 万元"
            if zh
            else f"at {cost_yuan / 1e6:+.2f} M yuan of extra spending"
        )
    groups = [f"satisfaction_mean_{g}" for g in outcomes.GROUPS]
    if all(g in changes.index for g in groups):
        res, mig = (100 * changes.loc[g, "diff_mean"] for g in groups)
        parts.append(
            f"满意度变化: 户籍居民 {res:+.1f}, 流动人口 {mig:+.1f} 个百分点"
            if zh
            else f"mean satisfaction {res:+.1f} points for residents, {mig:+.1f} for migrants"
        )
    sep = "；" if zh else "; "
    return f"<p><b>{html.escape(label)}</b>: {html.escape(sep.join(parts))}.</p>"


def compared_conditions(
    summary: pd.DataFrame, keys: Sequence[str]
) -> Iterator[tuple[str, pd.DataFrame]]:
    """Each condition compared with a baseline: its label and its rows of summary.csv."""
    keys = list(keys)
    rows = summary[summary["diff_mean"].notna()]
    for values, block in rows.groupby(keys, sort=False, dropna=False):
        condition = dict(zip(keys, np.atleast_1d(values), strict=True))
        yield figures.condition_label(condition, keys), block


def pairing_note(summary: pd.DataFrame, lang: str) -> str:
    """Common random numbers pair runs exactly while the needs that arise are the same; say
    for which conditions they are not (need rates changed by policy, or populations that
    diverge), where pairing is weaker."""
    rows = summary[(summary["metric"] == "problems_resident") & summary["diff_mean"].notna()]
    diverging = sorted(rows[rows["diff_mean"].abs() > 0]["policy"].unique().tolist())
    if lang == "zh":
        text = (
            "配对说明: 各政策与基线在同一随机种子下面对完全相同的居民诉求。"
            if not diverging
            else f"配对说明: {', '.join(diverging)} 改变了诉求的产生, 配对因此较弱。"
        )
    else:
        text = (
            "Pairing: under every policy residents met exactly the needs they met under "
            "baseline with the same seed (common random numbers)."
            if not diverging
            else f"Pairing: {', '.join(diverging)} changed which needs arose (need rates or "
            "populations diverge), so their pairing with baseline is weaker."
        )
    return f"<p><i>{html.escape(text)}</i></p>"


def _p_text(p_holm: float) -> str:
    return "–" if pd.isna(p_holm) else f"{p_holm:.2g}"


def _cell(row: pd.Series, metric: str, lang: str) -> str:
    """One headline cell: the paired change with its interval and Holm p, shaded when the
    change is significant (Holm p < 0.05) by whether it is better or worse."""
    scale, unit = outcomes.change_unit(metric, lang)
    better = outcomes.improved(metric, row["baseline_mean"], row["diff_mean"])
    significant = not pd.isna(row["p_holm"]) and row["p_holm"] < 0.05
    shade = "" if better is None or not significant else ("better" if better else "worse")
    return (
        f"<td class='{shade}'>{scale * row['diff_mean']:+.1f} {unit} "
        f"<small>[{scale * row['diff_ci_low']:+.1f}, {scale * row['diff_ci_high']:+.1f}]"
        f" p<sub>Holm</sub>={_p_text(row['p_holm'])}</small></td>"
    )


def headline_table(summary: pd.DataFrame, lang: str, keys: Sequence[str] = ("policy",)) -> str:
    """Conditions × the register's headline outcomes: paired changes against baseline."""
    head = "".join(
        f"<th title='{html.escape(outcomes.BY_NAME[m].definition)}'>"
        f"{html.escape(outcomes.label(m, lang))}</th>"
        for m in outcomes.HEADLINE
    )
    body = []
    for label, block in compared_conditions(summary, keys):
        cells = []
        for metric in outcomes.HEADLINE:
            match = block[block["metric"] == metric]
            cells.append("<td>–</td>" if match.empty else _cell(match.iloc[0], metric, lang))
        body.append(f"<tr><th>{html.escape(label)}</th>{''.join(cells)}</tr>")
    note = f"<p><small>{html.escape(NO_TEST[lang])}</small></p>"
    return f"<table><tr><th></th>{head}</tr>{''.join(body)}</table>{note}"


def _browser_path() -> str | None:
    """The Chromium kaleido would drive (BROWSER_PATH, or one on the PATH), if any."""
    import os

    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return None
    return os.environ.get("BROWSER_PATH") or Chromium.find_browser(skip_local=False)


def write_pngs(figs: dict[str, go.Figure], out: Path) -> None:
    """PNG copies through kaleido and the system's Chromium: one browser for all figures.
    Without a browser they are skipped with one line (kaleido would wait forever)."""
    import warnings

    if _browser_path() is None:
        print("PNG figures skipped: no Chromium found (install chromium for them)", file=sys.stderr)
        return
    try:
        import kaleido

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kaleido.start_sync_server(silence_warnings=True)
            try:
                for name, fig in figs.items():
                    height = fig.layout.height or 520
                    fig.write_image(out / f"{name}.png", width=1000, height=height)
            finally:
                kaleido.stop_sync_server(silence_warnings=True)
    except Exception as exc:
        print(f"PNG figures skipped ({type(exc).__name__}: {exc})", file=sys.stderr)


def make_figures(
    sweep_dir: Path, ok: pd.DataFrame, summary: pd.DataFrame, keys: list[str], lang: str
) -> dict[str, go.Figure]:
    """Every figure of the report, by file name: forest plots of the headline outcomes
    (where there is a baseline), times per run, satisfaction by group, the cost frontier,
    series over time, and a heat map for a sweep over two keys."""
    paired = "diff_mean" in summary and summary["diff_mean"].notna().any()
    figs = {}
    if paired:
        for metric in outcomes.HEADLINE:
            figs[f"forest_{metric}"] = figures.forest(summary, metric, keys, lang)
    figs["contact_times"] = figures.times(ok, "median_contact_h", lang)
    figs["close_times"] = figures.times(ok, "median_close_h", lang)
    figs["satisfaction"] = figures.by_group(summary, "satisfaction_mean", lang)
    if paired:
        figs["cost_frontier"] = figures.frontier(summary, "solved_share_arisen", keys, lang)
    figs["backlog"] = figures.over_time(sweep_dir, ok, "open", lang)
    figs["satisfaction_over_time"] = figures.over_time(sweep_dir, ok, "satisfaction", lang)
    heat = figures.heatmap(ok, keys, "solved_share_arisen", lang)
    if heat is not None:
        figs["sweep_heatmap"] = heat
    return figs


def run_info(sweep_dir: Path, ok: pd.DataFrame) -> str:
    """What was run: runs, seeds, scenario, days, versions, and the experiment's overrides
    and sweep (from Hydra's multirun.yaml) for the record."""
    first = json.loads((sweep_dir / ok["run"].iloc[0] / "summary.json").read_text())
    seeds = sorted(ok["seed"].unique().tolist())
    info = (
        f"<p>{len(ok)} runs, seeds {seeds}, scenario {html.escape(str(first['scenario']))}, "
        f"{first['days']} days; govsim {first['versions'].get('govsim')}, "
        f"mesa {first['versions'].get('mesa')}, commit {_git_commit()}.</p>"
    )
    multirun = sweep_dir / "multirun.yaml"
    if multirun.exists():
        hydra = yaml.safe_load(multirun.read_text()).get("hydra", {})
        record = {
            "overrides": hydra.get("overrides", {}).get("task"),
            "sweep": hydra.get("sweeper", {}).get("params"),
        }
        info += (
            f"<details><summary>configuration</summary><pre>"
            f"{html.escape(yaml.safe_dump(record, allow_unicode=True))}</pre></details>"
        )
    return info


def build(sweep_dir: Path, runs: pd.DataFrame, summary: pd.DataFrame, lang: str = "en") -> Path:
    """Write report.html and figures/ (HTML, and PNG where a browser exists); return the
    report's path."""
    from experiments.aggregate import condition_keys

    sweep_dir = Path(sweep_dir)
    ok = runs[runs["status"] == "ok"]
    keys = condition_keys(runs)
    figs = make_figures(sweep_dir, ok, summary, keys, lang)
    out = sweep_dir / "figures"
    out.mkdir(exist_ok=True)
    parts = []
    for i, (name, fig) in enumerate(figs.items()):
        fig.write_html(out / f"{name}.html", include_plotlyjs="directory")
        parts.append(pio.to_html(fig, full_html=False, include_plotlyjs=(i == 0)))
    write_pngs(figs, out)
    paired = "diff_mean" in summary and summary["diff_mean"].notna().any()
    text = ""
    if paired:
        text = headline_table(summary, lang, keys) + pairing_note(summary, lang)
        text += "".join(_sentence(*c, lang) for c in compared_conditions(summary, keys))
    title = "政策比较报告" if lang == "zh" else "Policy comparison"
    page = (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{STYLE}</style></head><body><h1>{title}</h1>{run_info(sweep_dir, ok)}"
        f"{text}{''.join(parts)}</body></html>"
    )
    path = sweep_dir / "report.html"
    write_text_atomic(page, path)
    return path
