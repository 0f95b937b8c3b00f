"""summary.json: the headline metrics of a run, computed from its problem log and daily table.

Quantiles of time to first contact and to close are Kaplan-Meier estimates, with problems
still open at the end (and those abandoned before the event) censored. Rates and gaps are
defined in ODD.md ("Outputs"); "positive = migrants worse" for every gap.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import CensoredData, ecdf

from sim.records import HANDLERS


def km_quantiles(
    duration_h: np.ndarray, observed: np.ndarray, probs=(0.5, 0.9)
) -> list[float | None]:
    """Kaplan-Meier quantiles; None where the survival curve never falls that low."""
    duration_h = np.asarray(duration_h, float)
    observed = np.asarray(observed, bool)
    if len(duration_h) == 0 or not observed.any():
        return [None for _ in probs]
    data = CensoredData(uncensored=duration_h[observed], right=duration_h[~observed])
    cdf = ecdf(data).cdf
    out = []
    for p in probs:
        reached = np.flatnonzero(cdf.probabilities >= p - 1e-12)
        out.append(float(cdf.quantiles[reached[0]]) if len(reached) else None)
    return out


def _share(flags: np.ndarray) -> float | None:
    """Share of true flags (None for no cases)."""
    return float(np.mean(flags)) if len(flags) else None


def _gap(resident: float | None, migrant: float | None) -> float | None:
    """Resident minus migrant: positive = migrants worse for a higher-is-better share."""
    if resident is None or migrant is None:
        return None
    return resident - migrant


def _clean(value):
    """NaN and infinity become None (JSON null), in nested dicts too."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


_HANDLING_UNITS = list(HANDLERS[:6])  # units that take dispatched cases (not finders)
_CLOSED = ["solved", "closed_unsolved"]  # the event "closed"; abandoned is censored


def group_metrics(p: pd.DataFrame, end_h: float) -> dict:
    """Headline metrics of one group (or everyone) from the problem table `p`; `end_h` is
    the end of the run (T), where open problems are censored."""
    known = p[p["known_h"].notna()]
    dispatched = known[known["handler"].isin(_HANDLING_UNITS)]
    contact = (dispatched["responded_h"] - dispatched["known_h"]).to_numpy()
    # a contact scheduled after the horizon has not happened yet: censored at T
    contacted = (dispatched["responded_h"] <= end_h).to_numpy()
    contact_censor = np.where(
        contacted,
        contact,
        (dispatched["closed_h"].fillna(end_h).clip(upper=end_h) - dispatched["known_h"]).to_numpy(),
    )
    terminal = known["status"].isin(_CLOSED).to_numpy()
    # closed problems at their closing hour; abandoned ones censored there, open ones at T
    close = (known["closed_h"].fillna(end_h) - known["known_h"]).to_numpy()
    # from a need arising to its closure, for every need (latent and open ones censored at T,
    # self-resolved and lapsed ones where they ended): earlier discovery shows here
    arisen = p[p["arisen_h"] >= 0]  # needs of the run (not those a warm start carried in)
    arise_to_close = arisen["closed_h"].fillna(end_h).clip(upper=end_h) - arisen["arisen_h"]
    ended = arisen["status"].isin(_CLOSED)
    (p50_arise_close,) = km_quantiles(arise_to_close.to_numpy(), ended, (0.5,))
    p50_contact, p90_contact = km_quantiles(contact_censor, contacted)
    p50_close, p90_close = km_quantiles(close, terminal)
    due = dispatched[dispatched["known_h"] + dispatched["contact_deadline_h"] <= end_h]
    on_time_contact = (due["responded_h"] - due["known_h"]) <= due["contact_deadline_h"]
    due_close = dispatched[dispatched["known_h"] + dispatched["closure_deadline_h"] <= end_h]
    closed_on_time = due_close["status"].isin(_CLOSED) & (
        (due_close["closed_h"] - due_close["known_h"]) <= due_close["closure_deadline_h"]
    )
    called = known[known["rated_resolved"].notna()]
    # shares of needs count the needs already due at T (their closure limit has passed)
    due_needs = arisen[arisen["arisen_h"] + arisen["closure_deadline_h"] <= end_h]
    solved_by_deadline = (due_needs["status"] == "solved") & (
        (due_needs["closed_h"] - due_needs["arisen_h"]) <= due_needs["closure_deadline_h"]
    )
    rated = _share(called["rated_resolved"].astype(bool).to_numpy())
    real = _share((called["status"] == "solved").to_numpy())
    return {
        "problems": len(p),
        "known": len(known),
        "median_contact_h": p50_contact,
        "p90_contact_h": p90_contact,
        "median_close_h": p50_close,
        "median_arise_to_close_h": p50_arise_close,
        "p90_close_h": p90_close,
        "response_rate": _share(on_time_contact.to_numpy()),
        "on_time_closure_rate": _share(closed_on_time.to_numpy()),
        "known_share_arisen": _share(due_needs["known_h"].notna().to_numpy()),
        "solved_share_known": _share((known["status"] == "solved").to_numpy()),
        "solved_share_arisen": _share((due_needs["status"] == "solved").to_numpy()),
        "unmet_needs": int((due_needs["status"] != "solved").sum()),
        "solved_by_deadline_share_arisen": _share(solved_by_deadline.to_numpy()),
        "resolution_rate": rated,
        "real_resolution_rate": real,
        "rated_real_gap": None if rated is None else rated - real,
        "satisfaction_rate": _share(called["rated_satisfied"].astype(bool).to_numpy()),
        "callbacks": len(called),
    }


