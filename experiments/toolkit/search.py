"""The cheapest policy mix that meets targets (`experiment=policy_search`), with optuna.

A candidate switches each of the run's policies on or off and sets the levers that
`problem.levers` opens; it is run over `toolkit.replications` seeds and scored by its mean
spending (minimised) and its targeted outcomes (in their direction), with the targets as
constraints (TPE, multi-objective). Candidates are asked in batches of `search.workers` in
one process and run in parallel, and the sampler is re-seeded from the trial count before
each batch, so the study is the same whatever the number of workers or interruptions. The
study lives in `study.journal` (optuna's journal file storage): after `kill -9` the same
command with `hydra.run.dir=<folder> resume=true` re-runs only the candidates that had not
finished. The Pareto front and the chosen mix are computed from the trials' means."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from rich.console import Console

from experiments.toolkit import pareto, problem
from experiments.toolkit.evaluate import run_outcomes
from sim.config.types import ConfigError
from sim.records import write_json_atomic, write_parquet_atomic, write_text_atomic

COST = "cost_total_yuan"
STUDY = "policy_search"


class Search:
    """One study: its problem, its storage, and how a trial becomes runs."""

    def __init__(self, tree: dict, out_dir: Path, resume: bool) -> None:
        self.settings, self.problem, self.targets = problem.check(tree)
        if not self.targets:
            raise ConfigError(
                "policy_search needs a target, e.g. target.satisfaction_rate_migrant='>=0.6'"
            )
        self.base = problem.run_tree(tree)
        self.candidates = list(self.base["policies"])
        self.seed = int(tree["seed"])
        self.columns = list(dict.fromkeys([COST, *self.targets, *self.problem.outcomes]))
        self.total = self.settings.search.trials * self.settings.scale
        self.out_dir = out_dir
        self.run = run_outcomes  # (tree, columns) -> outcomes; a test may put a toy here
        journal = out_dir / "study.journal"
        if journal.exists() and not resume:
            raise ConfigError(f"{out_dir} already holds a study: add resume=true to go on with it")
        self.study = self._study(journal)

    def _study(self, journal: Path):
        import optuna
        from optuna.storages import JournalStorage
        from optuna.storages.journal import JournalFileBackend

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        senses = ["maximize" if op == ">=" else "minimize" for op, _ in self.targets.values()]
        storage = JournalStorage(JournalFileBackend(str(journal)))
        return optuna.create_study(
            storage=storage, study_name=STUDY, directions=["minimize", *senses],
            load_if_exists=True,
        )  # fmt: skip

    def sampler(self):
        """TPE, seeded from the trial count; the targets are constraints the trials carry."""
        import optuna

        return optuna.samplers.TPESampler(
            seed=self.seed + len(self.study.trials),
            n_startup_trials=self.settings.search.startup_trials,
        )

    def suggest(self, trial) -> dict:
        """The candidate's policies and levers, as the run's `policies` section."""
        mix = {}
        for policy in self.candidates:
            if trial.suggest_categorical(f"use.{policy}", [True, False]):
                mix[policy] = dict(self.base["policies"][policy] or {})
        for name, lever in self.problem.levers.items():
            if lever.policy in mix:
                mix[lever.policy][lever.lever] = trial.suggest_float(name, lever.low, lever.high)
        return mix or {"baseline": {}}

    def trees(self, mix: dict) -> list[dict]:
        seeds = range(self.seed, self.seed + self.settings.replications)
        return [{**self.base, "policies": mix, "seed": seed} for seed in seeds]

    def finished(self) -> int:
        return sum(t.state.is_finished() for t in self.study.trials)


def _asked(search: Search, count: int) -> list:
    """New trials: the sampler is re-seeded from the trial count (reproducible batches)."""
    search.study.sampler = search.sampler()
    return [search.study.ask() for _ in range(count)]


def _interrupted(search: Search) -> list:
    """Trials asked but never told (the process was killed): run them again as they were."""
    import optuna

    running = search.study.get_trials(deepcopy=False, states=[optuna.trial.TrialState.RUNNING])
    return [optuna.trial.Trial(search.study, t._trial_id) for t in running]


def _tell(search: Search, trial, mix: dict, runs: list[dict | None]) -> None:
    import optuna

    trial.set_user_attr("mix", "+".join(mix))
    if any(r is None for r in runs):
        search.study.tell(trial, state=optuna.trial.TrialState.FAIL)
        return
    means = {c: float(np.nanmean([r[c] for r in runs])) for c in search.columns}
    trial.set_user_attr("runs", runs)
    trial.set_user_attr("means", means)
    for name, shortfall in zip(
        search.targets, pareto.violation(means, search.targets), strict=True
    ):
        trial.set_constraint(name, shortfall)
    values = [means[COST], *(means[name] for name in search.targets)]
    search.study.tell(trial, [v if v == v else float("inf") for v in values])


def _evaluate(pool: ProcessPoolExecutor, search: Search, batch: list) -> None:
    """Run every candidate of the batch over its seeds in parallel, then tell them in order.
    A candidate the study has already run (same switches and levers) is not run again:
    the same config and seeds give the same runs."""
    known = {
        _key(t.params): t.user_attrs["runs"] for t in search.study.trials if "runs" in t.user_attrs
    }
    mixes = [search.suggest(trial) for trial in batch]
    futures = [
        known.get(_key(trial.params))
        or [pool.submit(search.run, tree, search.columns) for tree in search.trees(mix)]
        for trial, mix in zip(batch, mixes, strict=True)
    ]
    for trial, mix, runs in zip(batch, mixes, futures, strict=True):
        if runs and isinstance(runs[0], dict):  # reused
            _tell(search, trial, mix, runs)
            continue
        _tell(search, trial, mix, [f.result() if f.exception() is None else None for f in runs])


def _key(params: dict) -> tuple:
    return tuple(sorted(params.items()))


class InProcess(Executor):
    """One worker: the candidates run in this process, with no pool to start."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


