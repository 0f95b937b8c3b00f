"""The report's headline table: one row per compared condition (policy × swept keys × shock),
each reference's levels on a row of their own above the changes against it."""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence

import pandas as pd

from experiments import text, words
from sim import outcomes

NOTE = {
    "en": "Each cell: the paired change against the reference row above it, in the unit "
    "shown, [95 % CI, not adjusted for multiple comparisons], and p Holm-adjusted across the "
    "{m} conditions compared on that outcome. * and shading: the change survives Holm "
    "(p<sub>Holm</sub> < 0.05), green better, red worse; an unadjusted interval may exclude 0 "
    "while p<sub>Holm</sub> does not. p: – where the change was the same in every seed (no "
    "spread for a t-test) or fewer than two seeds were paired. ⚠: the backlog was still "
    "rising at the end of some runs, or some never recovered from the shock (see its paragraph).",
    "zh": "每格: 与其上方参照行的配对差异 (单位见表), [95% 置信区间, 未做多重比较校正], 以及在该"
    "指标上比较的 {m} 个条件间经 Holm 校正的 p 值。* 与底色: 经 Holm 校正后仍显著 "
    "(p<sub>Holm</sub> < 0.05), 绿色为改善, 红色为变差; 未校正的区间可能不含 0 而 "
    "p<sub>Holm</sub> 不显著。p 为 – : 各随机种子的配对差异完全相同 (无方差, 无法做 t 检验) "
    "或配对少于两个。⚠: 部分运行期末在办问题仍在增长, 或未从冲击中恢复 (见其段落)。",
}
WORDS = {
    "en": {"level": "level", "spending": "extra spending"},
    "zh": {"level": "水平", "spending": "新增支出"},
}


def table_metrics(summary: pd.DataFrame) -> list[str]:
    """The table's columns: the register's headline outcomes and, where measured, the
    experiment's own (resilience around a shock)."""
    measured = set(summary["metric"])
    own = [o.name for o in outcomes.OUTCOMES if o.computed_by == outcomes.RESILIENCE]
    return [m for m in (*outcomes.HEADLINE, *own) if m in measured]


def compared_conditions(
    summary: pd.DataFrame, keys: Sequence[str]
) -> Iterator[tuple[dict, pd.DataFrame]]:
    """Each condition compared with a reference, and its rows of summary.csv."""
    keys = list(keys)
    rows = summary[summary["diff_mean"].notna()]
    for values, block in rows.groupby(keys, sort=False, dropna=False):
        yield (
            dict(zip(keys, values if isinstance(values, tuple) else (values,), strict=True)),
            block,
        )


def reference_condition(condition: dict, reference: str) -> dict:
    """The condition a compared one is paired with (`reference`: "baseline" or "key=value")."""
    if reference == "baseline":
        return {**condition, "policy": "baseline"}
    key, _, value = reference.partition("=")
    return {**condition, key: value}


def _reference_keys(reference: dict, keys: list[str]) -> list[str]:
    """The keys that name a reference: baseline without the levers of policies it does not
    run (one baseline row above every value of a lever swept against it)."""
    if reference["policy"] != "baseline":
        return keys
    return [k for k in keys if not k.startswith("policies.")]


def _cell(row: pd.Series, lang: str) -> str:
    """A paired change with its interval and Holm p, shaded when it survives Holm."""
    metric = row["metric"]
    better = outcomes.improved(metric, row["baseline_mean"], row["diff_mean"])
    significant = pd.notna(row["p_holm"]) and row["p_holm"] < 0.05
    shade = "" if better is None or not significant else ("better" if better else "worse")
    p_text = "–" if pd.isna(row["p_holm"]) else f"{row['p_holm']:.2g}"
    return (
        f"<td class='{shade}'>{words.num(metric, 'diff_mean', row['diff_mean'], lang)} "
        f"{words.unit(metric, lang)}{'*' if significant else ''} "
        f"<small>[{words.num(metric, 'diff_ci_low', row['diff_ci_low'], lang)}, "
        f"{words.num(metric, 'diff_ci_high', row['diff_ci_high'], lang)}] "
        f"p<sub>Holm</sub>={p_text}</small></td>"
    )


def _level_row(label: str, block: pd.DataFrame, metrics: list[str], lang: str) -> str:
    cells = []
    for metric in metrics:
        match = block[block["metric"] == metric]
        value = match["baseline_mean"].iloc[0] if len(match) else float("nan")
        cells.append(f"<td>{words.level(metric, value)}</td>")
    name = f"{html.escape(label)} ({WORDS[lang]['level']})"
    return f"<tr class='level'><th>{name}</th>{''.join(cells)}<td></td></tr>"


def _spending(block: pd.DataFrame, lang: str) -> str:
    cost_yuan = block["extra_cost_yuan"].iloc[0]
    return (
        "<td>–</td>"
        if pd.isna(cost_yuan)
        else f"<td>{words.money(cost_yuan, lang, sign=True)}</td>"
    )


def headline_table(
    summary: pd.DataFrame, lang: str, keys: Sequence[str] = ("policy",), runs=None
) -> str:
    """Conditions × the table's outcomes: levels of each reference, then paired changes."""
    keys, metrics = list(keys), table_metrics(summary)
    head = "".join(
        f"<th title='{html.escape(outcomes.BY_NAME[m].definition)}'>"
        f"{html.escape(outcomes.label(m, lang))}</th>"
        for m in metrics
    )
    by_reference: dict[str, list[str]] = {}  # each reference's rows under its level row
    for condition, block in compared_conditions(summary, keys):
        reference = reference_condition(condition, str(block["reference"].iloc[0]))
        reference_label = words.condition_label(reference, _reference_keys(reference, keys), lang)
        if reference_label not in by_reference:
            by_reference[reference_label] = [_level_row(reference_label, block, metrics, lang)]
        cells = [
            "<td>–</td>" if (match := block[block["metric"] == m]).empty
            else _cell(match.iloc[0], lang)
            for m in metrics
        ]  # fmt: skip
        warning = "" if runs is None else text.run_notes(runs, condition, lang)
        flag = f" <span title='{html.escape(warning)}'>⚠</span>" if warning else ""
        label = html.escape(words.condition_label(condition, keys, lang))
        row = f"<tr><th>{label}{flag}</th>{''.join(cells)}{_spending(block, lang)}</tr>"
        by_reference[reference_label].append(row)
    body = [row for rows in by_reference.values() for row in rows]
    n_compared = summary[summary["diff_mean"].notna()].groupby(keys, dropna=False).ngroups
    note = f"<p><small>{NOTE[lang].format(m=n_compared)}</small></p>"
    spending = f"<th>{WORDS[lang]['spending']}</th>"
    table = f"<table><tr><th></th>{head}{spending}</tr>{''.join(body)}</table>"
    return f"<div class='scroll'>{table}</div>{note}"
