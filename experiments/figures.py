"""Comparison figures (plotly): the same colour for a policy everywhere, units on every
axis, labels in English or Chinese (outcomes labelled by the register, sim/outcomes.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from sim import outcomes
from sim.policies import BUNDLES, POLICY_NAMES
from sim.summary import mean_satisfaction

LABELS = {  # words of the figures themselves; outcome labels come from sim/outcomes.py
    "en": {
        "effect": "Paired change vs baseline (95 % CI)",
        "per_run": "{outcome} per run (log scale)",
        "by_group": "{outcome} by group, 95 % CI",
        "change": "change in {outcome} ({unit})",
        "frontier": "Extra spending vs change in {outcome}",
        "backlog": "Open problems over time (mean and range over seeds)",
        "satisfaction_time": "Mean satisfaction over time (mean and range over seeds)",
        "share": "satisfaction (0–1)",
        "policy": "policy", "day": "day", "open": "open problems (count)",
        "cost": "extra government spending over the run (yuan)",
    },
    "zh": {
        "effect": "与基线的配对差异 (95% 置信区间)",
        "per_run": "每次运行的{outcome} (对数刻度)",
        "by_group": "{outcome}, 分群体, 95% 置信区间",
        "change": "{outcome}变化 ({unit})",
        "frontier": "新增支出与{outcome}的变化",
        "backlog": "在办问题数随时间变化 (各随机种子的均值与范围)",
        "satisfaction_time": "平均满意度随时间变化 (各随机种子的均值与范围)",
        "share": "满意度 (0–1)",
        "policy": "政策", "day": "天", "open": "在办问题 (件)",
        "cost": "运行期间新增政府支出 (元)",
    },
}  # fmt: skip


NAMES = (*POLICY_NAMES, *BUNDLES)
PALETTE = qualitative.Dark24 + qualitative.Light24


def colour(policy: str) -> str:
    """One colour per policy mix, the same in every figure of every experiment."""
    if policy == "baseline":
        return "#444444"
    index = NAMES.index(policy) if policy in NAMES else len(NAMES) + sum(map(ord, policy))
    return PALETTE[index % len(PALETTE)]


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def condition_label(condition: dict | pd.Series, keys: list[str]) -> str:
    """A condition in a few words: the policy mix, then its other keys (`shock=flood`)."""
    others = [f"{key.rsplit('.', 1)[-1]}={condition[key]}" for key in keys if key != "policy"]
    return " · ".join([str(condition["policy"]), *others])


def forest(summary: pd.DataFrame, metric: str, keys: list[str], lang: str) -> go.Figure:
    """Each condition's paired change in `metric` against baseline, with its 95 % CI."""
    rows = summary[(summary["metric"] == metric) & summary["diff_mean"].notna()]
    rows = rows.sort_values("diff_mean")
    fig = go.Figure()
    for _, row in rows.iterrows():
        fig.add_trace(
            go.Scatter(
                x=[row["diff_mean"]],
                y=[condition_label(row, keys)],
                mode="markers",
                marker={"color": colour(row["policy"]), "size": 10},
                showlegend=False,
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [row["diff_ci_high"] - row["diff_mean"]],
                    "arrayminus": [row["diff_mean"] - row["diff_ci_low"]],
                },
            )
        )
    fig.add_vline(x=0, line_dash="dot")
    title = outcomes.label(metric, lang, unit=True)
    fig.update_layout(
        title=f"{LABELS[lang]['effect']}: {title}",
        height=220 + 36 * len(rows),
        xaxis_title=title,
        yaxis_title=LABELS[lang]["policy"],
    )
    fig.update_yaxes(type="category", automargin=True)
    return fig


def times(runs: pd.DataFrame, metric: str, lang: str) -> go.Figure:
    """Per-run hours (e.g. median to first contact, or to close) by policy, log scale."""
    fig = go.Figure()
    for policy, group in runs.groupby("policy", sort=False):
        fig.add_trace(
            go.Box(y=group[metric], name=policy, marker_color=colour(policy), boxpoints="all")
        )
    fig.update_layout(
        title=LABELS[lang]["per_run"].format(outcome=outcomes.label(metric, lang, unit=True)),
        yaxis_type="log",
        yaxis_title=outcomes.label(metric, lang, unit=True),
        showlegend=False,
    )
    return fig


def by_group(summary: pd.DataFrame, name: str, lang: str) -> go.Figure:
    """The mean of a per-group outcome (e.g. satisfaction_mean) by policy and group."""
    fig = go.Figure()
    for group in outcomes.GROUPS:
        rows = summary[summary["metric"] == f"{name}_{group}"]
        fig.add_trace(
            go.Bar(
                x=rows["policy"],
                y=rows["mean"],
                name=outcomes.GROUP_LABELS[lang][group],
                error_y={"type": "data", "array": rows["ci_high"] - rows["mean"]},
            )
        )
    fig.update_layout(
        title=LABELS[lang]["by_group"].format(outcome=outcomes.label(name, lang, unit=True)),
        barmode="group",
        yaxis_title=outcomes.label(name, lang, unit=True),
        xaxis_title=LABELS[lang]["policy"],
    )
    return fig


