"""Each policy moves the first-order quantity it acts on (seeds shared between arms)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import run

from sim import load_params
from sim.policies import mechanisms
from sim.policies.kaohe import pressure_from_scores


@pytest.fixture(scope="module")
def base():
    return run(days=150, seed=11)


def problems(model) -> pd.DataFrame:
    return model.problems()


def test_grid_management_finds_more_needs_by_patrol(base):
    grid = run(["grid_management"], days=150, seed=11)
    share = lambda m: (problems(m)["channel"] == "grid_worker").mean()  # noqa: E731
    assert share(grid) > 1.2 * share(base)
    assert grid.state.coverage.grid_workers > base.state.coverage.grid_workers


def test_hotline_dispatches_faster_and_returns_fewer_orders(base):
    reform = run(["hotline"], days=150, seed=11)
    pb, pr = problems(base), problems(reform)
    hot_b, hot_r = pb[pb["channel"] == "hotline"], pr[pr["channel"] == "hotline"]
    assert (hot_r["returned"] > 0).mean() < (hot_b["returned"] > 0).mean()
    contact = lambda p: (p["responded_h"] - p["known_h"]).median()  # noqa: E731
    assert contact(hot_r) < contact(hot_b)
    # the monthly score is running: last month's three rates, recounted from the problem
    # log, give each office the pressure it feels (0 only at or above the target)
    assert reform.state.pressure.max() > 0.0
    assert reform.state.pressure == pytest.approx(_pressure_recounted(reform, pr, day=150))


def _pressure_recounted(model, p: pd.DataFrame, day: int) -> np.ndarray:
    """Pressure from the last full month's hotline orders closed (days 120-150)."""
    levers = model.params.policies.kaohe
    t1 = 24.0 * (day - day % 30)
    month = p[(p["channel"] == "hotline") & (p["closed_h"] > t1 - 720.0) & (p["closed_h"] <= t1)]
    on_time = (month["responded_h"] - month["known_h"]) <= month["contact_deadline_h"]
    called = month[month["rated_resolved"].notna()]
    rates = np.column_stack([
        on_time.groupby(month["street_office"]).mean(),
        called["rated_resolved"].astype(bool).groupby(called["street_office"]).mean(),
        called["rated_satisfied"].astype(bool).groupby(called["street_office"]).mean(),
    ])  # fmt: skip
    score = rates.mean(axis=1)  # the three rates weigh the same by default
    return pressure_from_scores(score, levers)


def test_rating_lift_raises_rated_not_real_resolution():
    lifted = ["policies.kaohe.rating_lift_share=0.8"]
    honest = run(["hotline"], days=150, seed=12)
    gamed = run(["hotline"], days=150, seed=12, overrides=lifted)
    rated = lambda m: problems(m)["rated_resolved"].dropna().mean()  # noqa: E731
    real = lambda m: (problems(m)["status"] == "solved").mean()  # noqa: E731

    def gap(m):  # rated minus real resolution of the same called orders
        called = problems(m).dropna(subset=["rated_resolved"])
        return called["rated_resolved"].astype(bool).mean() - (called["status"] == "solved").mean()

    assert gap(honest) >= 0.0 and gap(gamed) > gap(honest) + 0.02  # honest: accepted explanations
    assert rated(gamed) > rated(honest)
    assert real(gamed) == pytest.approx(real(honest), abs=0.02)
    assert gamed.state.programmes.persuasion_contacts > 0


def test_exemptions_leave_the_denominator():
    gamed = run(["hotline"], days=150, seed=12, overrides=["policies.kaohe.exemption_share=0.8"])
    p = problems(gamed)
    exempt = p[p["exempted"]]
    assert len(exempt) > 0
    assert (exempt["reason"] == "exempted").all() and exempt["rated_resolved"].isna().all()


def test_resource_sinking_moves_staff_and_settles_listed_kinds_locally(base):
    params = load_params(policy=["resource_sinking"])
    before = mechanisms(load_params().scenario, load_params().policies)
    after = mechanisms(params.scenario, params.policies)
    moved = sum(before.staff.department_staff.values()) - sum(after.staff.department_staff.values())
    assert moved == after.staff.moved_to_streets > 0
    n_streets = params.scenario.city.street_offices
    n_communities = n_streets * params.scenario.city.communities_per_street_office
    gained = (
        after.staff.street_staff_per_office - before.staff.street_staff_per_office
    ) * n_streets + (
        after.staff.community_staff_per_community - before.staff.community_staff_per_community
    ) * n_communities
    assert gained == pytest.approx(moved)  # total staff conserved
    sunk = run(["resource_sinking"], days=150, seed=11)
    kinds = params.policies.resource_sinking.powers_moved_kinds

    def esc(model):
        p = problems(model)
        return p[p["kind"].isin(kinds)]["escalated"].mean()

    assert esc(sunk) < 0.7 * esc(base)


