"""A warm start: a run goes on from the district a baseline burn-in left, whatever the policy."""

from __future__ import annotations

import os
import threading
import time

import numpy as np
import pandas as pd
import pytest
from conftest import SMALL

from sim import CityModel, load_params, records, warm_start
from sim.city import LAND_USES
from sim.records import problems_table

BURN_IN, DAYS = 60, 30
HOURS = ["arisen_h", "known_h", "responded_h", "closed_h", "escalated_h", "department_start_h",
         "first_closed_h"]  # fmt: skip
NO_LEARNING = "scenario.dispatch.failure_learning_exponent=0"  # a cold run has no reference
EPIDEMIC = {
    "start_day": 5, "duration_days": 10, "need_multiplier": 2.0, "kinds": ["care", "jobs"],
    "staff_out_share": 0.3, "grid_takeover_share": 0.5, "volunteer_mobilisation_multiplier": 2.0,
}  # fmt: skip


def _params(policy="baseline", burn_in=BURN_IN, days=DAYS, seed=5, extra=()):
    overrides = [*SMALL, f"sim.days={days}", f"sim.burn_in_days={burn_in}", *extra]
    return load_params("default", [policy], overrides, seed=seed)


def _ran(model: CityModel, days: int) -> CityModel:
    for _ in range(days):
        model.step()
    return model


def _warm(policy="baseline", extra=(), seed=5) -> CityModel:
    return _ran(CityModel(_params(policy, extra=(NO_LEARNING, *extra), seed=seed)), DAYS)


def _cold_adopting(policies=None, shocks=None, seed=5) -> CityModel:
    """A cold baseline run of the burn-in's days and the run's, adopting the run's rules on
    the burn-in's last day + 1: what a warm run must be the rest of."""
    cold = _ran(
        CityModel(_params(burn_in=0, days=BURN_IN + DAYS, extra=[NO_LEARNING], seed=seed)), BURN_IN
    )
    if policies or shocks:
        cold.adopt(policies, shocks, day=BURN_IN)
    cold.busy_at_burn_in_end_h = cold.world.handlers.pools.busy_h.copy()
    return _ran(cold, DAYS)


def _problems_from_day(model: CityModel, day: int) -> pd.DataFrame:
    """The problems a run from `day` on would report: hours from that day, those that ended
    before it left out, with the calls about each (ids differ between the two runs)."""
    problems = model.problems()
    problems = problems[~(problems["closed_h"] < 24.0 * day)].copy()
    problems[list(HOURS)] -= 24.0 * day
    calls = model.calls()
    calls = calls[calls["call_h"] >= 24.0 * day].assign(call_h=calls["call_h"] - 24.0 * day)
    calls = calls.groupby("problem_id")["call_h"].apply(tuple)
    problems["calls_h"] = problems["problem_id"].map(calls)
    return problems.drop(columns="problem_id").reset_index(drop=True)


def _assert_goes_on(warm: CityModel, cold: CityModel) -> None:
    pd.testing.assert_frame_equal(_problems_from_day(warm, 0), _problems_from_day(cold, BURN_IN))
    cold_calls = cold.calls()
    pd.testing.assert_series_equal(
        warm.calls()["call_h"], cold_calls[cold_calls["call_h"] >= 24.0 * BURN_IN]["call_h"]
        .reset_index(drop=True) - 24.0 * BURN_IN,
    )  # fmt: skip
    stocks = ["open", "latent", "waiting_jobs", "volunteers_active", "satisfaction_migrant",
              "trust_resident", "hotline_aware_share_migrant", "spend_total_yuan"]  # fmt: skip
    pd.testing.assert_frame_equal(
        warm.daily()[stocks], cold.daily()[stocks].iloc[BURN_IN:].reset_index(drop=True)
    )
    for name in ("trust", "expectation_ratio", "aware", "volunteer", "present", "person_id"):
        np.testing.assert_array_equal(
            getattr(warm.population, name), getattr(cold.population, name), err_msg=name
        )


