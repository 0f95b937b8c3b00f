"""report.html: what was run, the headline table, the figures, and a paragraph per policy
generated from the numbers; self-contained (plotly.js embedded once, no network)."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import plotly.io as pio
import yaml

from experiments import figures
from sim.records import write_text_atomic

HEADLINE = {  # metric: (English, Chinese, scale, unit)
    "median_close_h": ("median hours to close", "办结时间中位数", 1.0, "h"),
    "response_rate": ("response rate", "响应率", 100.0, "pts"),
    "solved_share_arisen": ("solved share of all needs", "诉求解决比例", 100.0, "pts"),
    "resolution_rate": ("rated resolution rate", "回访解决率", 100.0, "pts"),
    "satisfaction_rate": ("rated satisfaction rate", "回访满意率", 100.0, "pts"),
    "reporting_gap": (
        "reporting gap (+ = migrants worse)",
        "报告差距(正=流动人口差)",
        100.0,
        "pts",
    ),
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


def _sentence(policy: str, summary: pd.DataFrame, lang: str) -> str:
    def get(metric: str) -> pd.Series | None:
        rows = summary[(summary["policy"] == policy) & (summary["metric"] == metric)]
        return None if rows.empty or pd.isna(rows["diff_mean"].iloc[0]) else rows.iloc[0]

    close, solved = get("median_close_h"), get("solved_share_arisen")
    res, mig = get("satisfaction_mean_resident"), get("satisfaction_mean_migrant")
    cost = close["extra_cost_yuan"] if close is not None else 0.0
    parts = []
    if close is not None and close["baseline_mean"]:
        rel = 100 * close["diff_mean"] / close["baseline_mean"]
        lo = 100 * close["diff_ci_low"] / close["baseline_mean"]
        hi = 100 * close["diff_ci_high"] / close["baseline_mean"]
        if lang == "zh":
            parts.append(f"办结时间中位数变化 {rel:+.0f}% (95% 置信区间 {lo:+.0f}% 至 {hi:+.0f}%)")
        else:
            verb = "cut" if rel < 0 else "raised"
            parts.append(
                f"{verb} median time to close by {abs(rel):.0f} % "
                f"(95 % CI {lo:+.0f} to {hi:+.0f} %)"
            )
    if solved is not None:
        pts = 100 * solved["diff_mean"]
        parts.append(
            f"诉求解决比例 {pts:+.1f} 个百分点"
            if lang == "zh"
            else f"changed the solved share of needs by {pts:+.1f} points"
        )
    parts.append(
        f"新增支出 {cost / 1e4:+,.0f} 万元"
        if lang == "zh"
        else f"at {cost / 1e6:+.2f} M yuan of extra spending"
    )
    if res is not None and mig is not None:
        more = "migrants" if mig["diff_mean"] > res["diff_mean"] else "residents"
        if lang == "zh":
            parts.append(("流动人口" if more == "migrants" else "户籍居民") + "满意度提升更多")
        else:
            parts.append(f"{more} gained more satisfaction")
    sep = "；" if lang == "zh" else "; "
    return f"<p><b>{html.escape(policy)}</b>: {html.escape(sep.join(parts))}.</p>"


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


def headline_table(summary: pd.DataFrame, lang: str) -> str:
    rows = summary[summary["diff_mean"].notna() & summary["metric"].isin(HEADLINE)]
    head = "".join(f"<th>{HEADLINE[m][1 if lang == 'zh' else 0]}</th>" for m in HEADLINE)
    body = []
    for policy, block in rows.groupby("policy", sort=False):
        cells = []
        for metric, (_, _, scale, unit) in HEADLINE.items():
            r = block[block["metric"] == metric]
            if r.empty:
                cells.append("<td>–</td>")
                continue
            r = r.iloc[0]
            cells.append(
                f"<td>{scale * r['diff_mean']:+.1f} {unit} "
                f"<small>[{scale * r['diff_ci_low']:+.1f}, {scale * r['diff_ci_high']:+.1f}]"
                f" p<sub>Holm</sub>={r['p_holm']:.2g}</small></td>"
            )
        body.append(f"<tr><th>{html.escape(policy)}</th>{''.join(cells)}</tr>")
    return f"<table><tr><th></th>{head}</tr>{''.join(body)}</table>"


def _browser_path() -> str | None:
    """The Chromium kaleido would drive (BROWSER_PATH, or one on the PATH), if any."""
    import os

    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return None
    return os.environ.get("BROWSER_PATH") or Chromium.find_browser(skip_local=False)


def write_pngs(figs: dict, out: Path) -> None:
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


def build(sweep_dir: Path, runs: pd.DataFrame, summary: pd.DataFrame, lang: str = "en") -> Path:
    sweep_dir = Path(sweep_dir)
    ok = runs[runs["status"] == "ok"]

    def label(metric: str) -> str:
        en, zh, _, unit = HEADLINE[metric]
        return f"{zh if lang == 'zh' else en} ({'h' if unit == 'h' else '0–1'})"

    paired = "diff_mean" in summary and summary["diff_mean"].notna().any()
    figs = {}
    if paired:
        figs["forest_close"] = figures.forest(
            summary, "median_close_h", label("median_close_h"), lang
        )
        figs["forest_solved"] = figures.forest(
            summary, "solved_share_arisen", label("solved_share_arisen"), lang
        )
    figs["contact_times"] = figures.times(ok, "median_contact_h", lang)
    figs["close_times"] = figures.times(ok, "median_close_h", lang)
    figs["satisfaction"] = figures.satisfaction(summary, lang)
    if paired:
        figs["cost_frontier"] = figures.frontier(summary, lang)
    figs["backlog"] = figures.over_time(sweep_dir, ok, "open", lang)
    figs["satisfaction_over_time"] = figures.over_time(sweep_dir, ok, "satisfaction", lang)
    heat = figures.heatmap(ok, "solved_share_arisen", label("solved_share_arisen"), lang)
    if heat is not None:
        figs["sweep_heatmap"] = heat
    out = sweep_dir / "figures"
    out.mkdir(exist_ok=True)
    parts = []
    for i, (name, fig) in enumerate(figs.items()):
        fig.write_html(out / f"{name}.html", include_plotlyjs="directory")
        parts.append(pio.to_html(fig, full_html=False, include_plotlyjs=(i == 0)))
    write_pngs(figs, out)
    first = json.loads((next(sweep_dir.rglob("summary.json"))).read_text())
    seeds = sorted(ok["seed"].unique().tolist())
    title = "政策比较报告" if lang == "zh" else "Policy comparison"
    info = (
        f"<p>{len(ok)} runs, seeds {seeds}, scenario {html.escape(str(first['scenario']))}, "
        f"{first['days']} days; govsim {first['versions'].get('govsim')}, "
        f"mesa {first['versions'].get('mesa')}, commit {_git_commit()}.</p>"
    )
    sentences = (
        "".join(_sentence(p, summary, lang) for p in summary["policy"].unique() if p != "baseline")
        if paired
        else ""
    )
    table = headline_table(summary, lang) + pairing_note(summary, lang) if paired else ""
    multirun = sweep_dir / "multirun.yaml"
    if multirun.exists():  # the experiment as run: its overrides and sweep, for the record
        hydra = yaml.safe_load(multirun.read_text()).get("hydra", {})
        record = {
            "overrides": hydra.get("overrides", {}).get("task"),
            "sweep": hydra.get("sweeper", {}).get("params"),
        }
        info += (
            f"<details><summary>configuration</summary><pre>"
            f"{html.escape(yaml.safe_dump(record, allow_unicode=True))}</pre></details>"
        )
    page = (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
        "td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left}</style></head>"
        f"<body><h1>{title}</h1>{info}{table}{sentences}"
        f"{''.join(parts)}</body></html>"
    )
    path = sweep_dir / "report.html"
    write_text_atomic(page, path)
    return path
