"""The analytic limit: with its social features off the model is the M/M/c queue (Erlang C)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import load_params
from sim.runner import simulate


def erlang_c(lam: float, mu: float, c: int) -> tuple[float, float]:
    """P(wait > 0) and the wait rate (c mu - lam) of M/M/c."""
    a, rho = lam / mu, lam / (c * mu)
    head = sum(a**k / math.factorial(k) for k in range(c))
    tail = a**c / math.factorial(c) / (1 - rho)
    return tail / (head + tail), c * mu - lam


def waits(lam, mu, c, seeds=16, days=365) -> np.ndarray:
    out = []
    for seed in range(seeds):
        params = load_params(
            "textbook_queue",
            overrides=[
                f"scenario.arrival_rate_per_h={lam}",
                f"scenario.service_rate_per_h={mu}",
                f"scenario.servers={c}",
                f"sim.days={days}",
                "sim.progress=false",
            ],
            seed=seed,
        )
        p = simulate(params).problems()
        assert (p["known_h"] == p["arisen_h"]).all()
        started = p[p["responded_h"].notna()]
        out.append((started["responded_h"] - started["arisen_h"]).to_numpy())
    return np.concatenate(out)


@pytest.mark.parametrize(("lam", "mu", "c"), [(4.0, 1.0, 5), (2.0, 1.0, 3), (1.5, 2.0, 1)])
def test_wait_matches_erlang_c(lam, mu, c):
    w = waits(lam, mu, c)
    p_wait, rate = erlang_c(lam, mu, c)
    assert w.mean() == pytest.approx(p_wait / rate, rel=0.10)
    for t in (0.0, 0.25, 1.0):
        expected = p_wait * math.exp(-rate * t)
        assert (w > t).mean() == pytest.approx(expected, abs=0.03)


def test_more_servers_never_lengthen_any_wait():
    """FCFS with service times drawn at arrival: adding a server is monotone, job by job."""
    by_servers = {}
    for c in (3, 4, 6):
        params = load_params(
            "textbook_queue",
            overrides=[
                "scenario.arrival_rate_per_h=2.5",
                "scenario.servers=" + str(c),
                "sim.days=120",
                "sim.progress=false",
            ],
            seed=7,
        )
        p = simulate(params).problems()
        by_servers[c] = (p["responded_h"] - p["arisen_h"]).to_numpy()
    assert len(by_servers[3]) == len(by_servers[4]) == len(by_servers[6])
    finished = ~np.isnan(by_servers[3])
    assert np.all(by_servers[4][finished] <= by_servers[3][finished] + 1e-9)
    assert np.all(by_servers[6][finished] <= by_servers[4][finished] + 1e-9)
    assert by_servers[6][finished].mean() < by_servers[3][finished].mean()


def test_unstable_queue_is_refused():
    from sim.config.types import ConfigError

    with pytest.raises(ConfigError, match="utilisation"):
        load_params("textbook_queue", overrides=["scenario.arrival_rate_per_h=10"])
