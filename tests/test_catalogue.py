"""First-order effects of the rest of the catalogue, shocks and scenario presets."""

from __future__ import annotations

import pytest
from conftest import SMALL, matches_recount
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import load_params
from sim.policies import POLICY_NAMES
from sim.runner import simulate


def run(policies=("baseline",), days=150, seed=21, overrides=(), shocks=(), scenario="default"):
    params = load_params(
        scenario, policies, [*SMALL, f"sim.days={days}", *overrides], seed=seed, shock=shocks
    )
    return simulate(params)


def problems(model):
    return model.problems()


@pytest.fixture(scope="module")
def base():
    return run()


def dept_wait_after_escalation(model) -> float:
    p = problems(model)
    p = p[p["department_start_h"].notna() & p["escalated_h"].notna()]
    return float((p["department_start_h"] - p["escalated_h"]).mean())


def test_whistle_shortens_department_arrival_on_escalated_problems(base):
    whistle = run(["whistle"])
    p = problems(whistle)
    assert p["whistled"].any()
    assert dept_wait_after_escalation(whistle) < 0.6 * dept_wait_after_escalation(base)
    # with a whistle, no department declines
    esc = p[p["whistled"]]
    assert not (esc["reason"] == "outside_authority").any()


def test_whistles_are_capped_per_month():
    capped = run(["whistle"], overrides=["policies.whistle.max_whistles_per_month=2"])
    p = problems(capped)
    month = (p["escalated_h"] // (24 * 30)).where(p["whistled"])
    per_street_month = p[p["whistled"]].groupby([p["street_office"], month]).size()
    assert per_street_month.max() <= 2


def test_migrant_entitlement_solves_entitlement_kinds_only_up_to_its_slots(base):
    def solved_migrant_entitlements(model):
        p = problems(model)
        mask = (p["group"] == "migrant") & p["kind"].isin(["schooling", "housing"])
        return int((p[mask]["status"] == "solved").sum())

    slots = run(
        ["migrant_entitlement"],
        overrides=[
            "policies.migrant_entitlement.school_places_per_year=5",
            "policies.migrant_entitlement.housing_slots_per_year=3",
        ],
    )
    used = slots.state.programmes.entitlements_used
    assert used[1] <= 5 and used[2] <= 3 and used.sum() > 0
    gained = solved_migrant_entitlements(slots) - solved_migrant_entitlements(base)
    assert 0 < gained <= 8
    assert slots.daily()["spend_entitlements_yuan"].sum() == pytest.approx(
        used[1] * 20000 + used[2] * 30000
    )


def test_proactive_governance_lowers_needs_of_fixed_clusters(base):
    fixed = run(["proactive_governance"])
    assert fixed.state.programmes.fixes_total > 0
    assert len(problems(fixed)) < len(problems(base))
    assert fixed.daily()["spend_capital_yuan"].sum() > 0


def _online_channels_over(first: list[str]):
    """Mechanisms with `first` in force, then with `online_channels` added, its levers and
    the share f its money buys (recomputed from the levers)."""
    from sim.policies import mechanisms
    from sim.policies.base import funded_share

    params = load_params("default", [*first, "online_channels"], [])
    before = mechanisms(params.scenario, load_params("default", first or ["baseline"], []).policies)
    after = mechanisms(params.scenario, params.policies)
    levers = params.policies.online_channels
    f = funded_share(
        levers.operating_yuan_per_year / params.scenario.population.people,
        levers.half_effect_yuan_per_person_year,
    )
    return before, after, levers, f


def test_online_channels_reach_those_the_phone_misses_and_the_elderly_least():
    """a → a + f r (1 − a) per group, from the money per person; the elderly (residents) gain
    only `elderly_reach_share` of it; the phone line is never lost."""
    before, after, levers, f = _online_channels_over([])
    gain = {}
    for group in ("resident", "migrant"):
        a = before.access.channel_share[group]["hotline"]
        a_new = after.access.channel_share[group]["hotline"]
        assert a_new == pytest.approx(a + f * levers.reach_share * (1 - a))
        gain[group] = a_new - a
    assert gain["migrant"] > gain["resident"] > 0  # the lower access gains most
    a = before.access.channel_share["resident"]["hotline"]
    a_new = after.access.channel_share["resident"]["hotline"]
    elderly_before = a * (1 - before.access.elderly_hotline_loss_share)
    elderly_after = a_new * (1 - after.access.elderly_hotline_loss_share)
    assert elderly_after - elderly_before == pytest.approx(
        levers.elderly_reach_share * gain["resident"]
    )


def test_online_channels_compose_with_the_platform_that_replaces_the_phone():
    """With `smart_platform` (elderly loss L, migrants' access cut) in force first, the
    elderly's access still gains `elderly_reach_share` of residents' gain over the platform's."""
    platform, after, levers, f = _online_channels_over(["smart_platform"])
    a = platform.access.channel_share["resident"]["hotline"]
    loss = platform.access.elderly_hotline_loss_share
    assert loss > 0.1  # the platform's loss is there to compose with
    a_new = after.access.channel_share["resident"]["hotline"]
    assert a_new == pytest.approx(a + f * levers.reach_share * (1 - a))
    elderly = a_new * (1 - after.access.elderly_hotline_loss_share)
    gain = f * levers.reach_share * levers.elderly_reach_share * (1 - a)
    assert elderly == pytest.approx(a * (1 - loss) + gain)


def test_online_channels_raise_migrants_hotline_reports_and_cost_their_operation(base):
    online = run(["online_channels"])
    hotline = lambda m, g: (  # noqa: E731
        problems(m).query("group == @g")["channel"] == "hotline"
    ).sum()
    assert hotline(online, "migrant") > hotline(base, "migrant")
    costs = online.costs()
    per_day = costs[costs["item"] == "online_channels"]["yuan"]
    assert len(per_day) == 150 and per_day.to_numpy() == pytest.approx(600_000 / 365)


def test_burden_reduction_and_responsibility_sinking_move_community_capacity(base):
    lighter = run(["burden_reduction"], days=30)
    heavier = run(["responsibility_sinking"], days=30)
    capacity = lambda m, pools: sum(  # noqa: E731
        m.world.handlers.pools.capacity(p) for p in pools
    )
    community = lambda m: capacity(m, m.world.handlers.community_pool)  # noqa: E731
    street = lambda m: capacity(m, m.world.handlers.street_pool)  # noqa: E731
    assert community(lighter) > community(base) > community(heavier)
    assert street(base) > street(heavier)
    # 责任下沉 makes the street answerable, not the plumber: who fixes a repair is unchanged
    share = lambda m, who: (  # noqa: E731
        problems(m).query("kind == 'repair' and handler.notna()")["handler"] == who
    ).mean()
    assert share(heavier, "street_office") == share(base, "street_office") == 0.0
    assert abs(share(heavier, "property_manager") - share(base, "property_manager")) < 0.05


def test_honour_raises_volunteering_and_points_sit_between_pay_and_honour(base):
    v = lambda m: m.daily()["volunteers_active"].iloc[-30:].mean()  # noqa: E731
    honour = run(["volunteer_honour"])
    points = run(["volunteer_points"])
    assert v(honour) > 1.2 * v(base)
    assert points.daily()["spend_stipends_yuan"].sum() > 0
    assert honour.daily()["spend_stipends_yuan"].sum() == 0


def test_purchase_services_adds_social_workers_after_ramp_up_and_pays_contracts(base):
    bought = run(["purchase_services"], overrides=["policies.purchase_services.ramp_up_days=10"])
    h = bought.world.handlers
    assert sum(h.pools.servers(p) for p in h.social_pool) > sum(
        base.world.handlers.pools.servers(p) for p in h.social_pool
    )
    extra = (
        bought.daily()["spend_contracts_yuan"].sum() - base.daily()["spend_contracts_yuan"].sum()
    )
    assert extra == pytest.approx(1_500_000 * 150 / 365, rel=1e-6)


def test_smart_platform_detects_public_problems_and_books_capital(base):
    smart = run(["smart_platform"])
    share = lambda m: (problems(m)["channel"] == "grid_worker").mean()  # noqa: E731
    assert share(smart) > share(base)
    p_s, p_b = problems(smart), problems(base)
    assert (p_s["returned"] > 0).mean() < (p_b["returned"] > 0).mean()
    assert smart.daily()["spend_capital_yuan"].sum() == pytest.approx(10_000_000 / 5 * 150 / 365)


def test_privacy_exposure_erodes_trust():
    exposed = run(
        ["smart_platform"],
        days=60,
        overrides=["policies.smart_platform.privacy_trust_loss_per_year=1.0"],
    )
    plain = run(["smart_platform"], days=60)
    assert (
        exposed.daily()["trust_resident"].iloc[-1] < plain.daily()["trust_resident"].iloc[-1] - 0.1
    )


def test_party_building_gives_unpaid_hours_and_faster_coordination(base):
    party = run(["party_building"])
    assert party.state.coverage.party_member_hours_per_day > 0
    assert party.daily()["spend_total_yuan"].sum() == pytest.approx(
        base.daily()["spend_total_yuan"].sum(), rel=1e-9
    )
    assert dept_wait_after_escalation(party) < dept_wait_after_escalation(base)


def test_grid_report_quota_adds_trivial_work_and_takes_patrol_time(base):
    quota = run(
        ["grid_management"], overrides=["policies.grid_management.report_quota_per_month=20"]
    )
    plain = run(["grid_management"])
    assert quota.state.programmes.quota_reports_total > 0
    share = lambda m: (problems(m)["channel"] == "grid_worker").mean()  # noqa: E731
    assert share(quota) < share(plain)


def test_grid_quota_reports_arrive_at_nine_on_the_districts_clock(monkeypatch):
    """After the burn-in the district's day is the run's day + its length: the reports of a
    run's day 3 arrive at 09:00 of that day, not a year before it."""
    from sim.policies import grid_management

    model = run(["grid_management"], days=3)
    arrivals = []
    monkeypatch.setattr(
        grid_management.dispatch, "enqueue_staff_time",
        lambda district, pools, when_h, work_h: arrivals.append(when_h),
    )  # fmt: skip
    levers = model.params.policies.grid_management.model_copy(
        update={"report_quota_per_month": 20.0}
    )
    district = model.state
    grid_management.trivial_reports(district, levers, 3)
    assert district.day > 365 and len(arrivals) == 1 and len(arrivals[0])
    assert (arrivals[0] == 24.0 * district.day + 9.0).all()


def test_a_fractional_rate_of_fixes_counts_months_from_the_runs_start():
    """0.4 fixes a month: the first in month 3 and the next in month 5 of the run (day 90,
    150), whatever the burn-in's length."""
    fixes = run(
        ["proactive_governance"], days=160,
        overrides=["policies.proactive_governance.fixes_per_month=0.4"],
    ).costs()  # fmt: skip
    fixes = fixes[fixes["item"] == "root_cause_fixes"]
    assert fixes["day"].tolist() == [90, 150] and (fixes["quantity"] == 1).all()


def test_epidemic_surges_needs_and_mobilises_volunteers():
    calm = run(days=120, overrides=["sim.days=120"])
    sick = run(days=120, shocks=["epidemic"])
    arisen = lambda m: m.daily()["arisen_total"]  # noqa: E731
    assert arisen(sick).iloc[59] == arisen(calm).iloc[59]  # identical before the shock
    assert arisen(sick).iloc[-1] > 1.2 * arisen(calm).iloc[-1]
    assert (
        sick.daily()["volunteers_active"].iloc[70:].mean()
        > 2 * calm.daily()["volunteers_active"].iloc[70:].mean()
    )


def test_flood_hits_its_disc_and_arrival_wave_fills_urban_villages():
    flood = run(days=200, shocks=["flood", "arrival_wave"])
    calm = run(days=200)
    p_f, p_c = problems(flood), problems(calm)
    window = lambda p: p[(p["arisen_h"] > 24 * 180) & (p["arisen_h"] < 24 * 194)]  # noqa: E731
    assert len(window(p_f)) > len(window(p_c))
    migrants = flood.daily()["people_migrant"]
    assert migrants.iloc[160] > migrants.iloc[80] + 0.03 * 12000


def test_topic_wave_surges_its_topic_and_the_questions_only_while_it_lasts():
    """Needs of the wave's kinds arise 1.5× as often and consultations come 2× as often during
    its 30 days (from day 120); before it the run is the calm one, draw for draw."""
    wave = run(days=150, shocks=["topic_wave"])
    calm = run(days=150)
    d_w, d_c = wave.daily(), calm.daily()
    before = slice(0, 120)
    assert (
        d_w["consultations_total"].iloc[before] == d_c["consultations_total"].iloc[before]
    ).all()
    during = lambda d, col: d[col].iloc[149] - d[col].iloc[119]  # noqa: E731
    ratio = during(d_w, "consultations_total") / during(d_c, "consultations_total")
    assert 1.5 < ratio < 2.5  # the consultation stream is the same; the wave doubles its mean
    topic = lambda m: problems(m).query("kind == 'environment' and arisen_h >= 2880")  # noqa: E731
    other = lambda m: problems(m).query("kind == 'repair' and arisen_h >= 2880")  # noqa: E731
    assert len(topic(wave)) > 1.3 * len(topic(calm))
    assert abs(len(other(wave)) - len(other(calm))) <= 0.05 * len(other(calm))


@pytest.mark.parametrize(
    "scenario", ["old_town", "urban_village", "new_district", "epidemic", "flood"]
)
def test_scenario_presets_compose_and_run(scenario):
    model = run(scenario=scenario, days=5)
    assert model.params.scenario.name == scenario
    assert model.daily()["arisen_total"].iloc[-1] > 0


def test_shock_beyond_the_surge_ceiling_is_refused():
    from sim.config.types import ConfigError

    with pytest.raises(ConfigError, match="surge_ceiling"):
        load_params(shock=["epidemic"], overrides=["shocks.epidemic.need_multiplier=5"])


def test_catalogue_names_mixes_by_bundle():
    assert load_params(policy=["reform_2019"]).policy_mix == "reform_2019"
    parts = ["hotline", "whistle", "resource_sinking", "proactive_governance"]
    assert load_params(policy=parts).policy_mix == "reform_2019"
    assert load_params(policy=["hotline", "whistle"]).policy_mix == "hotline+whistle"
    assert load_params(policy=["kaohe", "grid_management"]).policy_mix == "kaohe+grid_management"
    assert load_params(policy=["hotline"]).policies.names == [
        "hotline_merge",
        "direct_dispatch",
        "kaohe",
    ]


def test_deliberation_unblocks_consent_cases_and_raises_participants_trust(base):
    talk = run(["deliberation"], days=150)
    solved = lambda m: (  # noqa: E731
        problems(m).query("kind == 'shared_facility'")["status"] == "solved"
    ).sum()
    assert talk.state.programmes.meetings_total > 0
    assert solved(talk) > solved(base)
    assert talk.state.programmes.meeting_hours_total > 0
    assert talk.daily()["spend_total_yuan"].sum() == pytest.approx(
        base.daily()["spend_total_yuan"].sum(), rel=1e-9
    )


@settings(max_examples=12, deadline=None)
@given(
    st.sets(st.sampled_from([n for n in POLICY_NAMES if n != "baseline"]), min_size=1, max_size=6)
)
def test_any_policy_mix_runs(mix):
    model = run(sorted(mix), days=8, overrides=["scenario.population.people=3000"])
    assert matches_recount(model)