def test_moved_staff_keep_their_casework_time_and_specialism():
    from sim import CityModel

    levers = "policies.resource_sinking"
    no_funds = [f"{levers}.funds_moved_yuan_per_year=0"]
    base, sunk = load_params(), load_params(policy=["resource_sinking"], overrides=no_funds)

    def capacity_h(params):  # casework server-hours per week, whole district, on day 0
        model = CityModel(params)
        model.step()  # the servers a warm start's district puts to work on its first day
        pools = model.world.handlers.pools
        return sum(
            pools.capacity(p) * c.open_per_day_h * c.days_per_week
            for p, c in enumerate(pools.clocks)
        )

    assert capacity_h(sunk) == pytest.approx(capacity_h(base), rel=0.05)
    # all of a moved member's time as casework: nothing is lost to the receiving admin share
    whole = load_params(
        policy=["resource_sinking"], overrides=[*no_funds, f"{levers}.moved_casework_share=1"]
    )
    assert capacity_h(whole) > capacity_h(sunk)
    mech = mechanisms(sunk.scenario, sunk.policies)
    assert "illegal_construction" in mech.dispatch.specialist_kinds
    assert "safety_hazard" not in mech.dispatch.specialist_kinds  # police stay in place
    funded = load_params(policy=["resource_sinking"])
    assert mechanisms(funded.scenario, funded.policies).staff.contracted_per_office > 0


def test_stationed_officers_take_cases_found_locally_at_once(base):
    """派驻: police stationed in the streets stay in the police pool; a safety hazard found
    by a grid worker, the community or a volunteer reaches one at once in 2 / 5 of cases
    (2 of 8 officers over 5 street offices), instead of an 8 h referral on average."""
    levers = "policies.resource_sinking"
    only = [f"{levers}.moved_from_departments=[]", f"{levers}.funds_moved_yuan_per_year=0"]
    params = load_params(policy=["resource_sinking"], overrides=only)
    mech = mechanisms(params.scenario, params.policies)
    assert mech.dispatch.stationed_share == {"safety_hazard": pytest.approx(2 / 5)}
    assert mech.staff.department_staff == {
        name: dept.staff for name, dept in params.scenario.departments.items()
    }  # nobody leaves the police pool

    def quick_share(model, local: bool) -> float:
        p = problems(model)
        p = p[(p["kind"] == "safety_hazard") & p["known_h"].notna()]
        p = p[(p["channel"] != "hotline") == local]
        return ((p["responded_h"] - p["known_h"]) < 1.0).mean()

    stationed = run(["resource_sinking"], days=150, seed=11, overrides=only)
    assert quick_share(stationed, True) > quick_share(base, True) + 0.25
    assert quick_share(stationed, False) == pytest.approx(quick_share(base, False), abs=0.05)
    with pytest.raises(ValueError, match="move down or are stationed"):
        load_params(
            policy=["resource_sinking"],
            overrides=[f"{levers}.stationed_from_departments=[enforcement]"],
        )


