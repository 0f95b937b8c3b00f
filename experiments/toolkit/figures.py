"""The toolkit's figures (plotly, the comparisons' look): Morris μ*–σ, Sobol bars with
intervals, PRIM's peeling trajectory, the Pareto front with the chosen mix."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from experiments.figures import style
from experiments.toolkit.pareto import non_dominated
from sim import outcomes
from sim.policies import title

LABELS = {
    "en": {
        "morris": "Morris screening {response}: μ* (mean |elementary effect|) against σ",
        "sobol": "Sobol indices {response}: first order (S1) and total order (ST), {level:.0%} CI",
        "baseline": "under baseline", "policy": "under {policy}",
        "effect": "on the paired effect of {policy}",
        "peeling": "PRIM peeling trajectory: where {policy} fails ({outcome})",
        "coverage": "coverage (share of failures in the box)",
        "density": "density (share of the box that fails)", "chosen": "chosen box",
        "dims": "restricted dimensions",
        "pareto": "Candidates: spending against {outcome}",
        "cost": "government spending over the run (M yuan)",
        "mu": "μ*", "sigma": "σ", "chosen_mix": "cheapest meeting every target",
        "front": "Pareto front of spending and this outcome",
        "candidates": "candidates (green: meet every target)",
    },
    "zh": {
        "morris": "Morris 筛选 ({response}): μ* (基本效应绝对值均值) 与 σ",
        "sobol": "Sobol 指数 ({response}): 一阶 (S1) 与总效应 (ST), {level:.0%} 置信区间",
        "baseline": "基线下", "policy": "{policy}下", "effect": "{policy}的配对效果",
        "peeling": "PRIM 剥离轨迹: {policy}失效之处 ({outcome})",
        "coverage": "覆盖率 (失效点落在盒内的比例)", "density": "密度 (盒内失效的比例)",
        "chosen": "选定的盒", "dims": "受限维度",
        "pareto": "候选方案: 支出与{outcome}", "front": "支出与该结果的帕累托前沿",
        "candidates": "候选方案 (绿色: 满足全部目标)",
        "cost": "运行期间政府支出 (百万元)", "mu": "μ*", "sigma": "σ",
        "chosen_mix": "满足全部目标的最低成本方案",
    },
}  # fmt: skip


MEETS_COLOUR = {True: "#2ca02c", False: "#999999"}  # meets every target, or not


def response_label(response: str, policy: str, lang: str) -> str:
    return LABELS[lang][response].format(policy=policy)


def _grid(names: list[str], lang: str, rows_of: int = 3):
    cols = min(rows_of, len(names))
    rows = math.ceil(len(names) / cols)
    titles = [outcomes.label(n, lang, unit=True) for n in names]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.08)
    return fig, [(1 + i // cols, 1 + i % cols) for i in range(len(names))], rows


def morris(table: pd.DataFrame, response: str, policy: str, lang: str) -> go.Figure:
    """One panel per outcome: each assumption at (μ*, σ); far right = matters most."""
    rows = table[(table["response"] == response) & table["mu_star"].notna()]
    names = list(dict.fromkeys(rows["outcome"]))
    fig, cells, n_rows = _grid(names, lang)
    for name, (r, c) in zip(names, cells, strict=True):
        block = rows[rows["outcome"] == name]
        fig.add_trace(
            go.Scatter(
                x=block["mu_star"], y=block["sigma"], text=block["parameter"],
                mode="markers+text", textposition="top center", showlegend=False,
                error_x={"type": "data", "array": block["mu_star_conf"], "thickness": 1},
            ),
            row=r, col=c,
        )  # fmt: skip
        fig.update_xaxes(title_text=LABELS[lang]["mu"], row=r, col=c)
        fig.update_yaxes(title_text=LABELS[lang]["sigma"], row=r, col=c)
    title = LABELS[lang]["morris"].format(response=response_label(response, policy, lang))
    return style(fig, title, height=380 * n_rows)


def sobol(table: pd.DataFrame, response: str, policy: str, level: float, lang: str):
    """One panel per outcome: S1 and ST per assumption with their intervals."""
    rows = table[(table["response"] == response) & table["ST"].notna()]
    names = list(dict.fromkeys(rows["outcome"]))
    fig, cells, n_rows = _grid(names, lang)
    for i, (name, (r, c)) in enumerate(zip(names, cells, strict=True)):
        block = rows[rows["outcome"] == name]
        for index, colour in (("S1", "#9ecae1"), ("ST", "#08519c")):
            fig.add_trace(
                go.Bar(
                    x=block["parameter"], y=block[index], name=index, marker_color=colour,
                    error_y={"type": "data", "array": block[f"{index}_conf"]},
                    showlegend=i == 0, legendgroup=index,
                ),
                row=r, col=c,
            )  # fmt: skip
    title = LABELS[lang]["sobol"].format(
        response=response_label(response, policy, lang), level=level
    )
    return style(fig, title, height=420 * n_rows, barmode="group")


def peeling(trajectory: pd.DataFrame, chosen: int, policy: str, outcome: str, lang: str):
    """Coverage against density along PRIM's peeling, coloured by restricted dimensions."""
    words = LABELS[lang]
    fig = go.Figure(
        go.Scatter(
            x=trajectory["coverage"], y=trajectory["density"], mode="markers+lines",
            marker={"color": trajectory["res_dim"], "colorscale": "Viridis", "size": 9,
                    "colorbar": {"title": words["dims"]}},
            name=words["candidates"], showlegend=False,
        )
    )  # fmt: skip
    step = trajectory.iloc[chosen]
    fig.add_trace(
        go.Scatter(
            x=[step["coverage"]], y=[step["density"]], mode="markers", name=words["chosen"],
            marker={"symbol": "star", "size": 20, "color": "#d62728"},
        )
    )  # fmt: skip
    title = words["peeling"].format(policy=policy, outcome=outcomes.label(outcome, lang))
    fig.update_xaxes(title_text=words["coverage"])
    fig.update_yaxes(title_text=words["density"])
    return style(fig, title)