def service_gap(p: pd.DataFrame, end_h: float) -> float | None:
    """On-time closure, resident minus migrant, within strata of the same kind and channel."""
    known = p[p["known_h"].notna() & p["handler"].isin(_HANDLING_UNITS)]
    known = known[known["known_h"] + known["closure_deadline_h"] <= end_h]
    if known.empty:
        return None
    on_time = known["status"].isin(_CLOSED) & (
        (known["closed_h"] - known["known_h"]) <= known["closure_deadline_h"]
    )
    frame = pd.DataFrame(
        {
            "kind": known["kind"].astype(str),
            "channel": known["channel"].astype(str),
            "group": known["group"].astype(str),
            "on_time": on_time.astype(float),
        }
    )
    rates = frame.pivot_table(
        index=["kind", "channel"],
        columns="group",
        values="on_time",
        aggfunc=["mean", "size"],
        observed=True,
    )
    if ("mean", "resident") not in rates or ("mean", "migrant") not in rates:
        return None
    both = rates.dropna(subset=[("mean", "resident"), ("mean", "migrant")])
    if both.empty:
        return None
    weight = both[("size", "resident")] + both[("size", "migrant")]
    diff = both[("mean", "resident")] - both[("mean", "migrant")]
    return float((diff * weight).sum() / weight.sum())


def call_counts(problems: pd.DataFrame, calls: pd.DataFrame, daily: pd.DataFrame) -> dict:
    """What reached the hotline, by type (definitions: ODD.md §8): every contact is a call;
    consultations are answered on the line; reports, duplicates and repeats are 诉求 about a
    problem; a work order is a problem first known through the hotline that went to a
    handling unit."""
    by_type = calls["call_type"].astype(str).value_counts()
    consultations = int(daily["consultations_total"].iloc[-1])
    total = int(daily["calls_total"].iloc[-1])
    frequent = int(daily["consultations_frequent_total"].iloc[-1]) + _frequent_owner_calls(
        problems, calls
    )
    people = float((daily["people_resident"] + daily["people_migrant"]).mean())
    orders = (
        (problems["channel"] == "hotline")
        & problems["handler"].isin(_HANDLING_UNITS)
        & (problems["known_h"] >= 0)  # not the cases a warm start carried in
    )
    return {
        "consultations": consultations,
        "reports": int(by_type.get("report", 0)),
        "duplicates": int(by_type.get("duplicate", 0)),
        "repeats": int(by_type.get("repeat", 0)),
        "work_orders": int(orders.sum()),
        "per_person_year": total / people / (len(daily) / 365.0) if people > 0 else None,
        "non_consultation_share": (total - consultations) / total if total else None,
        "by_frequent_callers": frequent,
        "by_frequent_callers_share": frequent / total if total else None,
    }


