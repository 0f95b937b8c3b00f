"""一号受理 over months (ODD §7.24): the lines join 12345 one batch a month, so access,
publicity and misrouting go the month's share of the way to the merged values."""

from __future__ import annotations

import pytest
from conftest import SMALL

from sim import CityModel, load_params

BASE_MISROUTE = 0.2  # scenarios/scenario/default.yaml: dispatch.misroute_prob


def _model(merge_months: int, days: int = 100, policies=("hotline_merge",)) -> CityModel:
    overrides = [*SMALL, f"sim.days={days}", "sim.burn_in_days=0"]
    overrides.append(f"policies.hotline_merge.merge_months={merge_months}")
    return CityModel(load_params("default", list(policies), overrides, seed=2))


def _misroute_by_day(model: CityModel, days: int) -> list[float]:
    seen = []
    for _ in range(days):
        model.step()
        seen.append(model.state.mech.dispatch.misroute_prob)
    return seen


def test_lines_join_one_batch_a_month_until_all_are_in():
    full = _model(0).state.mech.dispatch.misroute_prob  # all lines merged on day 0
    seen = _misroute_by_day(_model(4), 100)
    for day in (0, 29, 30, 59, 60, 89):
        share = (day // 30 + 1) / 4
        assert seen[day] == pytest.approx(BASE_MISROUTE + (full - BASE_MISROUTE) * share)
    assert seen[90:] == [full] * 10  # all merged: the day-0 merge's value exactly


def test_a_policy_adopted_mid_merge_leaves_the_merge_where_it_was():
    model = _model(4, policies=("hotline_merge", "direct_dispatch"))
    full = _model(0).state.mech.dispatch.misroute_prob
    _misroute_by_day(model, 40)
    levers = model.params.policies.direct_dispatch.model_dump()
    model.adopt(policies={"direct_dispatch": levers}, day=40)  # rebuilds every mechanism
    after = _misroute_by_day(model, 5)
    assert after == pytest.approx([BASE_MISROUTE + (full - BASE_MISROUTE) * 2 / 4] * 5)


def test_a_slow_merge_brings_fewer_calls_at_first_and_the_same_needs():
    quick, slow = (_model(m, days=90) for m in (0, 36))
    for model in (quick, slow):
        for _ in range(90):
            model.step()
    a, b = quick.daily(), slow.daily()
    assert (a["arisen_total"] == b["arisen_total"]).all()  # common random numbers
    assert b["calls_total"].iloc[-1] < 0.9 * a["calls_total"].iloc[-1]
