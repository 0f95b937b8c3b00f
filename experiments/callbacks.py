"""The multirun callback: one progress bar, then runs.parquet, summary.csv and the report.

Registered by the option `hydra/callbacks=govsim` (experiments/hydra/callbacks/govsim.yaml),
which every experiment preset selects and `govsim run -m` adds. It runs in the main process
whatever the launcher; jobs signal completion by the files they write (summary.json or
failed.json), which is all the progress bar counts. When it ends it writes, if asked
(`status_file`), a small JSON naming the sweep folder, from which the command decides its
exit status: nothing is shared through module state.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sim.arms import arm_jobs
from sim.records import write_json_atomic

STATUS_ENV = "GOVSIM_MULTIRUN_STATUS"  # read by govsim.yaml: where to write the status


def planned_jobs(config: DictConfig) -> int:
    """How many jobs the sweep will launch (command-line sweeps times preset sweeps)."""
    task = list(OmegaConf.to_container(config.hydra.overrides.task, resolve=False))
    params = config.hydra.sweeper.get("params")  # None without a preset's sweep
    params = OmegaConf.to_container(params, resolve=False) if params else {}
    keys = {item.split("=", 1)[0].lstrip("+~") for item in task}
    task += [f"{k}={v}" for k, v in params.items() if k not in keys]
    parsed = OverridesParser.create().parse_overrides(task)
    if any(o.is_sweep_override() and not o.is_discrete_sweep() for o in parsed):
        return math.prod(
            len(list(o.sweep_iterator())) if o.is_sweep_override() else 1 for o in parsed
        )
    jobs = BasicSweeper.split_arguments(parsed, None)[0]
    return len(arm_jobs(jobs))  # as the sweeper launches them


def finished_runs(sweep_dir: Path) -> int:
    """Run folders that have ended, well (summary.json) or not (failed.json)."""
    if not sweep_dir.exists():
        return 0
    return sum(1 for _ in sweep_dir.rglob("summary.json")) + sum(
        1 for _ in sweep_dir.rglob("failed.json")
    )


class ProgressWatcher:
    """A thread drawing one progress bar on stderr from the run folders that have ended."""

    def __init__(self, sweep_dir: Path, total: int) -> None:
        self.sweep_dir, self.total = sweep_dir, total
        self.already = finished_runs(sweep_dir)  # a resumed sweep starts from what exists
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._draw, daemon=True)

    def _draw(self) -> None:
        with Progress(
            TextColumn("[bold]runs"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            task = progress.add_task("runs", total=self.total)
            while True:
                done = finished_runs(self.sweep_dir) - self.already
                progress.update(task, completed=min(max(done, 0), self.total))
                if self.stop_event.wait(0.5):
                    break

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread.is_alive():
            self.thread.join(timeout=2)


def report_sweep(sweep_dir: Path, lang: str, console: Console) -> None:
    """Aggregate the sweep folder, build the report, print where everything went."""
    from experiments.aggregate import aggregate
    from experiments.report import build

    runs, summary = aggregate(sweep_dir)
    if not summary.empty:
        console.print(f"report: {build(sweep_dir, runs, summary, lang)}")
    if not runs.empty:
        console.print(f"runs: {sweep_dir / 'runs.parquet'}")
    if (sweep_dir / "summary.csv").exists():
        console.print(f"summary: {sweep_dir / 'summary.csv'}")


class GovsimMultirun(Callback):
    def __init__(self, status_file: str | None = None) -> None:
        self.status_file = status_file
        self.watcher: ProgressWatcher | None = None

    def __getstate__(self) -> dict:  # launchers pickle the callbacks; a thread cannot be
        return {**self.__dict__, "watcher": None}

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        if self.status_file:  # where the command finds the sweep if it is interrupted
            status = {"sweep_dir": str(sweep_dir.absolute()), "finished": False}
            write_json_atomic(status, Path(self.status_file))
        self.watcher = ProgressWatcher(sweep_dir, planned_jobs(config))
        if Console(stderr=True).is_terminal:  # a bar redrawn into a file is blank lines
            self.watcher.start()
        from experiments.png import warm_browser

        warm_browser()  # the report's PNGs find it running when the runs end

    def report(self, sweep_dir: Path, lang: str, console: Console) -> None:
        """What the end of the multirun writes (an experiment's own callback may differ)."""
        report_sweep(sweep_dir, lang, console)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        if self.watcher is not None:
            self.watcher.stop()
        console = Console(stderr=True)
        error = None
        try:
            self.report(sweep_dir, str(config.get("lang", "en")), console)
        except OSError as exc:
            error = f"cannot write the aggregate to {sweep_dir}: {exc.strerror or exc}"
        except Exception as exc:  # Hydra would swallow it: say it, and fail the command
            error = f"cannot aggregate {sweep_dir}: {type(exc).__name__}: {exc}"
        if error:
            console.print(error)
        if self.status_file:
            status = {"sweep_dir": str(sweep_dir.absolute()), "error": error, "finished": True}
            write_json_atomic(status, Path(self.status_file))
