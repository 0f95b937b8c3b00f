"""Checks of people's side: who reports (not how fast), pay and volunteering, and
expectation-disconfirmation, from the problem log and daily table of fresh runs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.validation import references as ref
from sim.validation.beijing_checks import HANDLING_UNITS

SECTION = "people"
_CLOSED = ["solved", "closed_unsolved"]


def reporting_gap(problems: pd.DataFrame, end_h: float) -> float:
    """Known share of needs already due at the end (closure limit passed), resident − migrant."""
    due = problems[problems["arisen_h"] + problems["closure_deadline_h"] <= end_h]
    known = due["known_h"].notna().groupby(due["group"].astype(str)).mean()
    return float(known["resident"] - known["migrant"])


def _hours(problems: pd.DataFrame, until: str) -> pd.DataFrame:
    """Hours from known to first contact (`responded_h`) or to closure (`closed_h`) of
    dispatched problems that got there; columns kind, channel, group, hours."""
    p = problems[problems["known_h"].notna() & problems["handler"].isin(HANDLING_UNITS)]
    if until == "closed_h":
        p = p[p["status"].isin(_CLOSED)]
    p = p[p[until].notna()]
    return pd.DataFrame(
        {
            "kind": p["kind"].astype(str),
            "channel": p["channel"].astype(str),
            "group": p["group"].astype(str),
            "hours": p[until] - p["known_h"],
        }
    )


def speed_ratio(problems: pd.DataFrame, until: str) -> tuple[float | None, dict]:
    """Migrant / resident median hours within kind × channel cells that have at least
    `MIN_CELL_CASES` cases of each group and a positive median for both, pooled as the
    geometric mean of the cells' ratios weighted by their cases (seeds pooled into cells)."""
    cells = _hours(problems, until).groupby(["kind", "channel", "group"])["hours"]
    stats = cells.agg(["median", "size"]).unstack("group")
    n_res, n_mig = stats[("size", "resident")], stats[("size", "migrant")]
    med_res, med_mig = stats[("median", "resident")], stats[("median", "migrant")]
    usable = (n_res >= ref.MIN_CELL_CASES) & (n_mig >= ref.MIN_CELL_CASES)
    usable &= (med_res > 0) & (med_mig > 0)
    detail = {
        "cells_compared": int(usable.sum()),
        "cells": len(stats),
        "min_cases_per_group": ref.MIN_CELL_CASES,
    }
    if not usable.any():
        return None, detail
    log_ratio = np.log(med_mig[usable] / med_res[usable])
    weight = (n_res + n_mig)[usable]
    detail["cases_compared_share"] = float(weight.sum() / (n_res.fillna(0) + n_mig.fillna(0)).sum())
    detail["smallest_cell_ratio"] = float(np.exp(log_ratio.min()))
    detail["largest_cell_ratio"] = float(np.exp(log_ratio.max()))
    return float(np.exp(np.average(log_ratio, weights=weight))), detail


def equity_checks(problems: pd.DataFrame, end_h: float) -> list:
    """Who reports, not how fast (baseline district, seeds pooled)."""
    contact, contact_detail = speed_ratio(problems, "responded_h")
    close, close_detail = speed_ratio(problems, "closed_h")
    return [
        ref.REPORTING_GAP.result(
            "needs known: residents − migrants", SECTION, reporting_gap(problems, end_h)
        ),
        ref.SAME_SPEED.result(
            "hours to contact, migrant / resident (same kind × channel)",
            SECTION,
            contact,
            detail=contact_detail,
        ),
        ref.SAME_SPEED.result(
            "hours to close, migrant / resident (same kind × channel)",
            SECTION,
            close,
            detail=close_detail,
        ),
    ]


def pay_checks(volunteers_by_stipend: dict[float, np.ndarray]) -> list:
    """Mean active volunteers at a small and at a wage-level stipend against unpaid (the
    same seeds in each condition)."""
    unpaid, small, wage = ref.STIPENDS_YUAN_PER_H
    mean = {s: float(np.mean(v)) for s, v in volunteers_by_stipend.items()}
    detail = {"volunteers_active_mean_by_stipend_yuan_per_h": mean}
    return [
        ref.PAY_DIP.result(
            f"volunteers at {small:g} yuan/h / unpaid",
            SECTION,
            mean[small] / mean[unpaid],
            None,
            detail,
        ),
        ref.PAY_RISE.result(
            f"volunteers at {wage:g} yuan/h / unpaid",
            SECTION,
            mean[wage] / mean[unpaid],
            None,
            detail,
        ),
    ]


def logit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Logistic regression by Newton's method: coefficients and their standard errors."""
    beta = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        hessian = x.T @ (x * (p * (1.0 - p))[:, None])
        step = np.linalg.solve(hessian, x.T @ (y - p))
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    return beta, np.sqrt(np.diag(np.linalg.inv(hessian)))


def disconfirmation_table(problems: pd.DataFrame) -> pd.DataFrame:
    """Called cases: rated satisfied, disconfirmation (expected − actual hours to close) /
    expected clipped to [−1, 1], solved (performance), contacted within the limit."""
    c = problems[problems["rated_satisfied"].notna() & problems["expected_h"].gt(0)]
    actual_h = c["closed_h"] - c["known_h"]
    return pd.DataFrame(
        {
            "satisfied": c["rated_satisfied"].astype(float),
            "disconfirmation": ((c["expected_h"] - actual_h) / c["expected_h"]).clip(-1.0, 1.0),
            "solved": (c["status"] == "solved").astype(float),
            "on_time": ((c["responded_h"] - c["known_h"]) <= c["contact_deadline_h"]).astype(float),
        }
    )


def edt_checks(problems: pd.DataFrame) -> list:
    """Expectation-disconfirmation on callbacks: logit(rated satisfied) on disconfirmation,
    performance (solved) and contact on time; both effects must be positive (95 % CI > 0)."""
    t = disconfirmation_table(problems)
    columns = [np.ones(len(t)), t["disconfirmation"], t["solved"]]
    if t["on_time"].nunique() > 1:  # a control only where contact timing varies
        columns.append(t["on_time"])
    x = np.column_stack(columns)
    beta, se = logit(x, t["satisfied"].to_numpy())
    out = []
    for i, (reference, label) in enumerate(
        [(ref.EDT_DISCONFIRMATION, "disconfirmation"), (ref.EDT_PERFORMANCE, "performance")],
        start=1,
    ):
        low, high = beta[i] - 1.96 * se[i], beta[i] + 1.96 * se[i]
        check = reference.result(
            f"satisfaction rises with {label} (95 % CI low)",
            SECTION,
            low,
            detail={
                "coefficient": float(beta[i]),
                "ci95": [float(low), float(high)],
                "callbacks": len(t),
                "model": "logit(satisfied) ~ 1 + disconfirmation + solved + contacted_on_time",
            },
        )
        out.append(check)
    return out
