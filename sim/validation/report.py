"""What `govsim validate` writes and prints: validation.json (checks only, so the same seeds
give the same file), validation.html (self-contained: table and plotly figures, plotly.js
inline) and a terminal table with one PASS or FAIL per check."""

from __future__ import annotations

import html
import math
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sim.records import write_json_atomic, write_text_atomic
from sim.validation import queue_checks, runs

STYLE = (
    "body{font-family:sans-serif;max-width:1200px;margin:auto}"
    "td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
    "td.pass{background:#e3f4e1}td.fail{background:#fbe3e1}"
)


@contextmanager
def progress(total: int):
    """A transient progress bar of finished runs on stderr; yields its tick."""
    bar = Progress(
        TextColumn("[bold]validate"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("runs"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("validate", total=total)
    with bar:
        yield lambda: bar.advance(task)


def plain(value):
    """JSON-ready: numpy scalars to Python, NaN and infinity to None, in nested containers."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _number(value) -> str:
    if value is None:
        return "–"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def write(out: Path, checks: list[dict], figures: dict, plan: runs.Plan, elapsed_s: float) -> None:
    """validation.json and validation.html in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    failed = sum(not c["passed"] for c in checks)
    document = {
        "plan": asdict(plan),
        "passed": len(checks) - failed,
        "failed": failed,
        "checks": checks,
    }
    write_json_atomic(plain(document), out / "validation.json")
    marks = _marks(checks)
    rows = "".join(
        f"<tr><td>{html.escape(c['section'])}</td><td>{html.escape(_name(c, marks))}</td>"
        f"<td>{_number(c['value'])}</td><td>{html.escape(c['reference'])}"
        f"{'' if c['reference_value'] is None else ' (' + _number(c['reference_value']) + ')'}"
        f"</td><td class={'pass' if c['passed'] else 'fail'}>{'PASS' if c['passed'] else 'FAIL'}"
        f"</td><td>{html.escape(c['fails_if'])}</td><td>{html.escape(c['source'])}</td></tr>"
        for c in checks
    )
    parts = [
        pio.to_html(fig, full_html=False, include_plotlyjs=(i == 0))
        for i, fig in enumerate(_figures(figures))
    ]
    page = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>govsim validate</title>"
        f"<style>{STYLE}</style></head><body><h1>govsim validate</h1>"
        f"<p>{len(checks) - failed} passed, {failed} failed; seeds {list(plan.seeds)}, "
        f"{plan.years} years; {elapsed_s:.0f} s. Every number comes from runs made now.</p>"
        f"<table><tr><th>section</th><th>check</th><th>value</th><th>reference</th>"
        f"<th>result</th><th>fails if</th><th>source</th></tr>{rows}</table>"
        f"{''.join(f'<p>{html.escape(line)}</p>' for line in _footnotes(marks))}"
        f"{''.join(parts)}</body></html>"
    )
    write_text_atomic(page, out / "validation.html")


def _figures(data: dict) -> list[go.Figure]:
    return [
        _erlang(data["waits"]),
        _yearly(data["yearly"], data["spread"]),
        _calls(data["yearly"]),
        _volunteers(data["volunteers"]),
        _edt(data["edt"]),
    ]


def _erlang(waits: dict[float, np.ndarray]) -> go.Figure:
    fig = go.Figure()
    for lam, w in waits.items():
        t = np.linspace(0.0, max(float(np.quantile(w, 0.99)), 0.1), 60)
        p_wait, rate = queue_checks.erlang_c(lam, runs.SERVICE_RATE_PER_H, runs.SERVERS)
        simulated = (w[None, :] > t[:, None]).mean(axis=1)
        fig.add_scatter(x=t, y=simulated, mode="markers", name=f"simulated λ = {lam:g}/h")
        fig.add_scatter(x=t, y=p_wait * np.exp(-rate * t), name=f"Erlang C λ = {lam:g}/h")
    fig.update_layout(
        title="Textbook queue: P(wait > t)",
        xaxis_title="t (h)",
        yaxis_title="P(wait > t)",
        yaxis_type="log",
    )
    return fig


def _yearly(tables: dict, spread: dict) -> go.Figure:
    """Each arm's yearly rates, the rated ones with bars of ±1.96 standard errors over seeds."""
    fig = go.Figure()
    for arm, table in tables.items():
        dash = "dot" if arm == "baseline" else "solid"
        for column in ("rated_resolution", "rated_satisfaction", "real_resolution"):
            se = spread[arm].get(f"{column}_se")
            bars = None if se is None else {"type": "data", "array": 1.96 * se.to_numpy()}
            fig.add_scatter(
                x=table.index, y=table[column], name=f"{arm}: {column}", line={"dash": dash},
                error_y=bars,
            )  # fmt: skip
    fig.update_layout(
        title="Rated and real outcomes by year (callbacks closed that year; bars: ±1.96 SE "
        "over seeds)",
        xaxis_title="year",
        xaxis_dtick=1,
        yaxis_title="share",
    )
    return fig


def _calls(tables: dict) -> go.Figure:
    fig = go.Figure()
    for column in ("consultations", "calls_report", "calls_duplicate", "calls_repeat"):
        x = [
            [arm for arm in tables for _ in tables[arm].index],
            [str(y) for arm in tables for y in tables[arm].index],
        ]
        y = np.concatenate([tables[arm][column].to_numpy() for arm in tables])
        fig.add_bar(x=x, y=y, name=column)
    fig.update_layout(
        barmode="stack", title="Calls by year and type (seeds summed)", yaxis_title="calls"
    )
    return fig


def _volunteers(volunteers: dict[float, np.ndarray]) -> go.Figure:
    stipends = list(volunteers)
    fig = go.Figure()
    fig.add_scatter(
        x=stipends,
        y=[float(np.mean(v)) for v in volunteers.values()],
        name="mean over seeds",
        mode="lines+markers",
    )
    for s, v in volunteers.items():
        fig.add_scatter(
            x=[s] * len(v), y=v, mode="markers", showlegend=False, marker={"color": "grey"}
        )
    fig.update_layout(
        title="Active volunteers against the stipend",
        xaxis_title="yuan per hour",
        yaxis_title="volunteers active (daily mean)",
    )
    return fig


def _edt(table) -> go.Figure:
    fig = go.Figure()
    bins = np.linspace(-1.0, 1.0, 11)
    middle = (bins[:-1] + bins[1:]) / 2
    for solved, label in ((1.0, "solved"), (0.0, "not solved")):
        part = table[table["solved"] == solved]
        which = np.clip(np.digitize(part["disconfirmation"], bins) - 1, 0, len(middle) - 1)
        share = part["satisfied"].groupby(which).mean()
        fig.add_scatter(x=middle[share.index], y=share.to_numpy(), name=label, mode="lines+markers")
    fig.update_layout(
        title="Rated satisfaction by disconfirmation, baseline callbacks",
        xaxis_title="(expected − actual) / expected",
        yaxis_title="rated satisfied",
    )
    return fig


def _marks(checks: list[dict]) -> dict[str, int]:
    """A number for each distinct note of what in the calibration informs some checks."""
    informed = dict.fromkeys(c["informed_by"] for c in checks if c.get("informed_by"))
    return {what: n for n, what in enumerate(informed, start=1)}


def _name(check: dict, marks: dict[str, int]) -> str:
    """A check's name, marked *n when it is not independent of the calibration."""
    what = check.get("informed_by")
    return check["name"] + (f" *{marks[what]}" if what else "")


def _footnotes(marks: dict[str, int]) -> list[str]:
    """One line per mark: what in the calibration used the same data."""
    return [f"*{n} not independent of {what} (ODD.md §7.26)" for what, n in marks.items()]


def print_table(checks: list[dict], out: Path, elapsed_s: float) -> None:
    """One row per check: its value, the reference, PASS or FAIL."""
    table, marks = Table(title="govsim validate"), _marks(checks)
    for column in ("section", "check", "value", "passes if", "result"):
        table.add_column(column, justify="right" if column == "value" else "left")
    for c in checks:
        result = "[green]PASS" if c["passed"] else "[red]FAIL"
        table.add_row(c["section"], _name(c, marks), _number(c["value"]), c["bound"], result)
    console = Console(width=max(Console().width, 120))
    console.print(table)
    for line in _footnotes(marks):
        console.print(line)
    failed = sum(not c["passed"] for c in checks)
    console.print(f"{len(checks) - failed} passed, {failed} failed in {elapsed_s:.0f} s")
    console.print(f"outputs: {out}")