def test_a_monthly_topic_covers_the_kind_most_often_closed_outside_any_policy():
    """每月一题: on days 30 and 60 the three kinds with the most closures outside any policy in
    the month before (recounted here from the draws, the scenario's shares and the first
    month's cover) get a policy covering 30 % of their uncovered demands."""
    from sim.stages.closure import outside_any_policy
    from sim.state import D

    levers = "policies.proactive_governance"
    only_topics = [f"{levers}.fixes_per_month=0", f"{levers}.policy_topics_per_month=3"]
    model = run(["proactive_governance"], days=75, seed=11, overrides=only_topics)
    state, log = model.state, model.state.log
    omega = np.array([k.outside_policy_share for k in state.scenario.kinds.values()])
    start_h = 24.0 * model.params.sim.burn_in_days  # run day 0 on the district's clock
    expected = np.ones(len(omega))
    for month in (0, 1):
        t0 = start_h + 24.0 * 30 * month
        closed = np.flatnonzero((log.closed_h > t0) & (log.closed_h <= t0 + 24.0 * 30))
        share = omega[log.kind[closed]] * expected[log.kind[closed]]
        uncovered = closed[log.draws[closed, D["u_outside"]] < share]
        counts = np.bincount(log.kind[uncovered], minlength=len(omega))
        chosen = np.argsort(-counts, kind="stable")[:3]
        assert (counts[chosen] > 0).all()  # counts to choose from, not zeros
        expected[chosen] *= 0.7
        top = chosen[0]
    assert state.programmes.policy_gap_factor == pytest.approx(expected)
    assert state.programmes.topics_total == 6
    costs = model.costs()
    assert costs[costs["item"] == "policy_topics"]["yuan"].sum() == pytest.approx(1_800_000)
    # the rule is used: a demand of the last kind chosen with ω × factor ≤ u_outside < ω is
    # covered now, one below ω × factor still is not
    of_kind = np.flatnonzero(log.kind == top)
    u, cover = log.draws[of_kind, D["u_outside"]], expected[top] * omega[top]
    covered = of_kind[(u >= cover) & (u < omega[top])]
    still = of_kind[u < cover]
    assert len(covered) and len(still)
    assert not outside_any_policy(state, covered).any()
    assert outside_any_policy(state, still).all()


def test_migrant_inclusion_raises_migrants_reporting(base):
    inclusive = run(["migrant_inclusion"], days=150, seed=11)
    known = lambda m: problems(m).query("group == 'migrant'")["known_h"].notna().mean()  # noqa: E731
    assert known(inclusive) > known(base) + 0.02


def test_volunteer_pay_crowds_out_at_small_stipends_and_books_its_cost(base):
    small = run(
        ["volunteer_pay"],
        days=60,
        seed=11,
        overrides=["policies.volunteer_pay.volunteer_stipend_yuan_per_h=3"],
    )
    base_volunteers = base.daily()["volunteers_active"].iloc[:60].mean()
    assert small.daily()["volunteers_active"].mean() < 0.85 * base_volunteers
    assert small.daily()["spend_stipends_yuan"].sum() > 0
    unpaid = run(
        ["volunteer_pay"],
        days=60,
        seed=11,
        overrides=["policies.volunteer_pay.volunteer_stipend_yuan_per_h=0"],
    )
    assert unpaid.daily()["spend_stipends_yuan"].sum() == 0
    assert unpaid.daily()["volunteers_active"].mean() == pytest.approx(base_volunteers, rel=0.01)


def test_the_registry_lists_every_policy_module_once_with_its_yaml():
    import importlib
    import pkgutil
    from pathlib import Path

    import sim.policies as registry
    from sim.config.params import PolicyMix

    modules = {
        m.name for m in pkgutil.iter_modules(registry.__path__) if m.name != "base"
    }  # one module per policy, plus the shared base
    assert set(registry.POLICY_NAMES) == modules
    assert tuple(PolicyMix.model_fields) == registry.POLICY_NAMES
    root = Path(__file__).resolve().parents[1]
    yamls = {p.stem for p in (root / "scenarios" / "policy").glob("*.yaml")}
    assert yamls == modules | set(registry.BUNDLES)
    for policy in registry.POLICIES:
        module = importlib.import_module(f"sim.policies.{policy.name}")
        assert module.POLICY is policy
        if policy.intensity is not None:
            assert set(policy.intensity.levers) <= set(policy.levers.model_fields)


def test_hooks_and_cost_entries_keep_their_order_and_are_documented():
    import importlib

    import sim.policies as registry
    from sim.costs import STANDING

    start = sorted(
        (p.start_of_day.order, p.name) for p in registry.POLICIES if p.start_of_day is not None
    )
    assert [name for _, name in start] == [  # the order of effects the engine has always had
        "hotline_merge",  # first: the day's lines are merged before anything uses them
        "migrant_entitlement",
        "whistle",
        "proactive_governance",
        "deliberation",
        "purchase_services",
        "grid_management",
        "smart_platform",
    ]
    orders = [entry.order for entry in STANDING]
    for policy in registry.POLICIES:
        doc = importlib.import_module(f"sim.policies.{policy.name}").__doc__
        hooks = [h for h in (policy.start_of_day, policy.end_of_day) if h is not None]
        for step in (*hooks, *policy.costs):
            assert f"order {step.order}" in doc, policy.name
        orders += [entry.order for entry in policy.costs]
    assert len(orders) == len(set(orders))  # one place in the day's booking for each entry


