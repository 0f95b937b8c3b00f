"""考核: pressure from the score's gap below a target, summons, staff moved to casework."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import run

from sim import load_params
from sim.policies.kaohe import pressure_from_scores


def levers(**changes):
    return load_params(policy=["kaohe"]).policies.kaohe.model_copy(update=changes)


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
    items = models[0].costs()["item"]
    assert not items.str.startswith("displaced").any()
    # the pressed servers are at work in the street offices' pools today
    at_work = [
        sum(m.world.handlers.pools.servers(pool) for pool in m.world.handlers.street_pool)
        for m in (models[0], models[2])
    ]
    assert at_work[1] > at_work[0]


def test_duty_rota_overtime_is_recounted_from_office_hours():
    """考核's duty rota (5+2, 白+黑): unpaid staff-days beyond office hours are the servers at
    work × that weekday's extra open hours ÷ the office's own day. Before the first ranking
    (day 29) a street office's servers do not change, so the rows of one week stand in the
    ratio of their extra hours, and days with no extra hours have no row."""
    model = run(["kaohe"], days=28, seed=2)
    params, costs = model.params, model.costs()
    hours, kaohe = params.scenario.street_office.office_hours, params.policies.kaohe
    rows = costs[costs["item"] == "duty_overtime_street"].set_index("day")
    assert (rows["unit_cost_yuan"] == params.scenario.street_office.wage_yuan_per_staff_day).all()
    own_day_h = hours.close_h - hours.open_h
    extra_h = {}
    for day in range(28):
        weekday = (model.state.origin_day + day) % 7  # the district's week, which a burn-in began
        own_h = own_day_h if weekday < hours.days_per_week else 0.0
        open_days = max(hours.days_per_week, kaohe.duty_days_per_week)
        duty_h = (
            max(hours.close_h, kaohe.duty_close_h) - hours.open_h if weekday < open_days else 0.0
        )
        extra_h[day] = duty_h - own_h
    booked = [day for day in range(28) if day in rows.index]
    assert booked == [day for day, h in extra_h.items() if h > 0]
    servers = [rows.loc[day, "quantity"] * own_day_h / extra_h[day] for day in booked]
    np.testing.assert_allclose(servers, servers[0], rtol=1e-9)
    assert servers[0] > 0
