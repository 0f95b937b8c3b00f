"""The Beijing pattern over years, baseline against reform_2019: yearly rates, calls and needs
from the problem log, the call log and the daily table (seeds pooled: counts summed)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.records import HANDLERS
from sim.validation import references as ref

SECTION = "the Beijing pattern"
YEAR_H = 365 * 24.0
HANDLING_UNITS = list(HANDLERS[:6])  # units that take dispatched cases
RATES = ["rated_resolution", "rated_satisfaction"]  # rated at the callbacks, year by year


def _yearly_diff(daily: pd.DataFrame, column: str, years: int) -> np.ndarray:
    """Per year, the growth of a cumulative daily column, summed over seeds."""
    out = np.zeros(years)
    for _, one in daily.groupby("seed"):
        at_end = one.set_index("day")[column].reindex([365 * y - 1 for y in range(1, years + 1)])
        out += np.diff(np.concatenate([[0.0], at_end.to_numpy(float)]))
    return out


def yearly(problems: pd.DataFrame, calls: pd.DataFrame, daily: pd.DataFrame, years: int):
    """One row per year of one arm: rated and real resolution and satisfaction of the year's
    callbacks (by closing hour), calls by type, consultations and needs arisen."""
    table = yearly_rates(problems, years)
    by_type = (
        calls.assign(year=(calls["call_h"] // YEAR_H).astype(int) + 1)
        .pivot_table(
            index="year", columns="call_type", values="call_h", aggfunc="size", observed=False
        )
        .reindex(table.index)
        .fillna(0)
    )
    for name in ("report", "duplicate", "repeat"):
        table[f"calls_{name}"] = by_type.get(name, 0.0)
    table["consultations"] = _yearly_diff(daily, "consultations_total", years)
    table["calls"] = _yearly_diff(daily, "calls_total", years)
    table["needs_arisen"] = _yearly_diff(daily, "arisen_total", years)
    return table


def yearly_rates(problems: pd.DataFrame, years: int) -> pd.DataFrame:
    """Rated and real resolution and rated satisfaction of each year's callbacks (by closing
    hour), one row per year."""
    called = problems[problems["rated_resolved"].notna()]
    rates = (
        called.assign(
            year=(called["closed_h"] // YEAR_H).astype(int) + 1,
            rated_resolution=called["rated_resolved"].astype(float),
            rated_satisfaction=called["rated_satisfied"].astype(float),
            real_resolution=(called["status"] == "solved").astype(float),
        )
        .groupby("year")[[*RATES, "real_resolution"]]
        .mean()
    )
    return pd.DataFrame(index=pd.RangeIndex(1, years + 1, name="year")).join(rates)


def seed_spread(problems: pd.DataFrame, years: int) -> pd.DataFrame:
    """Per year, the standard error over seeds of each rated rate (`<rate>_se`) and of its
    change from the year before (`<rate>_rise_se`): how far from 0 a rise is (NaN with
    fewer than two seeds)."""
    stacked = np.stack([  # seed × year × rate
        yearly_rates(part, years)[RATES].to_numpy(float) for _, part in problems.groupby("seed")
    ])  # fmt: skip
    rises = np.diff(stacked, axis=1, prepend=np.nan)
    n = len(stacked)
    level_se, rise_se = (
        (x.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.full(x.shape[1:], np.nan))
        for x in (stacked, rises)
    )
    out = pd.DataFrame(index=pd.RangeIndex(1, years + 1, name="year"))
    for j, rate in enumerate(RATES):
        out[f"{rate}_se"] = level_se[:, j]
        out[f"{rate}_rise_se"] = rise_se[:, j]
    return out


def response_in_year_one(problems: pd.DataFrame) -> float | None:
    """Hotline orders known in days 183–365 contacted within their contact limit (none: late)."""
    start, end = 182.5 * 24.0, YEAR_H
    orders = problems[
        (problems["channel"] == "hotline")
        & problems["handler"].isin(HANDLING_UNITS)
        & (problems["known_h"] >= start)
        & (problems["known_h"] < end)
    ]
    if orders.empty:
        return None
    on_time = (orders["responded_h"] - orders["known_h"]) <= orders["contact_deadline_h"]
    return float(on_time.mean())


def _smallest_rise(series: pd.Series) -> float | None:
    rises = series.diff().dropna()
    return float(rises.min()) if len(rises) else None


def beijing_checks(
    base: pd.DataFrame, reform: pd.DataFrame, response: float | None, spread: pd.DataFrame
) -> list:
    """The pattern's checks from the two arms' yearly tables (`yearly`) and the reform's
    spread over seeds (`seed_spread`, shown beside the rises)."""
    years = len(reform)
    non_consultation = reform[["calls_report", "calls_duplicate", "calls_repeat"]].sum().sum()
    table = {
        "baseline": base.reset_index().to_dict("list"),
        "reform_2019": reform.reset_index().to_dict("list"),
    }
    return [
        ref.RESPONSE.result("response within limit, reform year 1 H2", SECTION, response),
        ref.RISES.result(
            "rated resolution rises every year (smallest rise)",
            SECTION,
            _smallest_rise(reform["rated_resolution"]),
            detail=_by_year(reform, spread, "rated_resolution"),
            informed_by=ref.RESOLUTION_START,
        ),
        ref.RISES.result(
            "rated satisfaction rises every year (smallest rise)",
            SECTION,
            _smallest_rise(reform["rated_satisfaction"]),
            detail=_by_year(reform, spread, "rated_satisfaction"),
            informed_by=ref.SATISFACTION_SPLIT,
        ),
        ref.SAT_OVER_RES.result(
            "satisfaction ≥ resolution every year (smallest margin)",
            SECTION,
            (reform["rated_satisfaction"] - reform["rated_resolution"]).min(),
            informed_by=ref.SATISFACTION_SPLIT,
        ),
        ref.CALLS_FIRST_YEAR.result(
            "calls: reform year 1 / baseline year 1",
            SECTION,
            reform["calls"].iloc[0] / base["calls"].iloc[0],
        ),
        ref.CALLS_GROWTH.result(
            f"calls: reform year {years} / baseline year 1",
            SECTION,
            reform["calls"].iloc[-1] / base["calls"].iloc[0],
            detail={
                "reform_calls_by_year": reform["calls"].tolist(),
                "baseline_calls_by_year": base["calls"].tolist(),
            },
        ),
        ref.NEEDS_EQUAL.result(
            f"needs arisen over {years} years: reform / baseline",
            SECTION,
            reform["needs_arisen"].sum() / base["needs_arisen"].sum(),
        ),
        ref.NON_CONSULTATION.result(
            "non-consultation share of calls (reform)",
            SECTION,
            non_consultation / reform["calls"].sum(),
        ),
        _rated_gap(base, reform, table),
    ]


def _by_year(reform: pd.DataFrame, spread: pd.DataFrame, rate: str) -> dict:
    return {
        "by_year": reform[rate].tolist(),
        "rise_by_year": reform[rate].diff().tolist(),
        "rise_se_by_year": spread[f"{rate}_rise_se"].tolist(),  # over seeds
    }


def _rated_gap(base: pd.DataFrame, reform: pd.DataFrame, table: dict):
    """Rated ≥ real in every year of both arms; the gaps by arm and year are shown."""
    gap_reform = reform["rated_resolution"] - reform["real_resolution"]
    gap_base = base["rated_resolution"] - base["real_resolution"]
    return ref.RATED_GAP.result(
        "rated − real resolution, smallest yearly gap of both arms",
        SECTION,
        float(min(gap_reform.min(), gap_base.min())),
        detail={
            "reform_gap_by_year": gap_reform.tolist(),
            "baseline_gap_by_year": gap_base.tolist(),
            "reform_minus_baseline": float(gap_reform.mean() - gap_base.mean()),
            **table,
        },
    )
