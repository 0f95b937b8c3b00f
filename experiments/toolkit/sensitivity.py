"""Which assumptions drive the outcomes: Morris screening (μ*, σ) and Sobol first- and
total-order indices with bootstrap confidence intervals (SALib), for every outcome under
baseline, under the policy, and on the policy's paired effect; one sentence per outcome."""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.toolkit.design import salib_problem
from experiments.toolkit.problem import Problem, Toolkit
from sim import outcomes

RESPONSES = ("baseline", "policy", "effect")
MIN_TOTAL_ORDER = 0.05  # a total-order index below this is not named as mattering


def morris_indices(spec: dict, x: np.ndarray, y: np.ndarray, levels: int, seed: int):
    """μ* (mean absolute elementary effect, with its bootstrap interval) and σ per parameter."""
    from SALib.analyze import morris

    found = morris.analyze(spec, x, y, num_levels=levels, seed=seed)
    return pd.DataFrame(
        {
            "parameter": spec["names"],
            "mu_star": found["mu_star"],
            "mu_star_conf": found["mu_star_conf"],
            "sigma": found["sigma"],
        }
    )


def sobol_indices(spec: dict, y: np.ndarray, settings: Toolkit, seed: int) -> pd.DataFrame:
    """First-order (S1) and total-order (ST) indices with their interval half-widths."""
    from SALib.analyze import sobol

    found = sobol.analyze(
        spec, y, calc_second_order=False, num_resamples=settings.sobol.bootstrap_resamples,
        conf_level=settings.sobol.confidence_level, seed=seed,
    )  # fmt: skip
    return pd.DataFrame(
        {
            "parameter": spec["names"],
            "S1": found["S1"],
            "S1_conf": found["S1_conf"],
            "ST": found["ST"],
            "ST_conf": found["ST_conf"],
        }
    )


def analyse(per_point: pd.DataFrame, problem: Problem, settings: Toolkit, seed: int):
    """Long table: outcome, response, parameter and both methods' indices. A response with
    a missing value at some point, or none that varies, gets no indices (`note` says why)."""
    spec = salib_problem(problem)
    morris_rows = per_point[per_point["design"] == "morris"]
    sobol_rows = per_point[per_point["design"] == "sobol"]
    tables = []
    for outcome in problem.outcomes:
        for response in RESPONSES:
            column = f"{outcome}:{response}"
            note = _unusable(per_point[column])
            if note is None:
                x = morris_rows[spec["names"]].to_numpy()
                found = morris_indices(
                    spec, x, morris_rows[column].to_numpy(), settings.morris.levels, seed
                ).merge(sobol_indices(spec, sobol_rows[column].to_numpy(), settings, seed))
            else:
                found = pd.DataFrame({"parameter": spec["names"]})
            tables.append(found.assign(outcome=outcome, response=response, note=note))
    columns = ["outcome", "response", "parameter", "note"]
    table = pd.concat(tables, ignore_index=True)
    return table[columns + [c for c in table if c not in columns]]


def _unusable(values: pd.Series) -> str | None:
    missing = int(values.isna().sum())
    if missing:
        return f"{missing} of {len(values)} points have no value"
    if np.ptp(values.to_numpy()) == 0:
        return "does not vary"
    return None


WORDS = {
    "en": {
        "baseline": "under baseline", "policy": "under the policy",
        "effect": "the policy's effect", "none": "no assumption matters (all ST < {t})",
        "skip": "not computed ({note})", "and": " and ",
    },
    "zh": {
        "baseline": "基线下", "policy": "政策下", "effect": "政策效果",
        "none": "没有假设起主要作用 (所有总效应指数 < {t})", "skip": "未计算 ({note})", "and": "和",
    },
}  # fmt: skip


def _drivers(block: pd.DataFrame, lang: str) -> str:
    words = WORDS[lang]
    if block["note"].notna().any():
        return words["skip"].format(note=block["note"].iloc[0])
    top = block.sort_values("ST", ascending=False)
    top = top[top["ST"] >= MIN_TOTAL_ORDER].head(2)
    if top.empty:
        return words["none"].format(t=MIN_TOTAL_ORDER)
    named = [f"{r.parameter} (ST {r.ST:.2f} ± {r.ST_conf:.2f})" for r in top.itertuples()]
    return words["and"].join(named)


def sentences(table: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    """One sentence per outcome naming the assumptions with the largest total-order index,
    under baseline, under the policy and on its effect."""
    out = {}
    for outcome, rows in table.groupby("outcome", sort=False):
        parts = [
            f"{WORDS[lang][response]}: {_drivers(rows[rows['response'] == response], lang)}"
            for response in RESPONSES
        ]
        out[outcome] = f"{outcomes.label(outcome, lang)} ({outcome}) — " + "; ".join(parts) + "."
    return out