def test_grid_management_sets_the_split_that_responsibility_sinking_then_shifts():
    params = load_params(policy=["responsibility_sinking", "grid_management"])
    levers = params.policies
    mech = mechanisms(params.scenario, levers)
    extra = levers.responsibility_sinking.extra_admin_time_share
    patrol = levers.grid_management.patrol_time_share
    assert mech.grid.patrol_time_share == patrol * (1.0 - extra)
    assert mech.grid.admin_time_share == levers.grid_management.admin_time_share + extra * patrol


def test_a_budget_leaves_free_entitlement_slots_as_set():
    from sim import load_params

    params = load_params(
        policy=["migrant_entitlement"],
        overrides=[
            "budget_yuan_per_year=1000000",
            "policies.migrant_entitlement.yuan_per_school_place=0",
            "policies.migrant_entitlement.school_places_per_year=7",
        ],
    )
    levers = params.policies.migrant_entitlement
    assert levers.school_places_per_year == 7
    assert levers.housing_slots_per_year == round(500_000 / levers.yuan_per_housing_slot)


def test_party_building_time_is_shadow_priced_apart_from_spending():
    from sim.runner import run_summary

    party = run_summary(run(["party_building"], days=10), {})
    plain = run_summary(run(["baseline"], days=10), {})
    parts = party["shadow_cost_parts_yuan"]
    assert parts["party_members"] > 0 and parts["lent_unit_staff"] > 0
    assert party["shadow_cost_yuan"] == pytest.approx(sum(parts.values()))
    assert plain["shadow_cost_yuan"] == 0.0
    # unpaid: the budget is the same with or without their time
    assert party["cost_yuan"]["total"] == pytest.approx(plain["cost_yuan"]["total"], rel=1e-9)


def test_direct_dispatch_puts_urgent_orders_through_on_the_call():
    """Urgent hotline orders reach their handler at `urgent_dispatch_delay_h`, the others
    at `dispatch_delay_h`: a slower urgent line delays first contact of urgent orders only."""
    lever = "policies.direct_dispatch.urgent_dispatch_delay_h"
    fast = problems(run(["direct_dispatch"], days=120, seed=5, overrides=[f"{lever}=0.25"]))
    slow = problems(run(["direct_dispatch"], days=120, seed=5, overrides=[f"{lever}=6"]))

    def contact_h(p, urgent):
        orders = p[(p["channel"] == "hotline") & p["responded_h"].notna()]
        orders = orders[(orders["contact_deadline_h"] <= 2) == urgent]
        return (orders["responded_h"] - orders["known_h"]).median()

    assert contact_h(slow, True) > contact_h(fast, True) + 2.0
    assert contact_h(slow, False) == pytest.approx(contact_h(fast, False), rel=0.1)


def test_a_monthly_topic_counts_only_the_month_before():
    """每月一题 on day 60 counts the closures of days 30-60 only: kind 0 led the month before,
    kind 1 leads this one, so kind 1 is chosen."""
    from types import SimpleNamespace

    from sim.policies.proactive_governance import choose_topics
    from sim.state import D

    closed_day = np.array([10.0] * 5 + [40.0] * 3 + [45.0] * 2)  # kind 0 on days 10 and 40
    kind = np.array([0] * 5 + [0] * 1 + [1] * 2 + [1] * 2)  # month 1: 5 × 0; month 2: 1 × 0, 4 × 1
    draws = np.zeros((len(kind), len(D)))  # u_outside 0: every closure is outside any policy
    programmes = SimpleNamespace(policy_gap_factor=np.ones(2), topics_today=0, topics_total=0)
    district = SimpleNamespace(
        log=SimpleNamespace(closed_h=24.0 * closed_day, kind=kind, draws=draws),
        world=SimpleNamespace(kinds=SimpleNamespace(n=2, outside_policy_share=np.full(2, 0.5))),
        programmes=programmes,
    )
    levers = SimpleNamespace(policy_gap_closed_share=0.3)
    choose_topics(district, levers, today=60, due=1)
    assert programmes.policy_gap_factor == pytest.approx([1.0, 0.7])
    assert programmes.topics_total == 1
