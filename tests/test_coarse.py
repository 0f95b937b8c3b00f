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

from experiments.callbacks import planned_jobs
from hydra_plugins.govsim_experiments.coarse import (
    CoarseJoblibLauncher,
    SeedGroupSweeper,
    jobs_to_check,
    seed_groups,
    tasks,
    with_overrides,
)
from sim import cli_process as lifeline
from sim.arms import for_arm, levers_per_arm, names_in
from sim.cli import _with_multirun_callback
from sim.cli_checks import checked

LEVER = "policies.hotline_merge.misroute_prob"


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


def test_an_addition_or_deletion_checks_one_job_of_each_seed_group():
    """A shock's `+shocks.flood.x` composes with the flood arm, not with the epidemic's."""
    jobs = [[f"shock={s}", "+shocks.flood.start_day=1", f"seed={i}"]
            for s in ("epidemic", "flood") for i in (0, 1)]  # fmt: skip
    assert jobs_to_check(jobs) == [0, 2]


def _batch(jobs):
    sweeper = SeedGroupSweeper.__new__(SeedGroupSweeper)
    sweeper.overrides, sweeper.batch_index = [jobs], 0
    return sweeper.get_job_batch()


def test_the_baseline_arm_of_a_levers_sweep_is_one_job_per_seed():
    jobs = [[f"policy={p}", f"++{LEVER}={v}", f"seed={s}"]
            for p in ("baseline", "hotline_merge") for v in (0.1, 0.3) for s in (0, 1)]  # fmt: skip
    batch = _batch(jobs)
    assert len(batch) == 6 and ["policy=baseline", "seed=0"] in batch
    assert ["policy=hotline_merge", f"{LEVER}=0.3", "seed=1"] in batch


def test_no_shock_in_a_sweep_of_shocks_runs_as_the_empty_list():
    batch = _batch([[f"shock={s}", "seed=0"] for s in ("null", "flood")])
    assert batch == [["shock=[]", "seed=0"], ["shock=flood", "seed=0"]]


@pytest.mark.parametrize("policy", ["reform_2019", "hotline", "[kaohe,hotline_merge]"])
def test_a_bundle_or_list_that_runs_the_policy_keeps_its_lever(policy):
    assert for_arm([f"policy={policy}", f"++{LEVER}=0.1"]) == [f"policy={policy}", f"{LEVER}=0.1"]
    assert for_arm(["policy=kaohe", f"++{LEVER}=0.1"]) == ["policy=kaohe"]


def test_a_lever_of_a_swept_policy_is_added_for_hydra_and_checked_against_bundles():
    args = checked(["policy=baseline,reform_2019", "policies.hotline_merge.merge_months=0"])
    assert args == ["policy=baseline,reform_2019", "++policies.hotline_merge.merge_months=0"]
    fixed = ["policy=hotline_merge", f"{LEVER}=0.1"]
    assert checked(fixed) == fixed  # one policy: a plain override
    compare = ["experiment=compare_policies", f"{LEVER}=0.1"]  # the preset sweeps hotline_merge
    assert checked(compare) == ["experiment=compare_policies", f"++{LEVER}=0.1"]
    other = ["policy=baseline,hotline_merge", f"{LEVER}=0.1", "hydra/sweeper=basic"]
    assert checked(other) == other  # a sweeper of the user's own gives every arm every lever


def test_a_shocks_lever_goes_to_the_arms_that_run_that_shock():
    lever = "shocks.flood.radius_cells"
    assert levers_per_arm(["shock=epidemic,flood", f"{lever}=5"]) == [
        "shock=epidemic,flood", f"++{lever}=5",
    ]  # fmt: skip
    assert for_arm(["shock=epidemic", f"++{lever}=5"]) == ["shock=epidemic"]
    assert for_arm(["shock=[flood,epidemic]", f"++{lever}=5"]) == [
        "shock=[flood,epidemic]", f"{lever}=5",
    ]  # fmt: skip
    assert for_arm(["shock=null", "policy=kaohe", f"++{lever}=5", f"++{LEVER}=0.1"]) == [
        "shock=null", "policy=kaohe",
    ]  # fmt: skip


def test_a_list_is_not_a_sweep_and_null_is_no_name():
    lever = "shocks.flood.radius_cells=5"
    assert levers_per_arm(["shock=[flood,epidemic]", lever]) == ["shock=[flood,epidemic]", lever]
    assert names_in("null,flood") == ["flood"]
    assert levers_per_arm(["+shock=epidemic,flood", lever])[1] == f"++{lever}"


def test_run_m_gets_the_seed_groups_sweeper_unless_one_is_chosen():
    assert "hydra/sweeper=seed_groups" in _with_multirun_callback(["-m", "seed=0,1"])
    chosen = _with_multirun_callback(["-m", "hydra/sweeper=basic"])
    assert "hydra/sweeper=seed_groups" not in chosen
    assert _with_multirun_callback(["seed=0"]) == ["seed=0"]


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


def test_the_progress_bar_counts_the_jobs_the_sweeper_launches():
    config = OmegaConf.create(
        {
            "hydra": {
                "overrides": {"task": ["policy=baseline,hotline_merge", f"++{LEVER}=0.1,0.3"]},
                "sweeper": {"params": {"seed": "range(0,2)"}},
            }
        }
    )
    assert planned_jobs(config) == 6  # baseline once per seed, not once per lever value


@pytest.mark.parametrize(
    ("argv", "forked"),
    [
        (["experiment=compare_policies"], True),
        (["experiment=compare_policies", "hydra.launcher.n_jobs=1"], False),
        (["experiment=compare_policies", "hydra/launcher=basic"], False),
        (["-m", "seed=0,1"], False),  # run -m: Hydra's basic launcher, in process
        (["-m", "hydra/launcher=local", "seed=0,1"], True),
        (["experiment=sensitivity"], True),
        (["experiment=calibrate"], False),  # one run with its own pool
        (["experiment=policy_search"], False),
        (["experiment=nope"], False),
        (["seed=0"], False),
    ],
)
def test_workers_come_from_a_server_only_for_a_parallel_local_multirun(argv, forked):
    assert lifeline.forks_workers(argv) is forked
