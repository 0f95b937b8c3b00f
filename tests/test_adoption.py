"""Policies and shocks that change on a day of a running district (sim.adoption)."""

from __future__ import annotations

import numpy as np
import pytest

from sim import CityModel, ConfigError, load_params
from tests.conftest import SMALL


def _days(model: CityModel, n: int) -> CityModel:
    for _ in range(n):
        model.step()
    return model


def _same(a, b) -> bool:
    return a.fillna(-1).equals(b.fillna(-1))


def test_adopting_on_day_0_is_the_same_run_as_starting_with_the_policy():
    direct = _days(CityModel(load_params("default", ["reform_2019"], SMALL), rng=3), 20)
    adopted = CityModel(load_params("default", ["baseline"], SMALL), rng=3)
    mix = direct.params.policies
    levers = {n: getattr(mix, n).model_dump() for n in mix.names}
    adopted.adopt(levers, day=0)
    assert _same(direct.daily(), _days(adopted, 20).daily())


def test_a_start_day_runs_without_the_policy_before_it_and_keeps_needs_paired():
    overrides = [*SMALL, "+policy_start_day.volunteer_pay=10"]
    later = _days(CityModel(load_params("default", ["volunteer_pay"], overrides), rng=1), 25)
    never = _days(CityModel(load_params("default", ["baseline"], SMALL), rng=1), 25)
    now = _days(CityModel(load_params("default", ["volunteer_pay"], SMALL), rng=1), 25)
    before, after = later.daily().iloc[:10], later.daily().iloc[10:]
    assert _same(before, never.daily().iloc[:10])
    assert not _same(after, never.daily().iloc[10:])
    assert (later.daily()["arisen_total"] == never.daily()["arisen_total"]).all()
    assert later.params.policy_mix == now.params.policy_mix == "volunteer_pay"


def test_a_lever_moved_mid_run_acts_from_the_next_day_only():
    params = load_params("default", ["volunteer_pay"], SMALL)
    a, b = _days(CityModel(params, rng=2), 8), _days(CityModel(params, rng=2), 8)
    b.adopt({"volunteer_pay": {"volunteer_stipend_yuan_per_h": 60}})
    _days(a, 14), _days(b, 14)
    assert _same(a.daily().iloc[:8], b.daily().iloc[:8])
    assert b.daily()["volunteers_active"].iloc[-1] != a.daily()["volunteers_active"].iloc[-1]
    assert b.daily()["spend_total_yuan"].iloc[-1] > a.daily()["spend_total_yuan"].iloc[-1]
    np.testing.assert_array_equal(a.daily()["arisen_total"], b.daily()["arisen_total"])


def test_a_shock_started_now_begins_on_the_next_day():
    model = _days(CityModel(load_params("default", ["baseline"], SMALL), rng=0), 5)
    spec = load_params("default", ["baseline"], SMALL, shock=["epidemic"]).shocks.epidemic
    model.adopt(shocks={"epidemic": {**spec.model_dump(), "start_day": 5}})
    _days(model, 3)
    shocks, day_6 = model.state.shocks, model.state.origin_day + 6  # on the district's clock
    assert shocks is not None and shocks.staff_available_share(day_6) < 1


def test_bad_levers_are_refused_with_their_range_and_change_nothing():
    model = _days(CityModel(load_params("default", ["volunteer_pay"], SMALL), rng=0), 2)
    with pytest.raises(ConfigError, match="volunteer_stipend_yuan_per_h = 5000: must be <= 1000"):
        model.adopt({"volunteer_pay": {"volunteer_stipend_yuan_per_h": 5000}})
    assert model.calendar.changes == {}
    with pytest.raises(ConfigError, match=r"policy_start_day\.kaohe: not a policy of the mix"):
        load_params("default", ["volunteer_pay"], [*SMALL, "+policy_start_day.kaohe=3"])
    with pytest.raises(ConfigError, match=r"hotline is a preset of \['hotline_merge', "):
        load_params("default", ["hotline"], [*SMALL, "+policy_start_day.hotline=3"])
