"""CityModel as a Mesa model: agents as views, stepping, the DataCollector."""

from __future__ import annotations

import numpy as np

from sim import CityModel, load_params
from sim.agents import (
    Community,
    Department,
    Migrant,
    Resident,
    SocialOrganization,
    StreetOffice,
)


def test_default_model_builds_with_rng_and_steps_a_day():
    model = CityModel(load_params(), rng=1)
    assert model.params.scenario.name == "default" and model.params.seed == 1
    types = model.agents_by_type
    for cls in (Resident, Migrant, Community, StreetOffice, SocialOrganization, Department):
        assert cls in types and len(types[cls]) > 0, cls
    people = len(types[Resident]) + len(types[Migrant])
    assert people == model.population.present.sum()  # as the burn-in left them: people come
    assert abs(people / model.params.scenario.population.people - 1) < 0.03  # and go
    assert len(types[StreetOffice]) == model.params.scenario.city.street_offices
    model.step()
    model.step()
    assert model.day == 2 and model.time == 2
    daily = model.daily()
    assert daily["day"].tolist() == [0, 1] and daily["satisfaction_migrant"].between(0, 1).all()


def test_person_agents_read_and_write_through_to_the_columns():
    model = CityModel(load_params(), rng=2)
    person = model.agents_by_type[Migrant].to_list()[0]
    assert person.age_band in ("child", "adult", "elderly")
    assert person.housing in ("old_town", "estate", "urban_village")
    assert person.tenure in ("owner", "renter")
    assert 0 <= person.willingness_to_report <= 1 and 0 <= person.willingness_to_volunteer <= 1
    person.trust = 0.95
    assert model.population.trust[person.slot] == 0.95
    low = person.willingness_to_report
    person.trust = 0.0
    assert person.willingness_to_report < low
    assert person.home.coordinate == (
        int(model.population.cell[person.slot]) // model.grid.dimensions[1],
        int(model.population.cell[person.slot]) % model.grid.dimensions[1],
    )
    mean_trust = model.agents_by_type[Resident].agg("trust", np.mean)
    assert 0 < mean_trust < 1


def test_handler_agents_view_their_pools():
    model = CityModel(load_params(), rng=3)
    office = model.agents_by_type[StreetOffice].to_list()[0]
    assert office.servers >= 1 and office.staff > 0 and office.name.startswith("street_office")
    for _ in range(5):
        model.step()
    pools = model.world.handlers.pools
    departments = model.agents_by_type[Department]
    assert all(unit.waiting == pools.waiting(unit.pool_index) for unit in departments)
    assert sum(unit.waiting for unit in departments) > 0  # their own workload queues up


def test_grid_has_the_layout_as_property_layers():
    model = CityModel(load_params(), rng=4)
    layers = model.grid._mesa_property_layers
    for name in ("land_use", "regime", "community", "street_office"):
        assert name in layers
    assert layers["street_office"].data.max() == model.params.scenario.city.street_offices - 1


def test_a_model_no_longer_referenced_is_freed():
    """A model and its agents form reference cycles; the cyclic collector must be able to
    free them (a sweep's worker or the page runs many models one after another). A numpy
    object array in the cycle would hide it from the collector for good."""
    import gc
    import weakref

    params = load_params(overrides=["scenario.population.people=2000", "sim.progress=false"])
    model = CityModel(params)
    for _ in range(20):  # people come and go: agents added and removed
        model.step()
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None


def test_each_cells_count_of_people_present_follows_comings_and_goings():
    """`Population.present_by_cell`, kept as people come and go and an arrival wave fills
    reserve places, is the count of those present in each cell."""
    overrides = ["scenario.population.people=3000", "sim.days=40", "sim.burn_in_days=0"]
    params = load_params("default", ["baseline"], overrides, shock=["arrival_wave"])
    wave = {**params.shocks.arrival_wave.model_dump(), "start_day": 2, "duration_days": 30}
    model = CityModel(params, rng=1)
    model.adopt(shocks={"arrival_wave": wave}, day=0)
    pop = model.population
    for _ in range(40):
        model.step()
    assert pop.present.sum() > 3000  # the wave came
    expected = np.bincount(pop.cell[pop.present], minlength=len(pop.present_by_cell))
    np.testing.assert_array_equal(pop.present_by_cell, expected)