@pytest.mark.parametrize("cache", ["computed", "in_process", "from_disk"])
def test_a_warm_baseline_run_is_the_rest_of_a_cold_one(cache, tmp_path, monkeypatch):
    """Everything the burn-in left goes on: latent needs, open cases, queues, people and
    random streams, whether the burn-in was just computed, kept in the process or stored."""
    monkeypatch.setenv("GOVSIM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(warm_start, "_CACHE", {})
    if cache != "computed":
        CityModel(_params(extra=[NO_LEARNING]))  # computes and stores it
    if cache == "from_disk":
        monkeypatch.setattr(warm_start, "_CACHE", {})  # another worker: only the disk
    warm, cold = _warm(), _cold_adopting()
    _assert_goes_on(warm, cold)
    work_h = cold.world.handlers.pools.busy_h - cold.busy_at_burn_in_end_h  # the run's only
    np.testing.assert_allclose(warm.world.handlers.pools.busy_h, work_h, rtol=1e-9)
    carried = warm.problems()
    hours = [c for c in carried if c.endswith("_h") and "deadline" not in c]
    assert set(hours) == set(HOURS) == set(records.HOURS)  # every hour column moves to day 0
    assert (carried[hours].max().fillna(0) < 24.0 * BURN_IN).all()  # none on the district clock
    assert (carried["arisen_h"] < 0).sum() > 100  # needs carried in: latent ones
    assert ((carried["known_h"] < 0) & (carried["closed_h"] >= 0)).sum() > 10  # and open cases


def test_a_warm_run_adopts_its_policies_and_shocks_on_day_0():
    """The run's rules come into force on day 0 as an adoption on a running district does;
    a shock's days and a later policy's start count from day 0."""
    epidemic = [f"+shocks.epidemic.{key}={value}" for key, value in EPIDEMIC.items()]
    epidemic[3] = "+shocks.epidemic.kinds=[care,jobs]"
    warm = _warm("direct_dispatch", extra=[*epidemic, "+policy_start_day.direct_dispatch=3"])
    cold = _ran(CityModel(_params(burn_in=0, days=BURN_IN + DAYS, extra=[NO_LEARNING])), BURN_IN)
    cold.adopt(shocks={"epidemic": {**EPIDEMIC, "start_day": BURN_IN + 5}}, day=BURN_IN)
    levers = warm.calendar.latest(warm.state.params).policies.direct_dispatch.model_dump()
    cold.adopt({"direct_dispatch": levers}, day=BURN_IN + 3)
    _assert_goes_on(warm, _ran(cold, DAYS))
    volunteers = warm.daily()["volunteers_active"]  # mobilised from day 5 to day 14
    assert volunteers[5] > 1.3 * volunteers[4] and volunteers[15] < volunteers[14] / 1.3


def test_every_arm_goes_on_from_the_same_district():
    arms = [_ran(CityModel(_params(policy)), 20) for policy in ("baseline", "reform_2019")]
    a, b = (m.problems().assign(known_before=lambda p: p["known_h"] < 0) for m in arms)
    before = ["arisen_h", "kind", "person_id", "known_before"]  # carried in, alike
    pd.testing.assert_frame_equal(a[a["arisen_h"] < 0][before], b[b["arisen_h"] < 0][before])
    assert list(arms[0].daily()["day"]) == list(range(20))  # the burn-in's days are not reported
    assert (arms[0].daily()["arisen_total"] == arms[1].daily()["arisen_total"]).all()
    assert not a["closed_h"].lt(0).any()  # nothing that ended before day 0 is the run's


def test_only_the_problems_still_alive_are_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVSIM_CACHE_DIR", str(tmp_path))
    burnt_in = _ran(CityModel(_params(burn_in=0, days=BURN_IN)), BURN_IN).state
    state = warm_start.district_after_burn_in(
        _params(), lambda params: _ran(CityModel(params), BURN_IN)
    )
    alive = np.isin(burnt_in.log.status, [0, 1])  # latent, open
    assert state.log.size == alive.sum() < burnt_in.log.size / 2
    np.testing.assert_array_equal(state.log.arisen_h, burnt_in.log.arisen_h[alive])
    np.testing.assert_array_equal(np.sort(state.latent_ids), np.flatnonzero(state.log.status == 0))


def _burn_in_counted(ran: list, sleep_s: float = 0.0):
    def run(params):
        ran.append(params)
        time.sleep(sleep_s)  # another worker may arrive meanwhile
        return _ran(CityModel(params, people_agents=False), params.sim.days)

    return run


def test_the_burn_in_is_computed_once_per_scenario_seed_and_length(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVSIM_CACHE_DIR", str(tmp_path))
    params = _params("hotline", burn_in=7, days=5)
    ran = []
    first = warm_start.district_after_burn_in(params, _burn_in_counted(ran))
    again = warm_start.district_after_burn_in(
        params.model_copy(update={"lang": "zh"}), _burn_in_counted(ran)
    )
    assert len(ran) == 1 and first is not again  # each run gets a district of its own
    np.testing.assert_array_equal(first.world.population.trust, again.world.population.trust)
    assert ran[0].policies.names == ["baseline"] and ran[0].sim.days == 7


def test_an_unreadable_or_other_codes_burn_in_is_run_again(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVSIM_CACHE_DIR", str(tmp_path))
    params, ran = _params(burn_in=9, days=5, seed=8), []
    warm_start.district_after_burn_in(params, _burn_in_counted(ran))
    (stored,) = warm_start.cache_dir().glob("*.pkl")
    stored.write_bytes(b"not a pickle")
    monkeypatch.setattr(warm_start, "_CACHE", {})
    warm_start.district_after_burn_in(params, _burn_in_counted(ran))
    assert len(ran) == 2
    monkeypatch.setattr(warm_start, "_CACHE", {})
    monkeypatch.setattr(warm_start, "_code_digest", lambda: "other code")
    warm_start.district_after_burn_in(params, _burn_in_counted(ran))
    assert len(ran) == 3


def test_workers_that_need_the_same_burn_in_at_once_compute_it_once(tmp_path, monkeypatch):
    """Two workers starting the same seed under two policies: the second waits for the
    first's burn-in and loads it (threads here; the lock is a file, as between processes)."""
    monkeypatch.setenv("GOVSIM_CACHE_DIR", str(tmp_path))
    params, ran, computed = _params(burn_in=11, days=5, seed=9), [], {}

    def first_worker():
        computed["state"] = warm_start.district_after_burn_in(params, _burn_in_counted(ran, 0.5))

    first = threading.Thread(target=first_worker)
    first.start()
    while not ran:
        time.sleep(0.01)
    second = warm_start.district_after_burn_in(params, _burn_in_counted(ran))
    first.join()
    assert len(ran) == 1
    for name in ("trust", "aware", "present"):  # the waiting worker loaded what the first computed
        np.testing.assert_array_equal(
            getattr(second.world.population, name),
            getattr(computed["state"].world.population, name),
            err_msg=name,
        )
    np.testing.assert_array_equal(second.log.arisen_h, computed["state"].log.arisen_h)


def test_without_a_writable_cache_folder_a_process_keeps_its_own_copy(tmp_path, monkeypatch):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setenv("GOVSIM_CACHE_DIR", str(blocked))
    monkeypatch.setattr(warm_start, "_CACHE", {})
    params, ran = _params(burn_in=6, days=5, seed=4), []
    first = warm_start.district_after_burn_in(params, _burn_in_counted(ran))
    again = warm_start.district_after_burn_in(params, _burn_in_counted(ran))
    assert len(ran) == 1 and first is not again
    np.testing.assert_array_equal(first.log.arisen_h, again.log.arisen_h)


def test_the_cache_folder_keeps_the_newest_burn_ins_within_its_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(warm_start, "_DISK_BYTES", 250)
    for age, name in enumerate(["new", "middle", "old", "oldest"]):
        path = tmp_path / f"{name}.pkl"
        path.write_bytes(b"x" * 100)
        (tmp_path / f"{name}.lock").write_text("")
        os.utime(path, (1e9 - age, 1e9 - age))
    (tmp_path / "older_govsim.npz").write_bytes(b"x")
    warm_start._prune(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "middle.lock", "middle.pkl", "new.lock", "new.pkl"
    ]  # fmt: skip
    monkeypatch.setattr(warm_start, "_DISK_BYTES", 10)  # one larger than the budget stays
    warm_start._prune(tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.pkl")) == ["new.pkl"]


def test_a_closed_problem_a_job_still_holds_is_kept_but_not_the_runs(tmp_path, monkeypatch):
    """A queued job or a consent case waiting for a meeting may hold a problem that has
    ended: it is stored with the live ones (renumbered with its job), and the run's problem
    table leaves it out."""
    state = _ran(CityModel(_params(burn_in=0, days=BURN_IN)), BURN_IN).state
    log, pools = state.log, state.world.handlers.pools
    closed = np.flatnonzero(log.status == 2)[:2]  # solved before the burn-in's end
    pools.problem[0] = closed[0]
    state.programmes.awaiting_deliberation = [int(closed[1])]
    state.programmes.deliberation_would_solve = [True]
    state.staffing.other_duties_backlog_h = 5.0
    arisen_h = log.arisen_h[closed].copy()
    warm_start._keep_alive_problems(state)
    kept = state.log
    assert kept.arisen_h[pools.problem[0]] == arisen_h[0]
    assert kept.arisen_h[state.programmes.awaiting_deliberation[0]] == arisen_h[1]
    assert state.staffing.other_duties_backlog_h == 0.0
    labels = {"kind": state.world.kinds.names, "category": state.world.kinds.category_names,
              "land_use": tuple(use.value for use in LAND_USES)}  # fmt: skip
    table = problems_table(kept, labels, 24.0 * BURN_IN)
    assert pools.problem[0] not in table.column("problem_id").to_pylist()  # ended before
    assert len(table) == int(np.isin(kept.status, [0, 1]).sum())
