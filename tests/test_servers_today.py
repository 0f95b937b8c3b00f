"""`staffing.servers_today` (the day's servers in one compiled pass) is the numpy form."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.handlers import MIN_CAPACITY
from sim.stages.staffing import servers_today


def _numpy_form(planned, pressed, office_day_h, available, speed, free_lo, free_hi):
    """What `apply_servers` computed with numpy: capacity, pressed today, the hours summed,
    and the pools whose servers' capacity differs."""
    capacity = np.maximum(MIN_CAPACITY, (planned + pressed) * available)
    pressed_today = pressed * available
    current = speed * (free_hi - free_lo)
    changed = np.flatnonzero(~(np.abs(capacity - current) <= 1e-12))
    return capacity, pressed_today, pressed_today * office_day_h, changed


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 40), st.integers(0, 2**32 - 1), st.sampled_from([1.0, 0.7, 1 / 3]))
def test_servers_today_is_the_numpy_form(n, seed, available):
    rng = np.random.default_rng(seed)
    planned = np.round(rng.random(n) * 4.0, 1) * (rng.random(n) < 0.9)  # some below the floor
    pressed = rng.random(n) * (rng.random(n) < 0.5)
    office_day_h = rng.choice([8.0, 9.5, 24.0], n)
    servers = rng.integers(1, 5, n)
    free_hi = np.cumsum(servers)
    speed = np.maximum(MIN_CAPACITY, (planned + pressed) * available) / servers
    speed[rng.random(n) < 0.3] *= 1.5  # pools whose capacity changes today
    got = servers_today(
        (planned, pressed, office_day_h), available, (speed, free_hi - servers, free_hi)
    )
    expected = _numpy_form(planned, pressed, office_day_h, available, speed, free_hi - servers,
                           free_hi)  # fmt: skip
    for a, b in zip(got, expected, strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert float(got[2].sum()) == float((pressed * available * office_day_h).sum())
