"""Daily series by condition: the mean over seeds with the band from the lowest to the
highest seed; one panel per value of the other key (a shock, a budget) when policies are
compared across it, so that no line hides another and the legend names each policy once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from experiments import words
from experiments.figures import LABELS, colour, rgba, style
from sim.summary import mean_satisfaction

MAX_PANELS = 4  # more values of the other key than this: one panel, a line per condition
MIN_SATISFACTION_SPAN = 0.1  # the satisfaction axis spans at least this much (0–1 scale)


def _daily(path: Path, column: str) -> pd.Series:
    """One run's daily series: a column of daily.parquet, or "satisfaction" of everyone."""
    if column != "satisfaction":
        return pd.read_parquet(path, columns=["day", column]).set_index("day")[column]
    return mean_satisfaction(pd.read_parquet(path).set_index("day"))


def _panel_key(runs: pd.DataFrame, keys: list[str]) -> str | None:
    others = [k for k in keys if k != "policy"]
    if runs["policy"].nunique() > 1 and len(others) == 1:
        return others[0] if runs[others[0]].nunique() <= MAX_PANELS else None
    return None


def _band(fig: go.Figure, frame: pd.DataFrame, name: str, hue: str, panel: int, legend: bool):
    """The mean line with its min–max band, in panel `panel` (1-based)."""
    at = {"row": 1, "col": panel}
    band = {"line": {"width": 0}, "showlegend": False, "hoverinfo": "skip"}
    fig.add_trace(go.Scatter(x=frame.index, y=frame.max(axis=1), **band), **at)
    fig.add_trace(
        go.Scatter(
            x=frame.index, y=frame.min(axis=1), fill="tonexty", fillcolor=rgba(hue, 0.15), **band
        ),
        **at,
    )
    fig.add_trace(
        go.Scatter(
            x=frame.index,
            y=frame.mean(axis=1),
            name=name,
            legendgroup=name,
            showlegend=legend,
            line={"color": hue, "width": 2},
        ),
        **at,
    )


def over_time(
    sweep_dir: Path, runs: pd.DataFrame, column: str, keys: list[str], lang: str
) -> go.Figure:
    """A daily series (`open`, or `satisfaction` of everyone) per condition."""
    runs = runs[runs["status"] == "ok"]
    panel_key = _panel_key(runs, keys)
    panels = sorted(runs[panel_key].unique(), key=str) if panel_key else [None]
    titles = [f"{words.key_label(panel_key, lang)}={words.value_text(panel_key, p, lang)}"
              for p in panels] if panel_key else None  # fmt: skip
    fig = make_subplots(rows=1, cols=len(panels), shared_yaxes=True, subplot_titles=titles)
    line_keys = ["policy"] if panel_key else keys
    seen: set[str] = set()
    for i, panel in enumerate(panels, start=1):
        mine = runs if panel_key is None else runs[runs[panel_key] == panel]
        mine = mine.sort_values(line_keys, kind="stable")  # lines in the order of their values
        labels = mine.apply(lambda row: words.condition_label(row, line_keys, lang), axis=1)
        for j, (name, group) in enumerate(mine.groupby(labels, sort=False)):
            series = [
                _daily(Path(sweep_dir) / run / "daily.parquet", column) for run in group["run"]
            ]
            varies = runs["policy"].nunique() > 1
            hue = colour(group["policy"].iloc[0]) if varies else qualitative.Dark24[j % 24]
            _band(fig, pd.concat(series, axis=1), name, hue, i, legend=name not in seen)
            seen.add(name)
    key = "backlog" if column == "open" else "satisfaction_time"
    style(fig, LABELS[lang][key], height=600 if len(panels) > 1 else 520)
    fig.update_xaxes(title_text=LABELS[lang]["day"])
    fig.update_yaxes(title_text=LABELS[lang]["open" if column == "open" else "share"], col=1)
    if column == "satisfaction":
        _widen(fig)
    return fig


def _widen(fig: go.Figure) -> None:
    """Give the satisfaction axis at least `MIN_SATISFACTION_SPAN`, so that a change of a
    thousandth does not fill the figure."""
    values = pd.concat([pd.Series(trace.y, dtype=float) for trace in fig.data])
    low, high = values.min(), values.max()
    if high - low < MIN_SATISFACTION_SPAN:
        middle = (low + high) / 2
        fig.update_yaxes(
            range=[middle - MIN_SATISFACTION_SPAN / 2, middle + MIN_SATISFACTION_SPAN / 2]
        )