def _frequent_owner_calls(problems: pd.DataFrame, calls: pd.DataFrame) -> int:
    """Calls a frequent caller made about their own problem: the report of one that is
    theirs alone, and every repeat call (duplicates are other people's)."""
    frequent = problems.loc[problems["frequent_caller"], ["problem_id", "scope"]]
    mine = calls.merge(frequent, on="problem_id")
    own_report = (mine["call_type"] == "report") & (mine["scope"] == "individual")
    return int((own_report | (mine["call_type"] == "repeat")).sum())


def summarise(problems: pd.DataFrame, daily: pd.DataFrame, end_h: float, extra: dict) -> dict:
    """The contents of summary.json (what each number means: ODD.md §8, sim/outcomes.py)."""
    groups = {name: problems[problems["group"] == name] for name in ("resident", "migrant")}
    metrics = {"all": group_metrics(problems, end_h)}
    metrics.update({name: group_metrics(frame, end_h) for name, frame in groups.items()})
    last = daily.iloc[-1]
    spend_columns = [c for c in daily.columns if c.startswith("spend_") and c.endswith("_yuan")]
    summary = {
        **metrics["all"],
        "by_group": {name: metrics[name] for name in ("resident", "migrant")},
        "equity_gaps": {
            "reporting_gap": _gap(
                metrics["resident"]["known_share_arisen"], metrics["migrant"]["known_share_arisen"]
            ),
            "service_gap": service_gap(problems, end_h),
            "outcome_gap": _gap(
                metrics["resident"]["solved_by_deadline_share_arisen"],
                metrics["migrant"]["solved_by_deadline_share_arisen"],
            ),
        },
        "satisfaction_mean": {g: float(last[f"satisfaction_{g}"]) for g in ("resident", "migrant")},
        "trust_mean": {g: float(last[f"trust_{g}"]) for g in ("resident", "migrant")},
        "volunteers_active_mean": float(daily["volunteers_active"].mean()),
        "volunteer_hours_total": float(daily["volunteer_hours"].sum()),
        "calls_total": int(last["calls_total"]),
        "consultations_total": int(last["consultations_total"]),
        "cost_yuan": {
            c.removeprefix("spend_").removesuffix("_yuan"): float(daily[c].sum())
            for c in spend_columns
        },
        **extra,
    }
    return _clean(summary)


def mean_satisfaction(daily: pd.DataFrame) -> pd.Series:
    """Each day's mean satisfaction of everyone present (the groups weighted by size)."""
    people = daily["people_resident"] + daily["people_migrant"]
    return (
        daily["satisfaction_resident"] * daily["people_resident"]
        + daily["satisfaction_migrant"] * daily["people_migrant"]
    ) / people


def resilience(daily: pd.DataFrame, shocks: list[dict]) -> dict[str, float]:
    """Peak backlog, days to recover and satisfaction dip around a run's shocks (each a
    dict with `start_day` and `duration_days`); empty without shocks or days around them.
    Not in summary.json: the experiment layer computes it from daily.parquet."""
    if not shocks:
        return {}
    start_day = min(s["start_day"] for s in shocks)
    end_day = max(s["start_day"] + s["duration_days"] for s in shocks)
    before, after = daily["day"] < start_day, daily["day"] >= start_day
    if not before.any() or not after.any():
        return {}
    normal_open = daily.loc[before, "open"].tail(30).mean()
    peak_open = float(daily.loc[after, "open"].max())
    calm = daily[(daily["day"] >= end_day) & (daily["open"] <= 1.1 * normal_open)]
    satisfaction = mean_satisfaction(daily)
    return {
        "peak_open": peak_open,
        "peak_open_ratio": peak_open / max(normal_open, 1e-9),
        "recovery_days": float(calm["day"].iloc[0] - end_day) if len(calm) else float("nan"),
        "satisfaction_dip": float(satisfaction[before].tail(30).mean() - satisfaction[after].min()),
    }
