"""Awareness of the hotline (Bass diffusion): who does not know 12345 cannot call it, and
knowing spreads with publicity and satisfied neighbours."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import run

from sim.records import CHANNELS, HOTLINE


def _aware(resident: float, migrant: float, p: float = 0.03, q: float = 0.38) -> list[str]:
    return [
        f"scenario.population.resident.initial_hotline_awareness_share={resident}",
        f"scenario.population.migrant.initial_hotline_awareness_share={migrant}",
        f"scenario.behaviour.publicity_rate_per_year={p}",
        f"scenario.behaviour.word_of_mouth_rate_per_year={q}",
    ]


def test_nobody_aware_means_no_hotline_report_and_no_consultation():
    model = run(days=60, seed=4, overrides=_aware(0.0, 0.0, p=0.0, q=0.0))
    problems, daily = model.problems(), model.daily()
    assert (daily["hotline_aware_share_resident"] == 0.0).all()
    assert not (problems["channel"] == CHANNELS[HOTLINE]).any()
    assert daily["calls_total"].iloc[-1] == 0
    assert problems["known_h"].notna().any()  # the other channels still report


@pytest.mark.parametrize("seed", [1])
def test_starting_share_is_drawn_and_spreads_faster_by_word_of_mouth(seed):
    slow = run(days=180, seed=seed, overrides=_aware(0.3, 0.2, p=0.03, q=0.0)).daily()
    fast = run(days=180, seed=seed, overrides=_aware(0.3, 0.2, p=0.03, q=2.0)).daily()
    start = slow["hotline_aware_share_resident"].iloc[0]
    assert start == pytest.approx(0.3, abs=0.02)  # Bernoulli(0.3) over ~7,000 residents
    for daily in (slow, fast):
        assert daily["hotline_aware_share_resident"].is_monotonic_increasing  # residents stay
    gain_slow = slow["hotline_aware_share_resident"].iloc[-1] - start
    gain_fast = fast["hotline_aware_share_resident"].iloc[-1] - start
    # publicity alone: 1 − exp(−0.03 × 180/365) ≈ 1.5 % of the unaware a half-year
    assert gain_slow == pytest.approx(0.7 * (1 - np.exp(-0.03 * 180 / 365)), abs=0.01)
    assert gain_fast > 3 * gain_slow


def test_awareness_changes_calls_but_never_the_needs_that_arise():
    everyone = run(days=90, seed=2, overrides=_aware(1.0, 1.0))
    few = run(days=90, seed=2, overrides=_aware(0.2, 0.1))
    a, b = everyone.daily(), few.daily()
    assert (a["arisen_total"] == b["arisen_total"]).all()  # common random numbers
    assert b["calls_total"].iloc[-1] < 0.5 * a["calls_total"].iloc[-1]
