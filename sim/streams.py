"""Named random streams spawned from the run's seed (common random numbers).

Every process draws from its own generator, spawned from one `SeedSequence` in a fixed
order, so two runs with the same seed under different policies see the same needs, the same
per-problem draws and the same migration, and a policy comparison is paired.
"""

from __future__ import annotations

import numpy as np

STREAM_NAMES: tuple[str, ...] = (
    "city",  # layout
    "population",  # initial attributes
    "needs",  # candidate needs and every per-problem draw
    "migration",  # stays, vacancies, arrivals' attributes
    "background",  # departments' own workload
    "calls",  # consultations and duplicate calls
    "behaviour",  # who attends residents' meetings (deliberation)
    "shocks",  # arrival waves (added last: earlier streams stay as they were)
    "awareness",  # who learns of the hotline, and when (added after: the others unchanged)
    "callers",  # who calls often (高频来电): a draw per person taking a place (added last)
    "frequent_calls",  # frequent callers' consultations: two draws a day (added last)
)


def spawn_streams(seed: int) -> dict[str, np.random.Generator]:
    """One generator per process, always spawned in the order of `STREAM_NAMES`."""
    children = np.random.SeedSequence(seed).spawn(len(STREAM_NAMES))
    return {
        name: np.random.default_rng(child)
        for name, child in zip(STREAM_NAMES, children, strict=True)
    }
