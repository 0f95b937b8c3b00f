"""考核: pressure from the score's gap below a target, summons, staff moved to casework."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import run

from sim import load_params
from sim.policies.kaohe import pressure_from_scores


def levers(**changes):
    return load_params(policies=["kaohe"]).policies.kaohe.model_copy(update=changes)


def test_every_office_feels_pressure_below_the_target_even_alone():
    lev = levers(target_score_share=0.9, full_pressure_gap_share=0.5, summoned_offices=0)
    assert pressure_from_scores(np.array([0.6]), lev) == pytest.approx([0.6])
    scores = np.array([0.5, 0.6, 0.7, 0.8])
    pressure = pressure_from_scores(scores, lev)
    assert (pressure > 0).all()  # the best office too
    assert (np.diff(pressure) < 0).all()  # a lower score, more pressure
    assert pressure_from_scores(np.array([0.95]), lev) == pytest.approx([0.0])


def test_summons_press_the_worst_harder_and_pressure_stays_bounded():
    scores = np.array([0.5, 0.6, 0.7, 0.8])
    plain = pressure_from_scores(scores, levers(summoned_offices=0))
    summoned = pressure_from_scores(scores, levers(summoned_offices=1, summons_pressure_share=0.25))
    assert summoned[0] == pytest.approx(min(1.0, plain[0] + 0.25))
    np.testing.assert_array_equal(summoned[1:], plain[1:])
    assert pressure_from_scores(np.zeros(3), levers(summons_pressure_share=1.0)).max() == 1.0


@pytest.mark.parametrize("seed", [3])
def test_more_shifted_time_more_servers_and_more_displaced_hours(seed):
    """Monotone in `casework_shift_share`: 0 moves nobody (and books no shadow cost)."""
    shares = (0.0, 0.1, 0.3)
    models = [
        run(["kaohe"], days=75, seed=seed, overrides=[f"policies.kaohe.casework_shift_share={s}"])
        for s in shares
    ]
    displaced = [m.daily()["other_duties_backlog_h"].iloc[-1] for m in models]
    pressed = [m.state.staffing.pressed_capacity.sum() for m in models]
    assert displaced[0] == 0.0 and pressed[0] == 0.0
    assert displaced[0] < displaced[1] < displaced[2]
    assert pressed[0] < pressed[1] < pressed[2]
    assert not (models[0].costs()["category"] == "shadow").any()
    # the pressed servers are at work in the street offices' pools today
    at_work = [
        sum(m.world.handlers.pools.servers(pool) for pool in m.world.handlers.street_pool)
        for m in (models[0], models[2])
    ]
    assert at_work[1] > at_work[0]
