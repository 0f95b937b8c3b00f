"""Checks of the queueing core and the books: Erlang C at three loads of the textbook queue,
Little's law, and the cost ledger's identities, each recomputed from a run's tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.validation import references as ref

SECTION = "queueing and books"


def erlang_c(arrival_per_h: float, service_per_h: float, servers: int) -> tuple[float, float]:
    """M/M/c: P(wait > 0) and the rate of the wait's exponential tail (cμ − λ)."""
    a, rho = arrival_per_h / service_per_h, arrival_per_h / (servers * service_per_h)
    head = sum(a**k / math.factorial(k) for k in range(servers))
    tail = a**servers / math.factorial(servers) / (1 - rho)
    return tail / (head + tail), servers * service_per_h - arrival_per_h


def waits_h(problems: pd.DataFrame) -> np.ndarray:
    """Waits in the textbook queue: arrival to service start (jobs started by the end)."""
    started = problems[problems["responded_h"].notna()]
    return (started["responded_h"] - started["arisen_h"]).to_numpy()


def erlang_checks(waits: np.ndarray, arrival_per_h: float, service_per_h: float, servers: int):
    """Mean and 90th-percentile wait against Erlang C at one load point."""
    p_wait, rate = erlang_c(arrival_per_h, service_per_h, servers)
    rho = arrival_per_h / (servers * service_per_h)
    p90 = math.log(p_wait / 0.1) / rate if p_wait > 0.1 else 0.0
    detail = {
        "servers": servers,
        "arrival_rate_per_h": arrival_per_h,
        "service_rate_per_h": service_per_h,
        "waits": len(waits),
    }
    return [
        ref.ERLANG_MEAN.result(
            f"Erlang C mean wait (h), ρ = {rho:.1f}", SECTION, waits.mean(), p_wait / rate, detail
        ),
        ref.ERLANG_P90.result(
            f"Erlang C 90th-percentile wait (h), ρ = {rho:.1f}",
            SECTION,
            np.quantile(waits, 0.9),
            p90,
            detail,
        ),
    ]


def little_ratio(problems: pd.DataFrame, daily: pd.DataFrame) -> float:
    """L / (λ W) inside the run less its first and last 30 days (a quarter of a short run):
    L is the mean of the daily table's `open` (sampled at each day's end), λ the problems known
    per hour in the window and W their mean hours from known to closed (still open: to the end
    of the run)."""
    days = len(daily)
    skip_days = min(30, days // 4)
    start_h, end_h, run_end_h = 24.0 * skip_days, 24.0 * (days - skip_days), 24.0 * days
    window = daily[(daily["day"] >= skip_days) & (daily["day"] < days - skip_days)]
    known = problems[(problems["known_h"] >= start_h) & (problems["known_h"] < end_h)]
    sojourn_h = known["closed_h"].fillna(run_end_h) - known["known_h"]
    arrivals_per_h = len(known) / (end_h - start_h)
    return float(window["open"].mean() / (arrivals_per_h * sojourn_h.mean()))


def little_check(runs: list[tuple[pd.DataFrame, pd.DataFrame]], label: str) -> dict:
    """Little's law on each seed's run; the value is the mean ratio over seeds."""
    ratios = [little_ratio(problems, daily) for problems, daily in runs]
    return ref.LITTLE.result(
        f"Little's law L / λW, {label}", SECTION, float(np.mean(ratios)), detail={"by_seed": ratios}
    )


def ledger_checks(costs: pd.DataFrame, daily: pd.DataFrame, summary_cost_yuan: dict) -> list:
    """Rows are quantity × unit cost; rows, categories and payers add up to each day's total;
    summary.json's total is the daily sum. Shadow rows are priced, never spent."""
    nonzero = costs["yuan"] != 0
    row_error = (costs["quantity"] * costs["unit_cost_yuan"] - costs["yuan"]).abs()[
        nonzero
    ] / costs["yuan"].abs()[nonzero]
    spent = costs[costs["category"] != "shadow"]
    total = daily.set_index("day")["spend_total_yuan"]
    rows_by_day = spent.groupby("day")["yuan"].sum().reindex(total.index).fillna(0.0)
    categories = [c for c in spent["category"].unique()]
    payers = [p for p in spent["payer"].unique()]
    by_category = daily[[f"spend_{c}_yuan" for c in categories]].sum(axis=1).to_numpy()
    by_payer = daily[[f"spend_{p}_yuan" for p in payers]].sum(axis=1).to_numpy()
    gaps = {
        "ledger_rows_vs_daily_total": float((rows_by_day - total).abs().max()),
        "categories_vs_daily_total": float(np.abs(by_category - total.to_numpy()).max()),
        "payers_vs_daily_total": float(np.abs(by_payer - total.to_numpy()).max()),
        "summary_vs_daily_total": abs(summary_cost_yuan["total"] - float(total.sum())),
    }
    detail = {"rows": len(costs), "items": sorted(costs["item"].unique()), **gaps}
    return [
        ref.LEDGER_ROWS.result(
            "ledger: yuan = quantity × unit cost (max relative error)",
            SECTION,
            float(row_error.max()) if len(row_error) else None,
            detail=detail,
        ),
        ref.LEDGER_SUMS.result(
            "ledger: rows, categories, payers and summary add up (max yuan off)",
            SECTION,
            max(gaps.values()),
            detail=detail,
        ),
    ]
