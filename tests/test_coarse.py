"""Coarse multiruns (hydra_plugins/govsim_experiments/coarse.py): a seed group's jobs get
the configs Hydra would compose for them, tasks keep every worker busy, and the workers
exit when the sweep is done."""

from __future__ import annotations

import os
import time
from types import SimpleNamespace

import pytest
from hydra import compose, initialize_config_module
from joblib import Parallel, delayed
from omegaconf import OmegaConf

from hydra_plugins.govsim_experiments.coarse import (
    CoarseJoblibLauncher,
    SeedGroupSweeper,
    jobs_to_check,
    seed_groups,
    tasks,
    with_overrides,
)


def test_a_seed_variant_is_the_config_hydra_composes():
    jobs = [
        ["policy=kaohe", "seed=0", "sim.days=5", "policies.kaohe.exemption_share=0.5"],
        ["policy=kaohe", "seed=7", "sim.days=5", "policies.kaohe.exemption_share=0.5"],
    ]
    with initialize_config_module(config_module="scenarios", version_base="1.3"):
        template = compose("config", jobs[0], return_hydra_config=True)
        for job in jobs:
            expected = compose("config", job, return_hydra_config=True)
            assert OmegaConf.to_container(with_overrides(template, job)) == (
                OmegaConf.to_container(expected)
            )
    named = with_overrides(template, jobs[1]).hydra.job.override_dirname
    assert named.endswith("seed=7,sim.days=5")


def test_jobs_group_by_everything_but_the_seed():
    jobs = [[f"policy={p}", f"seed={s}"] for p in ("a", "b") for s in range(3)]
    assert seed_groups(jobs) == [[0, 1, 2], [3, 4, 5]]
    assert seed_groups([["policy=a"], ["policy=a"]]) == [[0], [1]]  # no seed: never merged
    assert tasks(jobs, workers=2) == [[i] for i in range(6)]  # split to keep 2 workers busy
    many = [[f"policy={p}", f"seed={s}"] for p in range(20) for s in range(3)]
    chunks = tasks(many, workers=2)
    assert len(chunks) == 20  # 20 groups of 3 seeds: enough tasks already
    assert sorted(i for c in chunks for i in c) == list(range(60))
    first_seeds = [many[c[0]][1] for c in chunks[:3]]
    assert len(set(first_seeds)) == 3  # side by side, workers start on different seeds


def test_each_swept_value_but_seeds_policies_and_shocks_is_composed_once_before_launch():
    jobs = [
        [f"policy={p}", f"sim.days={d}", f"seed={s}"]
        for p in ("a", "b")
        for d in (5, 9)
        for s in range(3)
    ]
    assert jobs_to_check(jobs) == [0, 3]  # the first, then the first with sim.days=9
    lever = [["policy=b", "seed=0"], ["policy=x", "policies.x.k=1", "seed=0"]]
    assert jobs_to_check(lever) == [0, 1]  # a lever composes with its arm


def test_the_workers_exit_when_the_sweep_is_done():
    launcher = CoarseJoblibLauncher(n_jobs=2)
    launcher.launched = True  # as its launch does with two workers
    pids = set(Parallel(n_jobs=2, backend="loky")(delayed(os.getpid)() for _ in range(8)))
    launcher.stop_workers()
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in pids)  # loky would keep them for 300 s


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_sweep_lets_the_workers_go_even_if_refused(monkeypatch):
    calls = []
    launcher = SimpleNamespace(stop_workers=lambda: calls.append("stop"))

    def refused(self, arguments):
        calls.append("check")
        raise ValueError("refused")

    monkeypatch.setattr(SeedGroupSweeper.__bases__[0], "sweep", refused)  # Hydra's BasicSweeper
    sweeper = SeedGroupSweeper.__new__(SeedGroupSweeper)
    sweeper.launcher = launcher
    with pytest.raises(ValueError):
        sweeper.sweep([])
    assert calls == ["check", "stop"]
