"""Comparison figures (plotly): the same colour for a policy everywhere, units on every
axis, labels in English or Chinese (outcomes labelled by the register, sim/outcomes.py)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from experiments import words
from sim import outcomes
from sim.policies import BUNDLES, POLICY_NAMES

LABELS = {  # words of the figures themselves; outcome labels come from sim/outcomes.py
    "en": {
        "effect": "Paired change vs {reference}: {outcome}",
        "effect_note": "95 % CI, not adjusted; filled: survives Holm (p<sub>Holm</sub> < 0.05)",
        "per_run": "{outcome} per run (log scale)",
        "by_group": "{outcome} by group (mean and 95 % CI over seeds)",
        "change": "change in {outcome} ({unit})",
        "frontier": "Extra spending vs change in {outcome}",
        "backlog": "Open problems over time (mean and range over seeds)",
        "satisfaction_time": "Mean satisfaction over time (mean and range over seeds)",
        "share": "mean satisfaction (0–1)",
        "condition": "condition", "day": "day", "open": "open problems (count)",
        "cost": "extra government spending over the run (M yuan)", "cost_scale": 1e6,
        "beyond": "{value} [{low}, {high}], beyond the axis",
    },
    "zh": {
        "effect": "与{reference}的配对差异: {outcome}",
        "effect_note": "95% 置信区间, 未校正; 实心: 经 Holm 校正仍显著 (p<sub>Holm</sub> < 0.05)",
        "per_run": "每次运行的{outcome} (对数刻度)",
        "by_group": "{outcome}, 分群体 (各随机种子的均值与 95% 置信区间)",
        "change": "{outcome}的变化 ({unit})",
        "frontier": "新增支出与{outcome}的变化",
        "backlog": "在办问题数随时间变化 (各随机种子的均值与范围)",
        "satisfaction_time": "平均满意度随时间变化 (各随机种子的均值与范围)",
        "share": "平均满意度 (0–1)",
        "condition": "条件", "day": "天", "open": "在办问题 (件)",
        "cost": "运行期间新增政府支出 (万元)", "cost_scale": 1e4,
        "beyond": "{value} [{low}, {high}], 超出坐标轴",
    },
}  # fmt: skip
FONT = {"family": "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif", "size": 15}
OUTLIER_FACTOR = 3.0  # an interval wider than this × the typical width may be drawn clipped
SHRINK_AT_LEAST = 0.6  # ... if that leaves the axis at most this share of its full span


NAMES = (*POLICY_NAMES, *BUNDLES)
PALETTE = qualitative.Dark24 + qualitative.Light24


def colour(policy: str) -> str:
    """One colour per policy mix, the same in every figure of every experiment."""
    if policy == "baseline":
        return "#444444"
    index = NAMES.index(policy) if policy in NAMES else len(NAMES) + sum(map(ord, policy))
    return PALETTE[index % len(PALETTE)]


def rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def style(fig: go.Figure, title: str, **layout) -> go.Figure:
    """The look every figure shares: a font with Chinese glyphs, readable on a 1600×900
    slide, margins that fit long tick labels, the legend on the right in full."""
    fig.update_layout(
        title={"text": title, "x": 0.01},
        font=FONT,
        template="plotly_white",
        margin={"l": 20, "r": 20, "t": 80, "b": 20},
        legend={"font": {"size": 13}, "tracegroupgap": 2},
        **layout,
    )
    plain = {"automargin": True, "exponentformat": "none", "separatethousands": True}
    fig.update_xaxes(**plain)  # 1,200, not 1.2k: the same numbers in either language
    fig.update_yaxes(**plain)
    return fig


def _reference(rows: pd.DataFrame, lang: str) -> str:
    references = rows["reference"].dropna().unique() if "reference" in rows else []
    return words.reference_label(str(references[0]), lang) if len(references) == 1 else "—"


def change_title(metric: str, lang: str) -> str:
    """ "change in <outcome> (<unit>)": the table's unit, or the level's for counts."""
    unit = words.unit(metric, lang)
    if not unit:
        symbols = outcomes.UNITS[outcomes.of_column(metric)[0].unit]
        unit = symbols.symbol_zh if lang == "zh" else symbols.symbol_en
    return LABELS[lang]["change"].format(outcome=outcomes.label(metric, lang), unit=unit)


def axis_range(mean: pd.Series, low: pd.Series, high: pd.Series) -> tuple[float, float] | None:
    """The change axis: every point and every interval, unless an interval is wider than
    `OUTLIER_FACTOR` × the median width (of those not zero); then every point and the other
    intervals set it, so that one wide interval does not squash the rest (None: no clipping)."""
    width = (high - low).fillna(0)
    typical = width[width > 0].median() if (width > 0).any() else 0.0
    wide = width > OUTLIER_FACTOR * max(typical, 1e-12)
    if not wide.any():
        return None
    values = pd.concat([mean, low[~wide], high[~wide], pd.Series([0.0])]).dropna()
    everything = pd.concat([values, low, high]).dropna()
    span = values.max() - values.min()
    if span > SHRINK_AT_LEAST * (everything.max() - everything.min()):
        return None  # clipping would gain little: show every interval whole
    pad = 0.08 * max(span, 1e-9)
    return (values.min() - pad, values.max() + pad)


def _clipped(fig: go.Figure, y: str, m: float, lo: float, hi: float, limits, lang: str) -> None:
    """Mark an interval that runs beyond the axis: a triangle at each edge it crosses, and
    its numbers once."""
    edges = [(limits[1], "triangle-right", "right")] * bool(hi > limits[1])
    edges += [(limits[0], "triangle-left", "left")] * bool(lo < limits[0])
    for edge, symbol, _ in edges:
        fig.add_trace(
            go.Scatter(
                x=[edge],
                y=[y],
                mode="markers",
                showlegend=False,
                hoverinfo="skip",
                marker={"symbol": symbol, "size": 13, "color": "#333"},
            )
        )
    if edges:
        edge, _, anchor = edges[0]
        text = LABELS[lang]["beyond"].format(value=f"{m:+.1f}", low=f"{lo:+.1f}", high=f"{hi:+.1f}")
        fig.add_annotation(
            x=edge, y=y, text=text, showarrow=False, xanchor=anchor, yshift=14,
            font={"size": 12}, bgcolor="rgba(255,255,255,0.8)",
        )  # fmt: skip


def forest(summary: pd.DataFrame, metric: str, keys: list[str], lang: str) -> go.Figure:
    """Each condition's paired change in `metric` against its reference, in the table's
    units, with its 95 % CI; filled where it survives Holm. An interval far wider than the
    others is clipped at the axis edge with an arrow and its numbers."""
    rows = summary[(summary["metric"] == metric) & summary["diff_mean"].notna()]
    rows = rows.sort_values("diff_mean")
    scale = outcomes.change_unit(metric, lang)[0]
    mean, low, high = (scale * rows[c] for c in ("diff_mean", "diff_ci_low", "diff_ci_high"))
    limits = axis_range(mean, low, high)
    fig = go.Figure()
    for (_, row), m, lo, hi in zip(rows.iterrows(), mean, low, high, strict=True):
        label = words.condition_label(row, keys, lang)
        held = pd.notna(row["p_holm"]) and row["p_holm"] < 0.05
        fig.add_trace(
            go.Scatter(
                x=[m],
                y=[label],
                mode="markers",
                showlegend=False,
                marker={
                    "color": colour(row["policy"]),
                    "size": 11,
                    "symbol": "circle" if held else "circle-open",
                    "line": {"width": 2},
                },
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [hi - m],
                    "arrayminus": [m - lo],
                },
                hovertext=f"{m:+.2f} [{lo:+.2f}, {hi:+.2f}] p_Holm={row['p_holm']:.2g}",
            )
        )
        if limits is not None:
            _clipped(fig, label, m, lo, hi, limits, lang)
    fig.add_vline(x=0, line_dash="dot")
    label = outcomes.label(metric, lang)
    title = LABELS[lang]["effect"].format(reference=_reference(rows, lang), outcome=label)
    style(
        fig,
        f"{title}<br><sub>{LABELS[lang]['effect_note']}</sub>",
        height=max(420, 160 + 30 * len(rows)),
        xaxis_title=change_title(metric, lang),
    )
    fig.update_yaxes(type="category")
    if limits is not None:
        fig.update_xaxes(range=list(limits))
    return fig


def _conditions(runs: pd.DataFrame, keys: list[str], lang: str) -> pd.Series:
    """Each run's condition label, in the reader's language."""
    return runs.apply(lambda row: words.condition_label(row, keys, lang), axis=1)


def times(runs: pd.DataFrame, metric: str, keys: list[str], lang: str) -> go.Figure:
    """Per-run hours (e.g. median to first contact, or to close) by condition, log scale."""
    fig = go.Figure()
    runs = runs.sort_values(keys, kind="stable")  # conditions in the order of their values
    labels = _conditions(runs, keys, lang)
    for label, group in runs.groupby(labels, sort=False):
        fig.add_trace(
            go.Box(
                y=group[metric],
                name=label,
                marker_color=colour(group["policy"].iloc[0]),
                boxpoints="all",
            )
        )
    outcome = outcomes.label(metric, lang, unit=True)
    return style(
        fig,
        LABELS[lang]["per_run"].format(outcome=outcome),
        yaxis_type="log",
        yaxis_title=outcome,
        showlegend=False,
        xaxis_tickangle=-40,
    )


def by_group(summary: pd.DataFrame, name: str, keys: list[str], lang: str) -> go.Figure:
    """The mean of a per-group outcome (e.g. satisfaction_mean) by condition and group, with
    its 95 % CI; the axis is fitted to the values (a bar from 0 would hide the changes)."""
    fig = go.Figure()
    both = summary[summary["metric"].isin([f"{name}_{g}" for g in outcomes.GROUPS])]
    low, high = (
        both["ci_low"].fillna(both["mean"]).min(),
        both["ci_high"].fillna(both["mean"]).max(),
    )
    pad = 0.1 * max(high - low, 0.01)
    for group, symbol in zip(outcomes.GROUPS, ("circle", "diamond"), strict=True):
        rows = summary[summary["metric"] == f"{name}_{group}"]
        fig.add_trace(
            go.Scatter(
                x=_conditions(rows, keys, lang),
                y=rows["mean"],
                mode="markers",
                name=outcomes.GROUP_LABELS[lang][group],
                marker={"size": 11, "symbol": symbol},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": rows["ci_high"] - rows["mean"],
                    "arrayminus": rows["mean"] - rows["ci_low"],
                },
            )
        )
    outcome = outcomes.label(name, lang, unit=True)
    return style(
        fig,
        LABELS[lang]["by_group"].format(outcome=outcome),
        yaxis_title=outcome,
        xaxis_title=LABELS[lang]["condition"],
        xaxis_tickangle=-40,
        scattermode="group",
        yaxis_range=[low - pad, high + pad],
    )


def frontier(summary: pd.DataFrame, metric: str, keys: list[str], lang: str) -> go.Figure:
    """Change in `metric` against extra spending. Conditions that differ only in numeric
    keys (intensities such as `budget_yuan_per_year`) are joined in order of spending: the
    cost-effectiveness curve of a policy (within, say, one shock). Named in the legend."""
    rows = summary[(summary["metric"] == metric) & summary["diff_mean"].notna()]
    curve_keys = [k for k in keys if not pd.api.types.is_numeric_dtype(rows[k])]
    scale = outcomes.change_unit(metric, lang)[0]
    money = LABELS[lang]["cost_scale"]
    fig = go.Figure()
    for _, group in rows.groupby(curve_keys, sort=False, dropna=False):
        group = group.sort_values("extra_cost_yuan")
        fig.add_trace(
            go.Scatter(
                x=group["extra_cost_yuan"] / money,
                y=scale * group["diff_mean"],
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": scale * (group["diff_ci_high"] - group["diff_mean"]),
                    "arrayminus": scale * (group["diff_mean"] - group["diff_ci_low"]),
                },
                mode="lines+markers",
                name=words.condition_label(group.iloc[0], curve_keys, lang),
                marker={"color": colour(group["policy"].iloc[0]), "size": 10},
                line={"color": colour(group["policy"].iloc[0])},
            )
        )
    label = outcomes.label(metric, lang)
    return style(
        fig,
        LABELS[lang]["frontier"].format(outcome=label),
        xaxis_title=LABELS[lang]["cost"],
        yaxis_title=change_title(metric, lang),
    )


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
    style(fig, title, xaxis_title=words.key_label(x, lang), yaxis_title=words.key_label(y, lang))
    fig.update_xaxes(type="category")
    fig.update_yaxes(type="category")
    return fig
