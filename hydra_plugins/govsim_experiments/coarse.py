"""Coarse multiruns: several runs per worker task, composed once; few checks before launch.

Hydra composes each job's config twice (~0.1-0.2 s each): once in the main process to check
it before launching, serially, while the workers wait; once in the worker. A seed never
makes a config illegal, nor does a policy or shock whose name the command line checked, so
`SeedGroupSweeper` composes the first job and one with each other swept value; it also
gives each job only the levers of the policies it runs. `CoarseJoblibLauncher` sends joblib
one task per group of jobs that differ only in their seed (split to keep
every worker busy); a task composes its first job's config and gives the others theirs by
setting the seed and the overrides Hydra records from it, then runs each as Hydra's joblib
launcher runs one: each job still has its own config, folder and outputs. The workers are let
go when the sweep ends, so that they exit while the main process writes the report.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hydra._internal.config_loader_impl import get_overrides_dirname
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.singleton import Singleton
from hydra.core.utils import JobReturn, configure_log, run_job, setup_globals
from hydra_plugins.hydra_joblib_launcher._core import process_joblib_cfg
from hydra_plugins.hydra_joblib_launcher.joblib_launcher import JoblibLauncher
from joblib import Parallel, cpu_count, delayed
from joblib.externals.loky import get_reusable_executor
from joblib.externals.loky.backend.context import set_start_method
from omegaconf import DictConfig, open_dict

from sim import cli_process as lifeline
from sim.arms import arm_jobs

log = logging.getLogger(__name__)
UNCHECKED = ("seed", "policy", "shock")  # keys whose values never make a config fail to compose
TASKS_PER_WORKER = 4  # enough tasks that a slow one does not leave a worker idle at the end


def seed_groups(jobs: Sequence[Sequence[str]]) -> list[list[int]]:
    """Indices of the jobs, grouped by their overrides other than `seed=` (jobs without one
    alone), in first-seen order."""
    groups: dict[tuple, list[int]] = {}
    for i, overrides in enumerate(jobs):
        others = tuple(o for o in overrides if not o.startswith("seed="))
        key = others if len(others) < len(overrides) else ("#", i)
        groups.setdefault(key, []).append(i)
    return list(groups.values())


def tasks(jobs: Sequence[Sequence[str]], workers: int) -> list[list[int]]:
    """Seed groups, halved until there are TASKS_PER_WORKER per worker (or single jobs); the
    i-th task starts i jobs into its group, so that tasks running side by side begin with
    different seeds and their workers do not each run the same seed's burn-in."""
    chunks = seed_groups(jobs)
    while len(chunks) < TASKS_PER_WORKER * workers and any(len(c) > 1 for c in chunks):
        chunks = [part for c in chunks for part in (c[: (len(c) + 1) // 2], c[(len(c) + 1) // 2 :])]
        chunks = [c for c in chunks if c]
    return [c[i % len(c) :] + c[: i % len(c)] for i, c in enumerate(chunks)]


def jobs_to_check(jobs: Sequence[Sequence[str]]) -> list[int]:
    """The jobs whose configs, composed before launch, show that every swept value composes:
    the first, then each with a value not seen yet of a key other than the seed and the
    policy or shock (their names were checked against the config folders before Hydra
    started: `sim.cli_checks.check_names`; a compare of 20 policies composes once, not 20
    times at ~0.14 s). With an addition (`+key`) or a deletion (`~key`), whose fate depends
    on what a policy or shock brings, one job of each group that differs only in its seed."""
    if any(o.startswith("~") or (o.startswith("+") and not o.startswith("++"))
           for job in jobs for o in job):  # fmt: skip
        return [group[0] for group in seed_groups(jobs)]  # `+x`, `~x`: a group's choice matters
    seen: set[str] = set()
    chosen = []
    for i, job in enumerate(jobs):
        new = {o for o in job if o.partition("=")[0].lstrip("+") not in UNCHECKED} - seen
        if i == 0 or new:
            chosen.append(i)
            seen |= new
    return chosen


class SeedGroupSweeper(BasicSweeper):
    def sweep(self, arguments: list[str]) -> Any:
        """Hydra's sweep; then the launcher lets its workers go (if it can)."""
        try:
            return super().sweep(arguments)
        finally:
            stop = getattr(self.launcher, "stop_workers", None)
            if stop is not None:
                stop()

    def get_job_batch(self) -> Sequence[Sequence[str]]:
        """Hydra's batch as the jobs run (`sim.arms.arm_jobs`): each with only its arm's
        levers, once."""
        return arm_jobs(super().get_job_batch())

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        """Compose the jobs `jobs_to_check` picks."""
        super().validate_batch_is_legal([batch[i] for i in jobs_to_check(batch)])


def with_overrides(template: DictConfig, overrides: Sequence[str]) -> DictConfig:
    """A job's config from another's (`template`) that differs from it only in the seed:
    what Hydra would compose for `overrides`."""
    cfg = copy.deepcopy(template)
    parsed = OverridesParser.create().parse_overrides(list(overrides))
    task = [o for o in parsed if not o.is_hydra_override()]
    naming = cfg.hydra.job.config.override_dirname
    with open_dict(cfg):
        cfg.seed = next(o.value() for o in task if o.key_or_group == "seed")
        cfg.hydra.overrides.task = [o.input_line for o in task]
        cfg.hydra.job.override_dirname = get_overrides_dirname(
            overrides=task,
            kv_sep=naming.kv_sep,
            item_sep=naming.item_sep,
            exclude_keys=naming.exclude_keys,
        )
    return cfg


def _run_task(jobs, hydra_context, config, task_function, singleton_state) -> list[JobReturn]:
    """The jobs (index, overrides) of one seed group, one after the other, as Hydra's joblib
    launcher runs each (`execute_job`), with one composition for all."""
    setup_globals()
    Singleton.set_state(singleton_state)
    template = hydra_context.config_loader.load_sweep_config(config, list(jobs[0][1]))
    returns = []
    for idx, overrides in jobs:
        sweep_config = with_overrides(template, overrides) if len(jobs) > 1 else template
        with open_dict(sweep_config):
            sweep_config.hydra.job.id = f"{sweep_config.hydra.job.name}_{idx}"
            sweep_config.hydra.job.num = idx
        HydraConfig.instance().set_config(sweep_config)
        returns.append(
            run_job(
                hydra_context=hydra_context,
                config=sweep_config,
                task_function=task_function,
                job_dir_key="hydra.sweep.dir",
                job_subdir_key="hydra.sweep.subdir",
            )
        )
    return returns


class CoarseJoblibLauncher(JoblibLauncher):
    launched = False  # whether workers were started (not for one worker, run in process)

    def stop_workers(self) -> None:
        """Let the workers exit now, while the main process writes the report, rather than
        be joined at its exit (about a second)."""
        if self.launched:
            get_reusable_executor(reuse=True).shutdown(wait=False)

    def launch(
        self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int
    ) -> Sequence[JobReturn]:
        setup_globals()
        configure_log(self.config.hydra.hydra_logging, self.config.hydra.verbose)
        Path(str(self.config.hydra.sweep.dir)).mkdir(parents=True, exist_ok=True)
        joblib_cfg = {**self.joblib, "backend": "loky"}  # threads are incompatible with Hydra
        if lifeline.worker_server:  # workers forked from a server with govsim imported
            set_start_method("forkserver", force=True)
        process_joblib_cfg(joblib_cfg)
        n_jobs = joblib_cfg.get("n_jobs") or 1
        workers = cpu_count() + 1 + n_jobs if n_jobs < 0 else n_jobs
        self.launched |= workers > 1
        chunks = tasks(job_overrides, max(1, workers))
        log.info(f"Joblib: {len(job_overrides)} jobs in {len(chunks)} tasks")
        singleton_state = Singleton.get_state()
        results = Parallel(**joblib_cfg)(
            delayed(_run_task)(
                [(initial_job_idx + i, job_overrides[i]) for i in chunk],
                self.hydra_context,
                self.config,
                self.task_function,
                singleton_state,
            )
            for chunk in chunks
        )
        by_index = {i: ret for chunk, rets in zip(chunks, results, strict=True)
                    for i, ret in zip(chunk, rets, strict=True)}  # fmt: skip
        return [by_index[i] for i in range(len(job_overrides))]
