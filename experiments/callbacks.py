"""A Hydra callback for every multirun: one progress bar, then runs.parquet and summary.csv.

It runs in the main process whatever the launcher; jobs signal completion by the files they
write (summary.json or failed.json), which is all the progress bar counts.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def planned_jobs(config: DictConfig) -> int:
    """How many jobs the sweep will launch (command-line sweeps times preset sweeps)."""
    task = list(OmegaConf.to_container(config.hydra.overrides.task, resolve=False))
    params = OmegaConf.to_container(config.hydra.sweeper.get("params") or {}, resolve=False)
    keys = {item.split("=", 1)[0].lstrip("+~") for item in task}
    task += [f"{k}={v}" for k, v in params.items() if k not in keys]
    parsed = OverridesParser.create().parse_overrides(task)
    return math.prod(len(list(o.sweep_iterator())) if o.is_sweep_override() else 1 for o in parsed)


def _finished(sweep_dir: Path) -> int:
    return sum(1 for _ in sweep_dir.rglob("summary.json")) + sum(
        1 for _ in sweep_dir.rglob("failed.json")
    )


FAILURES: dict[str, str] = {}  # sweep folder -> message, for the command's exit status


# The watcher lives at module level: launchers pickle the callbacks, and a thread cannot be.
_WATCHERS: dict[str, tuple[threading.Event, threading.Thread]] = {}


class GovsimMultirun(Callback):
    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        total = planned_jobs(config)
        already = _finished(sweep_dir) if sweep_dir.exists() else 0

        stop = threading.Event()

        def watch() -> None:
            with Progress(
                TextColumn("[bold]runs"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            ) as progress:
                task = progress.add_task("runs", total=total)
                while not stop.wait(0.5):
                    done = _finished(sweep_dir) - already if sweep_dir.exists() else 0
                    progress.update(task, completed=min(max(done, 0), total))

        thread = threading.Thread(target=watch, daemon=True)
        _WATCHERS[str(sweep_dir)] = (stop, thread)
        thread.start()

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        from experiments.aggregate import aggregate

        sweep_dir = Path(config.hydra.sweep.dir)
        stop, thread = _WATCHERS.pop(str(sweep_dir), (None, None))
        if stop is not None:
            stop.set()
            thread.join(timeout=2)
        console = Console(stderr=True)
        try:
            runs, summary = aggregate(sweep_dir)
            if not summary.empty:
                from experiments.report import build

                report = build(sweep_dir, runs, summary, str(config.get("lang", "en")))
                console.print(f"report: {report}")
        except OSError as exc:
            console.print(f"cannot write the aggregate to {sweep_dir}: {exc.strerror or exc}")
            return
        if runs.empty:
            return
        console.print(f"runs: {sweep_dir / 'runs.parquet'}")
        if (sweep_dir / "summary.csv").exists():
            console.print(f"summary: {sweep_dir / 'summary.csv'}")
        failed = int((runs["status"] != "ok").sum())
        if failed:  # Hydra swallows a callback's exception: the command reads this instead
            FAILURES[str(sweep_dir)] = (
                f"{failed} of {len(runs)} runs failed (see runs.parquet, column error)"
            )
