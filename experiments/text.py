"""The report's sentences, written from the outcome register and summary.csv's numbers:
one paragraph per compared condition naming each rate it talks about, its change in the
table's units with the 95 % interval, whether that is better or worse, and "no detectable
difference" where the interval spans zero; a warning where the backlog was still rising or a
shock was never recovered from."""

from __future__ import annotations

import html

import pandas as pd

from experiments import words
from sim import outcomes

UNSTABLE_SHARE = 0.20  # open problems growing > 20 % a month over a run's second half

PHRASES = {
    "en": {
        "against": "against {reference} ({n} seeds paired)",
        "interval": "95 % CI {lo} to {hi}",
        "from": "from {level}",
        "better": "better", "worse": "worse",
        "none": "no detectable difference in {labels}",
        "no_interval": "one seed, no interval",
        "spending": "extra spending {money}",
        "unstable": "⚠ backlog still rising at the end in {k} of {n} runs: not a steady state; "
                    "lengthen sim.days or read these numbers as a lower bound",
        "unrecovered": "⚠ {k} of {n} runs had not recovered from the shock by the end: days "
                       "to recover counts only the others",
        "sep": "; ", "list": ", ", "stop": ".",
    },
    "zh": {
        "against": "与{reference}相比 ({n} 个随机种子配对)",
        "interval": "95% 置信区间 {lo} 至 {hi}",
        "from": "基准 {level}",
        "better": "改善", "worse": "变差",
        "none": "无可检测差异: {labels}",
        "no_interval": "仅一个随机种子, 无区间",
        "spending": "新增支出 {money}",
        "unstable": "⚠ {n} 次运行中有 {k} 次期末在办问题仍在增长: 尚未稳定, "
                    "应延长 sim.days, 或把这些数字视为下限",
        "unrecovered": "⚠ {n} 次运行中有 {k} 次到期末仍未从冲击中恢复: 恢复天数只计其余运行",
        "sep": "；", "list": "、", "stop": "。",
    },
}  # fmt: skip


def sentence_metrics(summary: pd.DataFrame) -> list[str]:
    """What a paragraph talks about: the headline outcomes, the experiment's own (resilience
    around a shock) where measured, and mean satisfaction for each group."""
    measured = set(summary["metric"])
    own = [o.name for o in outcomes.OUTCOMES if o.computed_by == outcomes.RESILIENCE]
    groups = [f"satisfaction_mean_{g}" for g in outcomes.GROUPS]
    return [m for m in (*outcomes.HEADLINE, *own, *groups) if m in measured]


def _clause(row: pd.Series, lang: str) -> str | None:
    """One detectable change, e.g. "median hours to close −15.6 h (95 % CI −18.0 to −13.2;
    from 37.1), better"; None when the interval spans zero."""
    words_ = PHRASES[lang]
    metric = row["metric"]
    low, high = row["diff_ci_low"], row["diff_ci_high"]
    if pd.notna(low) and low <= 0 <= high:
        return None
    interval = (
        words_["no_interval"]
        if pd.isna(low)
        else words_["interval"].format(
            lo=words.num(metric, "diff_ci_low", low, lang),
            hi=words.num(metric, "diff_ci_high", high, lang),
        )
    )
    base = (
        f"<span class='num' data-metric='{metric}' data-field='baseline_mean' "
        f"data-format='level'>{words.level(metric, row['baseline_mean'])}</span>"
    )
    text = (
        f"{html.escape(outcomes.label(metric, lang))} "
        f"{words.num(metric, 'diff_mean', row['diff_mean'], lang)} {words.unit(metric, lang)} "
        f"({interval}; {words_['from'].format(level=base)})"
    )
    better = outcomes.improved(metric, row["baseline_mean"], row["diff_mean"])
    return text if better is None else f"{text}, {words_['better' if better else 'worse']}"


def run_notes(runs: pd.DataFrame, condition: dict, lang: str) -> str:
    """Warnings about a condition's runs (or ""): a backlog still rising at the end, and runs
    that never recovered from their shock (left out of the mean days to recover)."""
    mine = runs[runs["status"] == "ok"]
    for key, value in condition.items():
        mine = mine[mine[key].astype(str) == str(value)]
    notes = []
    if "open_growth_share_per_30d" in mine:
        rising = int((mine["open_growth_share_per_30d"] > UNSTABLE_SHARE).sum())
        if rising:
            notes.append(PHRASES[lang]["unstable"].format(k=rising, n=len(mine)))
    shocked = mine[mine["peak_open"].notna()] if "peak_open" in mine else mine.iloc[:0]
    unrecovered = int(shocked["recovery_days"].isna().sum()) if len(shocked) else 0
    if unrecovered:
        notes.append(PHRASES[lang]["unrecovered"].format(k=unrecovered, n=len(shocked)))
    return " ".join(notes)


def paragraph(label: str, block: pd.DataFrame, lang: str, notes: str = "") -> str:
    """A paragraph for one condition, from its rows of summary.csv (`block`)."""
    words_ = PHRASES[lang]
    first = block.iloc[0]
    lead = words_["against"].format(
        reference=html.escape(words.reference_label(str(first["reference"]), lang)),
        n=int(first["n_pairs"]),
    )
    clauses, none = [], []
    for metric in sentence_metrics(block):
        clause = _clause(block[block["metric"] == metric].iloc[0], lang)
        if clause is None:
            none.append(html.escape(outcomes.label(metric, lang)))
        else:
            clauses.append(clause)
    if none:
        clauses.append(words_["none"].format(labels=words_["list"].join(none)))
    cost_yuan = first.get("extra_cost_yuan")
    if pd.notna(cost_yuan):
        spent = words.money(cost_yuan, lang, sign=True)
        clauses.append(words_["spending"].format(money=f"<span class='money'>{spent}</span>"))
    warning = f" <b class='unstable'>{html.escape(notes)}</b>" if notes else ""
    body = words_["sep"].join(clauses)
    return f"<p><b>{html.escape(label)}</b> {lead}: {body}{words_['stop']}{warning}</p>"
