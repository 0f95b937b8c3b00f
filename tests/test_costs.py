"""The cost ledger in long form (costs.parquet) against independent computations."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from sim import load_params
from sim.config.load import compose_config, job_tree
from sim.policies import PRICED
from sim.runner import simulate, write_outputs

SMALL = ["scenario.population.people=6000", "sim.days=60", "sim.progress=false"]


def _written(tmp, policies):
    # needs reported readily, so that every priced item (school places too) is booked
    reported = [*SMALL, "scenario.dispatch.community_report_rate_per_day=0.3"]
    overrides = (
        [*reported, "policies.purchase_services.ramp_up_days=5"] if len(policies) > 1 else reported
    )
    params = load_params("urban_village", policies, overrides, seed=5)
    tree = job_tree(compose_config("urban_village", policies, overrides, seed=5))
    write_outputs(simulate(params), tree, tmp, time.time())
    daily = pd.read_parquet(tmp / "daily.parquet")
    return params, daily, pd.read_parquet(tmp / "costs.parquet")


@pytest.fixture(scope="module")
def priced(tmp_path_factory):
    return _written(
        tmp_path_factory.mktemp("priced"),
        # grid_management would change the grid whose standing wages a test recounts
        [p for p in PRICED if p != "grid_management"],
    )


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    return _written(tmp_path_factory.mktemp("baseline"), ["baseline"])


def test_every_row_is_quantity_times_unit_cost(priced):
    _, _, costs = priced
    assert set(costs["item"]) >= {
        "moved_department_staff", "funds_moved_down", "street_contracted_workers",
        "volunteer_hours", "volunteer_honours",
        "purchased_social_work", "platform_capital", "platform_operation", "hotline_seats",
        "outreach_staff", "root_cause_fixes", "school_places", "housing_slots",
        "displaced_street_staff", "displaced_community_staff",
    }  # fmt: skip
    np.testing.assert_allclose(
        costs["quantity"] * costs["unit_cost_yuan"], costs["yuan"], rtol=1e-12, atol=0
    )
    assert (costs["yuan"] != 0).all()


def test_funds_moved_down_are_a_transfer_that_nets_to_zero(priced):
    params, _, costs = priced
    funds = costs[costs["item"] == "funds_moved_down"]
    per_day = params.policies.resource_sinking.funds_moved_yuan_per_year / 365
    assert set(funds["payer"]) == {"district", "street"}
    assert funds.groupby("day")["yuan"].sum().eq(0.0).all()
    assert funds.loc[funds["payer"] == "street", "yuan"].eq(per_day).all()
    assert funds["day"].nunique() == params.sim.days


@pytest.mark.parametrize("run", ["priced", "baseline"])
def test_daily_spend_columns_are_the_ledger_rows_summed(run, request):
    params, daily, costs = request.getfixturevalue(run)
    assert len(daily) == params.sim.days
    costs = costs[costs["category"] != "shadow"]  # priced for the record, never spent
    for by, names in (
        ("category", ("wages", "stipends", "contracts", "capital", "operating", "entitlements")),
        ("payer", ("city", "district", "street")),
    ):
        table = costs.pivot_table(index="day", columns=by, values="yuan", aggfunc="sum")
        table = table.reindex(index=daily["day"], columns=names).fillna(0.0)
        for name in names:
            np.testing.assert_allclose(
                daily[f"spend_{name}_yuan"], table[name], rtol=1e-12, atol=1e-9, err_msg=name
            )
    total = costs.groupby("day")["yuan"].sum().reindex(daily["day"]).fillna(0.0)
    np.testing.assert_allclose(daily["spend_total_yuan"], total, rtol=1e-12)


def _expected_wages(params) -> dict[str, float]:
    """Each wage item's daily yuan, from the scenario config and the policy levers alone."""
    s = params.scenario
    n_streets = s.city.street_offices
    n_communities = n_streets * s.city.communities_per_street_office
    sinking = params.policies.resource_sinking
    moved = {
        name: min(round(d.staff * sinking.staff_moved_share), d.staff - 1)
        if sinking and name in sinking.moved_from_departments
        else 0
        for name, d in s.departments.items()
    }
    wages = {
        "street_office_staff": n_streets * s.street_office.staff_per_unit
        * s.street_office.wage_yuan_per_staff_day,
        "community_staff": n_communities * s.community.staff_per_unit
        * s.community.wage_yuan_per_staff_day,
        "department_staff": sum(
            (d.staff - moved[n]) * d.wage_yuan_per_staff_day for n, d in s.departments.items()
        ),
        "moved_department_staff": sum(
            moved[n] * d.wage_yuan_per_staff_day for n, d in s.departments.items()
        ),
        "grid_workers": s.population.people / s.population.people_per_household
        / s.grid.households_per_grid * s.grid.wage_yuan_per_staff_day,
    }  # fmt: skip
    if (inclusion := params.policies.migrant_inclusion) is not None:
        wages["outreach_staff"] = (
            inclusion.outreach_staff_per_street_office
            * n_streets
            * s.street_office.wage_yuan_per_staff_day
        )
    return {item: yuan for item, yuan in wages.items() if yuan}


