"""Every priced effect comes from what its money buys: more budget, more of the mechanism
(never less), with diminishing returns where the response is a saturating curve."""

from __future__ import annotations

import pytest
from conftest import run

from sim import load_params
from sim.policies import mechanisms
from sim.policies.base import funded_share
from sim.policies.migrant_inclusion import reached_share
from sim.policies.proactive_governance import due_in_month

BUDGETS = (300_000, 1_000_000, 4_000_000)


def _mech(policy: str, budget: float):
    params = load_params("default", [policy], [f"budget_yuan_per_year={budget}"])
    return params, mechanisms(params.scenario, params.policies)


@pytest.mark.parametrize(
    ("policy", "measure", "direction"),
    [
        ("hotline_merge", lambda m: m.dispatch.misroute_prob, -1),
        ("hotline_merge", lambda m: m.access.publicity_rate_per_year, 1),
        ("smart_platform", lambda m: m.grid.detection_rate_per_day, 1),
        ("smart_platform", lambda m: m.dispatch.misroute_prob, -1),
        ("volunteer_honour", lambda m: m.volunteers.honour_share, 1),
        ("migrant_inclusion", lambda m: m.access.channel_share["migrant"]["community"], 1),
        ("online_channels", lambda m: m.access.channel_share["migrant"]["hotline"], 1),
    ],
)
def test_more_money_buys_more_of_the_mechanism_with_diminishing_returns(policy, measure, direction):
    values = [direction * measure(_mech(policy, b)[1]) for b in BUDGETS]
    assert values[0] < values[1] < values[2]
    # per yuan, the step from 1 M to 4 M buys less than the step from 0.3 M to 1 M
    per_yuan = [(values[i + 1] - values[i]) / (BUDGETS[i + 1] - BUDGETS[i]) for i in range(2)]
    assert per_yuan[1] < per_yuan[0]


def test_funded_share_is_half_at_the_half_effect_point_and_saturates():
    assert funded_share(0.0, 5.0) == 0.0
    assert funded_share(5.0, 5.0) == pytest.approx(0.5)
    assert 0.99 < funded_share(1e4, 5.0) < 1.0


def test_outreach_reaches_the_steady_share_of_a_flow_against_departures():
    """c = v / (v + μN): reached a day against migrants leaving unreached a day."""
    params, _ = _mech("migrant_inclusion", 1_000_000)
    levers, s = params.policies.migrant_inclusion, params.scenario
    v = levers.outreach_staff_per_street_office * s.city.street_offices
    v *= levers.migrants_reached_per_staff_day
    c = reached_share(levers, s)
    leaving = v * (1 - c) / c  # μN implied; solve back for it
    # the default land use houses (.25·.25 + .35·.25 + .24·.75) / .84 = 0.3929 of people as migrants
    assert leaving == pytest.approx(
        s.population.migrant.departure_rate_per_year / 365 * (s.population.people * 0.3929),
        rel=0.01,
    )


def test_a_fractional_fix_rate_spreads_fixes_over_months():
    params, _ = _mech("proactive_governance", 1_000_000)
    levers = params.policies.proactive_governance
    due = [due_in_month(levers.fixes_per_month, m) for m in range(1, 13)]
    assert sum(due) == int(12 * levers.fixes_per_month + 1e-9)
    assert set(due) <= {int(levers.fixes_per_month), int(levers.fixes_per_month) + 1}


def test_a_bigger_budget_buys_more_root_cause_fixes_and_policy_topics():
    bought = [
        run(
            ["proactive_governance"], days=185, seed=1, overrides=[f"budget_yuan_per_year={b}"]
        ).state.programmes
        for b in (1_000_000, 4_000_000)
    ]
    assert 0 < bought[0].fixes_total < bought[1].fixes_total
    assert bought[0].topics_total < bought[1].topics_total
