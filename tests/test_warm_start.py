"""A warm start: people begin as a burn-in under baseline left them, whatever the policy."""

from __future__ import annotations

import threading
import time

import numpy as np
from conftest import SMALL

from sim import CityModel, load_params, warm_start
from sim.warm_start import CARRIED

BURN_IN = 60


def _model(policy: str, burn_in: int = BURN_IN, days: int = 20, seed: int = 5) -> CityModel:
    overrides = [*SMALL, f"sim.days={days}", f"sim.burn_in_days={burn_in}"]
    return CityModel(load_params("default", [policy], overrides, seed=seed))


def _burnt_in() -> CityModel:
    """A cold baseline run through the burn-in's days: the people a warm start begins from."""
    cold = _model("baseline", burn_in=0, days=BURN_IN)
    for _ in range(BURN_IN):
        cold.step()
    return cold


def test_people_start_where_a_baseline_run_of_the_burn_in_length_ended():
    warm, cold = _model("hotline"), _burnt_in()
    stayed = cold.population.present
    for name in CARRIED:
        np.testing.assert_array_equal(
            getattr(warm.population, name)[stayed],
            getattr(cold.population, name)[stayed],
            err_msg=name,
        )
    assert not np.array_equal(warm.population.trust, _model("hotline", 0).population.trust)


def test_a_place_the_burn_in_left_empty_starts_with_a_newcomer():
    """Whoever holds on day 0 a place empty at the end of the burn-in starts as a newcomer
    (the values a cold start gives), not with the burn-in's last occupant's trust,
    satisfaction, expectations and awareness."""
    warm, cold, fresh = _model("hotline"), _burnt_in(), _model("hotline", burn_in=0)
    empty = ~cold.population.present & warm.population.present
    assert empty.sum() > 10
    for name in CARRIED:
        np.testing.assert_array_equal(
            getattr(warm.population, name)[empty],
            getattr(fresh.population, name)[empty],
            err_msg=name,
        )
    left = cold.population.trust[empty] != fresh.population.trust[empty]
    assert left.any()  # their last occupants' trust had moved: the test can tell them apart


def test_every_arm_starts_from_the_same_people_and_the_same_needs_arise():
    arms = [_model(policy) for policy in ("baseline", "reform_2019")]
    np.testing.assert_array_equal(arms[0].population.trust, arms[1].population.trust)
    for model in arms:
        for _ in range(20):
            model.step()
    a, b = (m.daily() for m in arms)
    assert list(a["day"]) == list(range(20))  # the burn-in's days are not reported
    assert (a["arisen_total"] == b["arisen_total"]).all()
    assert (arms[0].problems()["arisen_h"] >= 0).all()


def test_the_burn_in_is_computed_once_per_scenario_seed_and_length(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVSIM_CACHE_DIR", str(tmp_path))
    params = load_params("default", ["hotline"], [*SMALL, "sim.days=5", "sim.burn_in_days=7"])
    calls = []

    def run(burn_in):
        calls.append(burn_in)
        return _model("baseline", burn_in=0, days=1)

    first = warm_start.people_after_burn_in(params, run)
    again = warm_start.people_after_burn_in(params.model_copy(update={"lang": "zh"}), run)
    assert len(calls) == 1 and first is again
    assert calls[0].policies.names == ["baseline"] and calls[0].sim.days == 7


def test_a_new_process_loads_the_burn_in_from_disk_exactly(tmp_path, monkeypatch):
    """Another worker (an empty in-process cache) loads the stored burn-in instead of running
    it, bit for bit; an unreadable file is run again; other code never shares a key."""
    monkeypatch.setenv("GOVSIM_CACHE_DIR", str(tmp_path))
    params = load_params("default", ["baseline"], [*SMALL, "sim.days=5", "sim.burn_in_days=9"])
    ran = []

    def run(burn_in):
        ran.append(burn_in)
        return _model("baseline", burn_in=0, days=1, seed=8)

    first = warm_start.people_after_burn_in(params, run)
    monkeypatch.setattr(warm_start, "_CACHE", {})
    again = warm_start.people_after_burn_in(params, run)
    assert len(ran) == 1
    for name in CARRIED:
        np.testing.assert_array_equal(first[name], again[name], err_msg=name)
    (stored,) = warm_start.cache_dir().glob("*.npz")
    stored.write_bytes(b"not an array file")
    monkeypatch.setattr(warm_start, "_CACHE", {})
    warm_start.people_after_burn_in(params, run)
    assert len(ran) == 2
    monkeypatch.setattr(warm_start, "_CACHE", {})
    monkeypatch.setattr(warm_start, "_code_digest", lambda: "other code")
    warm_start.people_after_burn_in(params, run)
    assert len(ran) == 3


def test_workers_that_need_the_same_burn_in_at_once_compute_it_once(tmp_path, monkeypatch):
    """Two workers starting the same seed under two policies: the second waits for the
    first's burn-in and loads it (threads here; the lock is a file, as between processes)."""
    monkeypatch.setenv("GOVSIM_CACHE_DIR", str(tmp_path))
    params = load_params("default", ["baseline"], [*SMALL, "sim.days=5", "sim.burn_in_days=11"])
    ran, started = [], threading.Event()

    def slow_run(burn_in):
        ran.append(burn_in)
        started.set()
        time.sleep(0.5)  # the other worker arrives while this one computes
        return _model("baseline", burn_in=0, days=1, seed=9)

    computed = {}

    def first_worker():
        computed["people"] = warm_start.people_after_burn_in(params, slow_run)

    first = threading.Thread(target=first_worker)
    first.start()
    assert started.wait(60)
    second = warm_start.people_after_burn_in(params, slow_run)
    first.join()
    assert len(ran) == 1
    for name in CARRIED:  # the waiting worker loaded what the first computed
        np.testing.assert_array_equal(second[name], computed["people"][name], err_msg=name)
    assert second["trust"].shape == _model("baseline", burn_in=0, days=1).population.trust.shape
