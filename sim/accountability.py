"""考核: the monthly three-rate ranking of street offices and the pressure it sets.

Each month, every street office is scored on its hotline orders closed in the month:
response rate (contacted within the contact deadline), rated resolution rate and rated
satisfaction rate (both from callbacks, exempted orders left out), weighted. Rank sets
pressure from 0 (best) to 1 (worst). Pressure only reallocates staff time: it gives hotline
orders queue priority, sends persuasion contacts before callbacks (`rating_lift_share`) and
files exemption requests (`exemption_share`). Real outcomes are never touched.
"""

from __future__ import annotations

import numpy as np

from sim.records import HOTLINE, ProblemLog

MONTH_DAYS = 30


def monthly_rates(log: ProblemLog, n_streets: int, t0_h: float, t1_h: float) -> np.ndarray:
    """(n_streets x 3) response, rated resolution and rated satisfaction rates; NaN if none."""
    closed = log.closed_h
    month = (log.channel == HOTLINE) & (closed > t0_h) & (closed <= t1_h)
    ids = np.flatnonzero(month)
    street = log.street_office[ids]
    on_time = (log.responded_h[ids] - log.known_h[ids]) <= log.contact_deadline_h[ids]
    called = log.rated_resolved[ids] >= 0
    rates = np.full((n_streets, 3), np.nan)
    for s in range(n_streets):
        here = street == s
        if here.any():
            rates[s, 0] = on_time[here].mean()
        rated = here & called
        if rated.any():
            rates[s, 1] = (log.rated_resolved[ids][rated] == 1).mean()
            rates[s, 2] = (log.rated_satisfied[ids][rated] == 1).mean()
    return rates


def pressure_from_rank(rates: np.ndarray, weights: tuple[float, float, float]) -> np.ndarray:
    """Weighted score, ranked; pressure 0 for the best street office, 1 for the worst."""
    n = len(rates)
    if n == 1:
        return np.zeros(1)
    filled = np.where(np.isnan(rates), np.nanmean(rates, axis=0, keepdims=True), rates)
    filled = np.nan_to_num(filled, nan=0.0)
    score = filled @ np.asarray(weights, float)
    rank = np.empty(n)
    rank[np.argsort(-score, kind="stable")] = np.arange(n)
    return rank / (n - 1)
