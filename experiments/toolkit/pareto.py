"""Pareto fronts and targets, as plain functions over a table of candidates."""

from __future__ import annotations

import numpy as np
import pandas as pd


def non_dominated(values: np.ndarray, maximise: list[bool]) -> np.ndarray:
    """Which rows no other row dominates (at least as good in every column, better in one).
    Rows with a missing value are never on the front."""
    signed = np.where(maximise, -1.0, 1.0) * np.asarray(values, dtype=float)  # all minimised
    valid = ~np.isnan(signed).any(axis=1)
    front = valid.copy()
    for i in np.flatnonzero(valid):
        others = signed[valid]
        dominated = (others <= signed[i]).all(axis=1) & (others < signed[i]).any(axis=1)
        front[i] = not dominated.any()
    return front


def meets(table: pd.DataFrame, targets: dict[str, tuple[str, float]]) -> pd.Series:
    """Whether each candidate meets every target (`>=` or `<=` a value)."""
    ok = pd.Series(True, index=table.index)
    for name, (op, value) in targets.items():
        ok &= table[name] >= value if op == ">=" else table[name] <= value
    return ok


def violation(row: dict, targets: dict[str, tuple[str, float]]) -> list[float]:
    """Optuna's constraint values: ≤ 0 where a target is met, the shortfall where not."""
    return [
        (value - row[name] if op == ">=" else row[name] - value) if row[name] == row[name] else 1.0
        for name, (op, value) in targets.items()
    ]