def frontier(summary: pd.DataFrame, metric: str, keys: list[str], lang: str) -> go.Figure:
    """Change in `metric` against extra spending. Conditions that differ only in numeric
    keys (intensities such as `budget_yuan_per_year`) are joined in order of spending: the
    cost-effectiveness curve of a policy (within, say, one shock)."""
    rows = summary[(summary["metric"] == metric) & summary["diff_mean"].notna()]
    curve_keys = [k for k in keys if not pd.api.types.is_numeric_dtype(rows[k])]
    scale, unit = outcomes.change_unit(metric, lang)
    fig = go.Figure()
    for _, group in rows.groupby(curve_keys, sort=False, dropna=False):
        group = group.sort_values("extra_cost_yuan")
        policy = group["policy"].iloc[0]
        name = condition_label(group.iloc[0], curve_keys)
        fig.add_trace(
            go.Scatter(
                x=group["extra_cost_yuan"],
                y=scale * group["diff_mean"],
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": scale * (group["diff_ci_high"] - group["diff_mean"]),
                    "arrayminus": scale * (group["diff_mean"] - group["diff_ci_low"]),
                },
                mode="lines+markers+text" if len(group) > 1 else "markers+text",
                text=[name] + [""] * (len(group) - 1),
                textposition="top center",
                name=name,
                showlegend=False,
                marker={"color": colour(policy), "size": 10},
                line={"color": colour(policy)},
            )
        )
    label = outcomes.label(metric, lang)
    fig.update_layout(
        title=LABELS[lang]["frontier"].format(outcome=label),
        xaxis_title=LABELS[lang]["cost"],
        yaxis_title=LABELS[lang]["change"].format(outcome=label, unit=unit),
    )
    return fig


def heatmap(runs: pd.DataFrame, keys: list[str], metric: str, lang: str) -> go.Figure | None:
    """For one policy swept over exactly two other keys: the metric's mean over seeds on
    the grid of their values (ordered as values, numbers numerically)."""
    swept = [k for k in keys if k != "policy" and runs[k].nunique() > 1]
    if len(swept) != 2 or runs["policy"].nunique() != 1:
        return None
    x, y = swept
    grid = runs.groupby([y, x])[metric].mean().unstack(x).sort_index().sort_index(axis=1)
    title = outcomes.label(metric, lang, unit=True)
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[str(v) for v in grid.columns],
            y=[str(v) for v in grid.index],
            colorbar={"title": title},
        )
    )
    fig.update_layout(title=title, xaxis_title=x, yaxis_title=y)
    fig.update_xaxes(type="category")
    fig.update_yaxes(type="category")
    return fig


def over_time(sweep_dir: Path, runs: pd.DataFrame, column: str, lang: str) -> go.Figure:
    """A daily series per condition (policy, and shock where shocks are compared): the mean
    over seeds with the band from the lowest to the highest seed."""
    fig = go.Figure()
    runs = runs[runs["status"] == "ok"]
    label = runs["policy"] + (" · " + runs["shock"].astype(str) if "shock" in runs else "")
    for name, group in runs.groupby(label, sort=False):
        series = [_daily(Path(sweep_dir) / run / "daily.parquet", column) for run in group["run"]]
        frame = pd.concat(series, axis=1)
        c = colour(group["policy"].iloc[0])
        band = {"line": {"width": 0}, "showlegend": False, "hoverinfo": "skip"}
        fig.add_trace(go.Scatter(x=frame.index, y=frame.max(axis=1), **band))
        fig.add_trace(
            go.Scatter(
                x=frame.index,
                y=frame.min(axis=1),
                fill="tonexty",
                fillcolor=_rgba(c, 0.15),
                **band,
            )
        )
        fig.add_trace(go.Scatter(x=frame.index, y=frame.mean(axis=1), name=name, line={"color": c}))
    key = "backlog" if column == "open" else "satisfaction_time"
    fig.update_layout(
        title=LABELS[lang][key],
        xaxis_title=LABELS[lang]["day"],
        yaxis_title=LABELS[lang]["open" if column == "open" else "share"],
    )
    return fig


def _daily(path: Path, column: str) -> pd.Series:
    """One run's daily series: a column of daily.parquet, or "satisfaction" of everyone."""
    if column != "satisfaction":
        return pd.read_parquet(path, columns=["day", column]).set_index("day")[column]
    return mean_satisfaction(pd.read_parquet(path).set_index("day"))
