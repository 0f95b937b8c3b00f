"""report.html of a toolkit method (en/zh), built only from what its folder holds
(toolkit.json and the method's tables), so `govsim report DIR --lang zh` re-renders it."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from experiments.report import STYLE, embed
from experiments.toolkit import figures, sensitivity
from sim import outcomes
from sim.policies import title
from sim.records import write_text_atomic

WORDS = {
    "en": {
        "sensitivity": "Which assumptions drive the outcomes",
        "discovery": "Where the policy fails",
        "policy_search": "Cheapest policy mix meeting the targets",
        "ran": "{runs} runs ({failed} failed) of {points} design points; scenario {scenario} with "
               "{people} people, {days} days; seeds {seeds}; policy {policy}.",
        "assumptions": "Uncertain assumptions", "name": "name", "key": "parameter",
        "range": "range", "source": "source",
        "failures": "The policy fails (does not improve {outcome} by at least {min}) at "
                    "{failures} of {points} sampled points.",
        "box": "PRIM's box: coverage {coverage:.0%} (of all failures, the share inside it), "
               "density {density:.0%} (of the points inside it, the share that fail), "
               "mass {mass:.0%} of the sample.",
        "no_box": "No box: the policy fails everywhere or nowhere in the sample.",
        "within": "within", "chosen": "Cheapest candidate meeting every target: {mix} at "
                  "{cost} yuan (trial {number}).", "none_meets": "No candidate meets every target.",
        "targets": "targets", "trials": "Candidates (mean over seeds)",
    },
    "zh": {
        "sensitivity": "哪些假设决定结果", "discovery": "政策在何处失效",
        "policy_search": "满足目标的最低成本政策组合",
        "ran": "共 {runs} 次运行 ({failed} 次失败), {points} 个设计点; 情景 {scenario}, "
               "{people} 人, {days} 天; 随机种子 {seeds}; 政策 {policy}。",
        "assumptions": "不确定的假设", "name": "名称", "key": "参数", "range": "范围",
        "source": "来源",
        "failures": "在 {points} 个抽样点中有 {failures} 个点政策失效 "
                    "({outcome} 未改善至少 {min})。",
        "box": "PRIM 盒: 覆盖率 {coverage:.0%} (全部失效点中落在盒内的比例), "
               "密度 {density:.0%} (盒内点中失效的比例), 质量 {mass:.0%}。",
        "no_box": "无盒: 样本中政策处处失效或处处有效。", "within": "范围",
        "chosen": "满足全部目标的最低成本方案: {mix}, 支出 {cost} 元 (第 {number} 次试验)。",
        "none_meets": "没有候选方案满足全部目标。", "targets": "目标",
        "trials": "候选方案 (各随机种子的均值)",
    },
}  # fmt: skip


def _table(frame: pd.DataFrame) -> str:
    body = frame.to_html(index=False, escape=True, float_format="{:.4g}".format)
    return f"<div class='scroll'>{body}</div>"


def _assumptions(record: dict, lang: str) -> str:
    w = WORDS[lang]
    rows = [
        {w["name"]: name, w["key"]: u["key"], w["range"]: f"{u['low']:g} – {u['high']:g}",
         w["source"]: u["source"]}
        for name, u in record["uncertainties"].items()
    ]  # fmt: skip
    return f"<h2>{w['assumptions']}</h2>{_table(pd.DataFrame(rows))}"


def _sensitivity(folder: Path, record: dict, lang: str) -> tuple[str, dict]:
    table = pd.read_csv(folder / "sensitivity.csv")
    policy = title(record["policy"], lang)
    text = "".join(f"<p>{html.escape(s)}</p>" for s in sensitivity.sentences(table, lang).values())
    level = record["settings"]["sobol"]["confidence_level"]
    figs = {}
    for response in sensitivity.RESPONSES:
        figs[f"morris_{response}"] = figures.morris(table, response, policy, lang)
        figs[f"sobol_{response}"] = figures.sobol(table, response, policy, level, lang)
    return text + _assumptions(record, lang), figs


def _discovery(folder: Path, record: dict, lang: str) -> tuple[str, dict]:
    w, settings = WORDS[lang], record["discovery"]
    text = w["failures"].format(
        outcome=outcomes.label(settings["outcome"], lang), min=settings["min_improvement"],
        failures=record["failures"], points=record["points"],
    )  # fmt: skip
    parts = f"<p>{html.escape(text)}</p>"
    box = record.get("box")
    if box is None:
        return parts + f"<p>{w['no_box']}</p>" + _assumptions(record, lang), {}
    parts += f"<p>{html.escape(w['box'].format(**box))}</p>"
    rows = [
        {w["name"]: name, w["within"]: f"{lo:.4g} – {hi:.4g}",
         w["range"]: "{low:g} – {high:g}".format(**record["uncertainties"][name])}
        for name, (lo, hi) in box["limits"].items()
    ]  # fmt: skip
    trajectory = pd.read_csv(folder / "peeling_trajectory.csv")
    fig = figures.peeling(
        trajectory, record["chosen"], title(record["policy"], lang), settings["outcome"], lang
    )
    return parts + _table(pd.DataFrame(rows)) + _assumptions(record, lang), {"peeling": fig}


def _search(folder: Path, record: dict, lang: str) -> tuple[str, dict]:
    w = WORDS[lang]
    trials = pd.read_csv(folder / "trials.csv")
    chosen = record.get("chosen")
    if chosen is None:
        text = w["none_meets"]
    else:
        row = trials[trials["number"] == chosen].iloc[0]
        text = w["chosen"].format(
            mix=title(row["mix"], lang), cost=f"{row['cost_total_yuan']:,.0f}", number=chosen
        )
    targets = ", ".join(f"{k} {op}{v:g}" for k, (op, v) in record["targets"].items())
    parts = f"<p>{html.escape(text)}</p><p>{w['targets']}: {html.escape(targets)}</p>"
    figs = {
        f"pareto_{name}": figures.pareto(trials, name, chosen, lang) for name in record["targets"]
    }
    shown = trials.sort_values("cost_total_yuan")
    return parts + f"<h2>{w['trials']}</h2>" + _table(shown), figs


def build(folder: Path, lang: str = "en", name: str = "report.html") -> Path:
    folder = Path(folder)
    record = json.loads((folder / "toolkit.json").read_text(encoding="utf-8"))
    method = record["method"]
    body, figs = {"sensitivity": _sensitivity, "discovery": _discovery,
                  "policy_search": _search}[method](folder, record, lang)  # fmt: skip
    w = WORDS[lang]
    seeds = record["seeds"]
    ran = w["ran"].format(
        runs=record["runs"], failed=record["failed_runs"], points=record["points"],
        scenario=record["scenario"], people=record["people"], days=record["days"],
        seeds=f"{seeds[0]}–{seeds[-1]}", policy=title(record["policy"], lang),
    )  # fmt: skip
    parts = embed(figs, folder, name, lang)
    page = (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
        f"<title>{w[method]}</title><style>{STYLE}</style></head><body><h1>{w[method]}</h1>"
        f"<p>{html.escape(ran)}</p>{body}{''.join(parts)}</body></html>"
    )
    path = folder / name
    write_text_atomic(page, path)
    return path


def summary_lines(record: dict) -> list[str]:
    """What the command prints at the end: the method's findings in a few lines."""
    if record["method"] == "sensitivity":
        return list(record["sentences"].values())
    if record["method"] == "discovery":
        lines = [f"the policy fails at {record['failures']} of {record['points']} points"]
        box = record.get("box")
        if box:
            limits = ", ".join(
                f"{k} in [{lo:.3g}, {hi:.3g}]" for k, (lo, hi) in box["limits"].items()
            )
            lines.append(
                f"PRIM box: {limits}; coverage {box['coverage']:.2f}, density {box['density']:.2f}"
            )
        return lines
    return []