@pytest.mark.parametrize("run", ["priced", "baseline"])
def test_wage_rows_are_staff_times_wage_from_the_config(run, request):
    params, _, costs = request.getfixturevalue(run)
    wages = costs[costs["category"] == "wages"]
    booked = wages.pivot_table(index="day", columns="item", values="yuan", aggfunc="sum")
    expected = _expected_wages(params)
    assert set(booked.columns) == set(expected)
    for item, yuan in expected.items():
        np.testing.assert_allclose(booked[item], yuan, rtol=1e-9, err_msg=item)
    # moved staff keep their department's pay: sinking changes who pays, not the wage bill
    staff = ("street_office_staff", "community_staff", "department_staff")
    bill = sum(expected.get(item, 0.0) for item in (*staff, "moved_department_staff"))
    unmoved = load_params("urban_village", ["baseline"], SMALL)
    assert bill == pytest.approx(sum(_expected_wages(unmoved)[item] for item in staff))


def test_displaced_staff_hours_are_shadow_rows_of_the_pressed_servers(priced):
    """考核 moves staff from other duties: every pressed staff-day is a shadow row at the
    office's wage, and the daily table's displaced hours are those staff-days x office hours."""
    params, daily, costs = priced
    shadow = costs[costs["category"] == "shadow"]
    assert set(shadow["item"]) == {
        "displaced_street_staff", "displaced_community_staff",
        "duty_overtime_street", "duty_overtime_community",
    }  # fmt: skip
    shadow = shadow[shadow["item"].str.startswith("displaced")]
    s = params.scenario
    wages = {
        "displaced_street_staff": s.street_office.wage_yuan_per_staff_day,
        "displaced_community_staff": s.community.wage_yuan_per_staff_day,
    }
    assert (shadow["unit_cost_yuan"] == shadow["item"].map(wages)).all()
    assert shadow["day"].min() >= 30  # the first ranking is at the end of day 29
    day_h = {
        "displaced_street_staff": s.street_office.office_hours.close_h
        - s.street_office.office_hours.open_h,
        "displaced_community_staff": s.community.office_hours.close_h
        - s.community.office_hours.open_h,
    }
    hours = (shadow["quantity"] * shadow["item"].map(day_h)).groupby(shadow["day"]).sum()
    moved = daily.set_index("day")["displaced_staff_h"]
    assert moved.drop(hours.index).eq(0.0).all()
    np.testing.assert_allclose(hours, moved.reindex(hours.index), rtol=1e-9)
    assert daily["other_duties_backlog_h"].iloc[-1] == pytest.approx(
        daily["displaced_staff_h"].sum()
    )
