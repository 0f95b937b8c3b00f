"""Awareness of the hotline (Bass diffusion): who does not know 12345 cannot call it, and
knowing spreads with publicity and satisfied neighbours."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import run

from sim.records import CHANNELS, HOTLINE


def _aware(
    resident: float, migrant: float, p: float = 0.03, q: float = 0.38, fade: float = 0.0
) -> list[str]:
    return [
        f"scenario.population.resident.initial_hotline_awareness_share={resident}",
        f"scenario.population.migrant.initial_hotline_awareness_share={migrant}",
        f"scenario.behaviour.publicity_rate_per_year={p}",
        f"scenario.behaviour.word_of_mouth_rate_per_year={q}",
        f"scenario.behaviour.awareness_decay_rate_per_year={fade}",
        "sim.burn_in_days=0",  # the dynamics from a known start, not from a warm one
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


@pytest.mark.parametrize(("start", "p", "fade"), [(0.1, 0.6, 3.0), (0.7, 0.2, 4.0)])
def test_aware_share_settles_where_publicity_meets_forgetting(start, p, fade):
    """Without word of mouth the exposure stock settles at p / δ, so residents (who stay)
    approach 1 − exp(−p/δ) from either side (Nerlove–Arrow goodwill with Exp(1) thresholds)."""
    daily = run(days=540, seed=3, overrides=_aware(start, start, p=p, q=0.0, fade=fade)).daily()
    share = daily["hotline_aware_share_resident"]
    steady = 1.0 - np.exp(-p / fade)
    assert share.iloc[-1] == pytest.approx(steady, abs=0.03)
    assert abs(share.iloc[-1] - steady) < 0.5 * abs(share.iloc[0] - steady)


def test_merged_hotlines_publicity_spreads_awareness_and_its_promise():
    """hotline_merge's funded publicity adds to p: more people know 12345 after a year, and
    the promise of quick handling pulls their expectations down (they expect it sooner)."""
    aware = _aware(0.2, 0.1, p=0.1, q=0.38, fade=1.0)
    off = ["policies.hotline_merge.publicity_rate_per_year=0.0"]
    quiet = run(("hotline_merge",), days=365, seed=5, overrides=[*aware, *off])
    loud = run(("hotline_merge",), days=365, seed=5, overrides=aware)
    a, b = quiet.daily(), loud.daily()
    aware_quiet, aware_loud = (d["hotline_aware_share_resident"].iloc[-1] for d in (a, b))
    assert aware_loud > aware_quiet + 0.2
    assert (a["arisen_total"] == b["arisen_total"]).all()  # the same needs: calls, not needs
    assert b["calls_total"].iloc[-1] > 1.5 * a["calls_total"].iloc[-1]
    pop_a, pop_b = quiet.world.population, loud.world.population
    known_a = pop_a.present & pop_a.aware
    known_b = pop_b.present & pop_b.aware
    assert pop_b.expectation_ratio[known_b].mean() < pop_a.expectation_ratio[known_a].mean()


def test_outreach_visits_teach_migrants_the_number_in_proportion_to_the_staff():
    """migrant_inclusion's visits (v × 365 / N a migrant a year) add to migrants' exposure as
    publicity does: with no word of mouth and no fading, migrants' aware share rises with the
    outreach staff (0, 1, 4 per street office), and residents' does not move at all."""
    aware = _aware(0.2, 0.1, p=0.05, q=0.0, fade=0.0)
    shares = []
    for staff in (0, 1, 4):
        lever = f"policies.migrant_inclusion.outreach_staff_per_street_office={staff}"
        daily = run(("migrant_inclusion",), days=90, seed=6, overrides=[*aware, lever]).daily()
        shares.append(
            daily.iloc[-1][["hotline_aware_share_resident", "hotline_aware_share_migrant"]]
        )
    residents = [s["hotline_aware_share_resident"] for s in shares]
    migrants = [s["hotline_aware_share_migrant"] for s in shares]
    assert residents[0] == residents[1] == residents[2]
    assert migrants[0] < migrants[1] - 0.03 and migrants[1] < migrants[2] - 0.1