def pareto(trials: pd.DataFrame, outcome: str, chosen: int | None, lang: str) -> go.Figure:
    """Every candidate's mean spending and outcome; the front joined; the chosen one a star."""
    words = LABELS[lang]
    cost = trials["cost_total_yuan"] / 1e6
    fig = go.Figure(
        go.Scatter(
            x=cost, y=trials[outcome], mode="markers", name=words["candidates"],
            text=trials["mix"].map(lambda mix: title(mix, lang)),
            marker={"color": trials["meets_targets"].map(MEETS_COLOUR)},
        )
    )  # fmt: skip
    higher = outcomes.of_column(outcome)[0].better is outcomes.Better.HIGHER
    on_front = non_dominated(trials[["cost_total_yuan", outcome]].to_numpy(), [False, higher])
    front = trials[on_front].sort_values("cost_total_yuan")
    fig.add_trace(
        go.Scatter(x=front["cost_total_yuan"] / 1e6, y=front[outcome], mode="lines",
                   name=words["front"], line={"color": "#08519c"})
    )  # fmt: skip
    if chosen is not None:
        row = trials[trials["number"] == chosen].iloc[0]
        fig.add_trace(
            go.Scatter(
                x=[row["cost_total_yuan"] / 1e6], y=[row[outcome]], mode="markers+text",
                name=words["chosen_mix"], text=[title(row["mix"], lang)],
                textposition="bottom right",
                marker={"symbol": "star", "size": 20, "color": "#d62728"},
            )
        )  # fmt: skip
    fig.update_xaxes(title_text=words["cost"])
    fig.update_yaxes(title_text=outcomes.label(outcome, lang, unit=True))
    return style(fig, words["pareto"].format(outcome=outcomes.label(outcome, lang)))
