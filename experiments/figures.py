"""Comparison figures (plotly): the same colour for a policy everywhere, units on every
axis, labels in English or Chinese."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from sim.policies import BUNDLES, POLICY_NAMES

LABELS = {
    "en": {
        "effect": "Paired change vs baseline (95 % CI)",
        "close": "Median hours from known to closed, per run (h, log scale)",
        "contact": "Median hours from known to first contact, per run (h, log scale)",
        "satisfaction": "Mean satisfaction at the end (0–1), by group, 95 % CI",
        "frontier": "Extra spending vs change in solved share of all needs",
        "backlog": "Open problems over time (mean and range over seeds)",
        "satisfaction_time": "Mean satisfaction over time (mean and range over seeds)",
        "share": "satisfaction (0–1)",
        "policy": "policy", "day": "day", "open": "open problems (count)",
        "cost": "extra government spending over the run (yuan)",
        "solved": "change in solved share of needs (points)", "hours": "hours (h)",
        "resident": "residents", "migrant": "migrants",
    },
    "zh": {
        "effect": "与基线的配对差异 (95% 置信区间)",
        "close": "每次运行从知晓到办结的中位小时数 (小时, 对数刻度)",
        "contact": "每次运行从知晓到首次联系的中位小时数 (小时, 对数刻度)",
        "satisfaction": "期末平均满意度 (0–1), 分群体, 95% 置信区间",
        "frontier": "新增支出与诉求解决比例的变化",
        "backlog": "在办问题数随时间变化 (各随机种子的均值与范围)",
        "satisfaction_time": "平均满意度随时间变化 (各随机种子的均值与范围)",
        "share": "满意度 (0–1)",
        "policy": "政策", "day": "天", "open": "在办问题 (件)",
        "cost": "运行期间新增政府支出 (元)",
        "solved": "诉求解决比例变化 (百分点)", "hours": "小时",
        "resident": "户籍居民", "migrant": "流动人口",
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


def forest(summary: pd.DataFrame, metric: str, title: str, lang: str) -> go.Figure:
    rows = summary[(summary["metric"] == metric) & summary["diff_mean"].notna()]
    rows = rows.sort_values("diff_mean")
    fig = go.Figure()
    for _, row in rows.iterrows():
        fig.add_trace(
            go.Scatter(
                x=[row["diff_mean"]],
                y=[row["policy"]],
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
    fig.update_layout(
        title=f"{LABELS[lang]['effect']}: {title}",
        height=220 + 36 * len(rows),
        xaxis_title=title,
        yaxis_title=LABELS[lang]["policy"],
    )
    fig.update_yaxes(type="category", automargin=True)
    return fig


def times(runs: pd.DataFrame, metric: str, lang: str) -> go.Figure:
    """Per-run median hours (to first contact, or to close) by policy, on a log scale."""
    fig = go.Figure()
    for policy, group in runs.groupby("policy", sort=False):
        fig.add_trace(
            go.Box(y=group[metric], name=policy, marker_color=colour(policy), boxpoints="all")
        )
    fig.update_layout(
        title=LABELS[lang]["contact" if metric == "median_contact_h" else "close"],
        yaxis_type="log",
        yaxis_title=LABELS[lang]["hours"],
        showlegend=False,
    )
    return fig


def satisfaction(summary: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure()
    for group in ("resident", "migrant"):
        rows = summary[summary["metric"] == f"satisfaction_mean_{group}"]
        fig.add_trace(
            go.Bar(
                x=rows["policy"],
                y=rows["mean"],
                name=LABELS[lang][group],
                error_y={"type": "data", "array": rows["ci_high"] - rows["mean"]},
            )
        )
    fig.update_layout(
        title=LABELS[lang]["satisfaction"],
        barmode="group",
        yaxis_title="0–1",
        xaxis_title=LABELS[lang]["policy"],
    )
    return fig


def frontier(summary: pd.DataFrame, lang: str) -> go.Figure:
    """Outcome against extra spending. Where one policy was run at several intensities
    (e.g. `budget_yuan_per_year`), its points are joined: the cost-effectiveness curve."""
    rows = summary[(summary["metric"] == "solved_share_arisen") & summary["diff_mean"].notna()]
    fig = go.Figure()
    for policy, group in rows.groupby("policy", sort=False):
        group = group.sort_values("extra_cost_yuan")
        fig.add_trace(
            go.Scatter(
                x=group["extra_cost_yuan"],
                y=100 * group["diff_mean"],
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": 100 * (group["diff_ci_high"] - group["diff_mean"]),
                    "arrayminus": 100 * (group["diff_mean"] - group["diff_ci_low"]),
                },
                mode="lines+markers+text" if len(group) > 1 else "markers+text",
                text=[policy] + [""] * (len(group) - 1),
                textposition="top center",
                name=policy,
                showlegend=False,
                marker={"color": colour(policy), "size": 10},
                line={"color": colour(policy)},
            )
        )
    fig.update_layout(
        title=LABELS[lang]["frontier"],
        xaxis_title=LABELS[lang]["cost"],
        yaxis_title=LABELS[lang]["solved"],
    )
    return fig


def heatmap(runs: pd.DataFrame, metric: str, title: str, lang: str) -> go.Figure | None:
    """For a sweep over two keys: the metric's mean over seeds on the grid of values."""
    swept = [c for c in runs.columns if "." in c and runs[c].nunique() > 1]
    if len(swept) != 2:
        return None
    x, y = swept
    grid = runs.groupby([y, x])[metric].mean().unstack(x)
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[str(v) for v in grid.columns],
            y=[str(v) for v in grid.index],
            colorbar={"title": title},
        )
    )
    fig.update_layout(title=title, xaxis_title=x, yaxis_title=y)
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
        fig.add_trace(
            go.Scatter(
                x=frame.index,
                y=frame.max(axis=1),
                line={"width": 0},
                showlegend=False,
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=frame.index,
                y=frame.min(axis=1),
                fill="tonexty",
                line={"width": 0},
                fillcolor=_rgba(c, 0.15),
                showlegend=False,
                hoverinfo="skip",
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
    if column != "satisfaction":
        return pd.read_parquet(path, columns=["day", column]).set_index("day")[column]
    d = pd.read_parquet(path).set_index("day")
    people = d["people_resident"] + d["people_migrant"]
    return (
        d["satisfaction_resident"] * d["people_resident"]
        + d["satisfaction_migrant"] * d["people_migrant"]
    ) / people