def optimise(search: Search, tick=None) -> None:
    """Ask, run and tell until the study has `trials` finished trials."""
    workers = search.settings.search.workers
    # spawned, not forked: the progress bar's thread is running when workers start
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, spawn) if workers > 1 else InProcess() as pool:
        batch = _interrupted(search)
        while batch or search.finished() < search.total:
            if not batch:
                batch = _asked(search, min(workers, search.total - len(search.study.trials)))
            _evaluate(pool, search, batch)
            batch = []
            if tick is not None:
                tick(search.finished())


def trials_table(search: Search) -> pd.DataFrame:
    """One row per finished trial: its mix, levers, mean outcomes, whether it meets every
    target and whether it is on the Pareto front (spending against the targeted outcomes)."""
    rows = []
    for t in search.study.trials:
        if "means" not in t.user_attrs:
            continue
        levers = {k: v for k, v in t.params.items() if not k.startswith("use.")}
        rows.append(
            {"number": t.number, "mix": t.user_attrs["mix"], **levers, **t.user_attrs["means"]}
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table["meets_targets"] = pareto.meets(table, search.targets)
    names = [COST, *search.targets]
    maximise = [False, *(op == ">=" for op, _ in search.targets.values())]
    table["pareto"] = pareto.non_dominated(table[names].to_numpy(), maximise)
    return table


def runs_table(search: Search) -> pd.DataFrame:
    """One row per run (trial × seed), as a comparison's runs.parquet has one per run."""
    seeds = range(search.seed, search.seed + search.settings.replications)
    rows = []
    for t in search.study.trials:
        runs = t.user_attrs.get("runs") or [None] * len(seeds)
        for seed, run in zip(seeds, runs, strict=True):
            status = "ok" if run is not None else "failed"
            mix = t.user_attrs.get("mix")
            rows.append(
                {"trial": t.number, "seed": seed, "policy": mix, "status": status, **(run or {})}
            )
    return pd.DataFrame(rows)


def chosen(table: pd.DataFrame) -> int | None:
    """The cheapest candidate that meets every target (its trial number)."""
    meeting = table[table["meets_targets"]] if not table.empty else table
    return None if meeting.empty else int(meeting.sort_values(COST)["number"].iloc[0])


def write_results(search: Search, wall_s: float) -> dict:
    """trials.csv, runs.parquet and toolkit.json (atomically); returns the record."""
    table = trials_table(search)
    write_text_atomic(table.to_csv(index=False), search.out_dir / "trials.csv")
    runs = runs_table(search)
    write_parquet_atomic(
        pa.Table.from_pandas(runs, preserve_index=False), search.out_dir / "runs.parquet"
    )
    record = {
        "method": "policy_search",
        "policy": "+".join(search.candidates),
        "scenario": search.base["scenario"]["name"],
        "people": search.base["scenario"].get("population", {}).get("people"),
        "days": search.base["sim"]["days"],
        "seeds": list(range(search.seed, search.seed + search.settings.replications)),
        "points": len(table),
        "runs": len(runs),
        "failed_runs": int((runs["status"] != "ok").sum()) if not runs.empty else 0,
        "targets": {k: list(v) for k, v in search.targets.items()},
        "chosen": chosen(table),
        "pareto_trials": table.loc[table["pareto"], "number"].tolist() if not table.empty else [],
        "settings": search.settings.model_dump(),
        "wall_s": round(wall_s, 1),
    }
    write_json_atomic(record, search.out_dir / "toolkit.json")
    return record


def _progress_bar(total: int, already: int):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("[bold]candidates"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True,
    )  # fmt: skip
    task = bar.add_task("candidates", total=total, completed=already)
    return bar, lambda done: bar.update(task, completed=done)


def run_search(tree: dict, out_dir: Path, resume: bool, progress: bool = True) -> dict:
    """Search, write the results and the report, print the chosen mix."""
    from experiments.toolkit.report import build

    started = time.time()
    search = Search(tree, Path(out_dir), resume)
    if progress and Console(stderr=True).is_terminal:
        bar, tick = _progress_bar(search.total, search.finished())
        with bar:
            optimise(search, tick)
    else:
        optimise(search)
    record = write_results(search, time.time() - started)
    console = Console()
    table = pd.read_csv(search.out_dir / "trials.csv")
    console.print(f"{len(table)} candidates, {int(table['pareto'].sum())} on the Pareto front")
    if record["chosen"] is None:
        console.print("no candidate meets every target")
    else:
        row = table[table["number"] == record["chosen"]].iloc[0]
        shown = ", ".join(f"{k} {row[k]:.4g}" for k in search.targets)
        console.print(
            f"cheapest meeting every target: {row['mix']} ({row[COST]:,.0f} yuan; {shown})"
        )
    console.print(f"report: {build(search.out_dir, str(tree.get('lang', 'en')))}")
    return record
