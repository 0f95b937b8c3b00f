"""The `govsim` command: `run` (a Hydra app), `compare`, `sweep`, `report`, `policies`,
`bench`, `demo`, `bench-page`, `validate`.

User mistakes print one line per problem and exit non-zero, never a traceback nor Hydra's
wrapper lines; a refused single run leaves no folder; Ctrl-C prints one line and keeps the
finished runs; a multirun's workers exit with the command, even after `kill -9`.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.errors import CompactHydraException
from hydra.types import RunMode
from omegaconf import DictConfig
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sim import cli_process as lifeline
from sim import outcomes
from sim.cli_checks import checked, precheck_multirun
from sim.config.load import job_tree
from sim.config.params import validate
from sim.config.types import ConfigError
from sim.policies import mix_name
from sim.records import write_json_atomic

USAGE = """usage: govsim COMMAND [ARGS]

commands:
  run     run the model (a Hydra app: overrides, -m for multirun, --cfg job, --help)
  bench   measure speed and memory at sizes up to 1,000,000 agents (--agents N --days D)
  compare every policy preset against baseline, paired by seed (runs.parquet, summary.csv)
  sweep   a grid over config keys x seeds: govsim sweep key=a,b,c ...
  report  re-render a finished experiment's report: govsim report DIR --lang zh|en
  policies  the policy catalogue: mechanism, levers with defaults, units and ranges, costs
  demo    the classroom page: a live city in Chinese/English (--host, --port)
  bench-page  thirty browser tabs on the page: step latency and server memory (--tabs N)
  validate  does it reproduce what we know? checks from fresh runs (--quick, --seeds, --out)
  sensitivity  which assumptions drive the outcomes: Morris and Sobol (experiment=sensitivity)
  discovery    where a policy fails: PRIM boxes of assumptions (experiment=discovery)
  search       cheapest policy mix meeting targets, Pareto front (experiment=policy_search)

examples:
  govsim run                                   the default district, baseline, one year
  govsim run scenario=textbook_queue seed=3    the M/M/c limit
  govsim run policy=[hotline,grid_management] sim.days=730
  govsim run -m policy=baseline,hotline seed=0,1,2
  govsim run policy=接诉即办                      Chinese policy names work too
"""


class UserConfigError(CompactHydraException):
    """A config mistake inside a Hydra job: Hydra prints the message without a traceback."""


def _progress(days: int, label: str):
    progress = Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("days"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task(label, total=days)
    return progress, lambda day: progress.update(task, completed=day + 1)


def _print_summary(summary: dict, out_dir: Path) -> None:
    """The run table: the register's `run_table` outcomes, for everyone and by group."""
    table = Table(
        title=f"govsim · {summary['scenario']} · {summary['policy']} · seed {summary['seed']}"
    )
    table.add_column("metric")
    for group in ("all", *outcomes.GROUPS):
        table.add_column(group, justify="right")
    for name in outcomes.RUN_TABLE:
        outcome = outcomes.BY_NAME[name]
        level_format = outcomes.UNITS[outcome.unit].level_format
        cells = [outcomes.lookup(summary, outcome.path(g)) for g in (None, *outcomes.GROUPS)]
        table.add_row(outcome.en, *["–" if v is None else level_format.format(v) for v in cells])
    console = Console()
    console.print(table)
    cost_yuan = outcomes.lookup(summary, outcomes.BY_NAME["cost_total_yuan"].path())
    if cost_yuan:
        console.print(f"government spending: {cost_yuan:,.0f} yuan")
    console.print(f"outputs: {out_dir}")


@hydra.main(version_base="1.3", config_path="pkg://scenarios", config_name="config")
def run_app(cfg: DictConfig) -> None:
    """One run. In a multirun a failing run is recorded (failed.json) and the others go on;
    the multirun's end reports how many failed and exits non-zero."""
    if lifeline.ctrl_c_pressed:  # dropped inside a previous job's compiled code: stop here
        raise KeyboardInterrupt
    multirun = HydraConfig.get().mode == RunMode.MULTIRUN
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    if multirun:
        lifeline.follow_parent()
    tree = job_tree(cfg)
    if "calibration" in tree:  # experiment=calibrate: an optimiser, not one run
        from experiments.calibrate import run as calibrate

        calibrate(tree, out_dir)
        return
    try:
        _run(tree, out_dir, multirun)
    except Exception as exc:
        if _interrupted(exc):  # Ctrl-C as compiled code returned: an interrupt, not a failure
            raise KeyboardInterrupt from None
        if not multirun:
            if isinstance(exc, UserConfigError):
                lifeline.remove_refused(out_dir)
            raise
        message = str(exc) if isinstance(exc, UserConfigError) else f"{type(exc).__name__}: {exc}"
        record = {
            "error": message,
            "policy": mix_name(list(tree.get("policies") or {})),
            "seed": tree.get("seed"),
        }
        try:
            write_json_atomic(record, out_dir / "failed.json")
        except OSError as write_error:  # e.g. the disk is full: say so, without a traceback
            message += f" (failed.json not written either: {write_error.strerror})"
        Console(stderr=True).print(f"run failed ({out_dir.name}): {message.splitlines()[-1]}")


def _interrupted(exc: BaseException) -> bool:
    """Whether a Ctrl-C is behind `exc`: the interrupt that arrives while compiled code (a
    numba function) returns is raised as a SystemError caused by the KeyboardInterrupt."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _run(tree: dict, out_dir: Path, multirun: bool) -> None:
    from sim.runner import is_complete, simulate, write_outputs

    if "toolkit" in tree:  # a job of a toolkit method (experiments/toolkit)
        from experiments.toolkit.job import run_job

        try:
            return run_job(tree, out_dir, multirun)
        except ConfigError as exc:
            raise UserConfigError(str(exc)) from None
    started = time.time()
    try:
        params = validate(tree)
    except ConfigError as exc:
        raise UserConfigError(str(exc)) from None
    tree.pop("resume", None)  # neither outputs nor the skip test depend on it
    if params.resume and is_complete(out_dir, tree):
        Console(stderr=True).print(f"skipped, already complete: {out_dir}")
        return
    if params.sim.progress and not multirun:  # a multirun has one bar, of runs
        progress, tick = _progress(params.sim.days, f"{params.policy_mix} seed {params.seed}")
        with progress:
            model = simulate(params, tick)
    else:
        model = simulate(params)
    try:
        summary = write_outputs(model, tree, out_dir, started)
    except OSError as exc:
        raise UserConfigError(f"cannot write outputs to {out_dir}: {exc.strerror or exc}") from None
    if not multirun:  # a multirun reports once, at its end
        _print_summary(summary, out_dir)


def policy_defaults() -> dict[str, dict]:
    """Each policy's lever values as its preset sets them (scenarios/policy/<name>.yaml)."""
    from importlib import resources

    import yaml

    folder = resources.files("scenarios") / "policy"
    found = {}
    for path in folder.iterdir():
        data = (
            yaml.safe_load(path.read_text(encoding="utf-8"))
            if path.name.endswith(".yaml")
            else None
        )
        if isinstance(data, dict):
            found[path.name.removesuffix(".yaml")] = {
                k: v for k, v in data.items() if k != "defaults"
            }
    return found


def print_policies(argv: list[str]) -> int:
    """`govsim policies [--lang en|zh]`: every policy, its mechanism, levers and costs."""
    import argparse

    from sim.policies import catalogue_rows

    parser = argparse.ArgumentParser(prog="govsim policies")
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    lang = parser.parse_args(argv).lang
    zh = lang == "zh"
    table = Table(title="政策目录 policy catalogue" if zh else "policy catalogue", show_lines=True)
    for column in (
        ("政策", "policy"),
        ("机制", "mechanism"),
        ("杠杆 = 默认值 (单位, 范围)", "levers = default (unit, range)"),
        ("成本类别", "costs"),
    ):
        table.add_column(column[0] if zh else column[1], overflow="fold")
    for row in catalogue_rows(lang, policy_defaults()):
        table.add_row(*row)
    Console(width=max(Console().width, 150)).print(table)
    return 0


def rerender_report(argv: list[str]) -> int:
    """`govsim report DIR [--lang en|zh]`: write DIR/report.<lang>.html (and its figures)
    from a finished experiment's folder; nothing is run."""
    import argparse

    from experiments.report import rerender

    parser = argparse.ArgumentParser(prog="govsim report")
    parser.add_argument("folder", type=Path, help="an experiment's folder (holds runs.parquet)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"govsim report: {args.folder} is not a folder", file=sys.stderr)
        return 2
    try:
        path = rerender(args.folder, args.lang)
    except FileNotFoundError as exc:
        print(f"govsim report: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"govsim report: cannot write to {args.folder}: {exc.strerror or exc}", file=sys.stderr
        )
        return 2
    Console(stderr=True).print(f"report: {path}")
    return 0


def _writable_or_exit(argv: list[str]) -> None:
    """Refuse, in one line, an output folder that cannot be written (before Hydra tries)."""
    import os

    prefixes = ("hydra.run.dir=", "hydra.sweep.dir=")
    targets = [a.split("=", 1)[1] for a in argv if a.startswith(prefixes)]
    for target in targets or ["results"]:
        path = Path(target).absolute()
        while not path.exists():
            path = path.parent
        if not path.is_dir() or not os.access(path, os.W_OK | os.X_OK):
            print(
                f"govsim: cannot write outputs under {target}: {path} is not a writable folder",
                file=sys.stderr,
            )
            sys.exit(2)


def _with_multirun_callback(argv: list[str]) -> list[str]:
    """`govsim run -m ...` gets the experiment callback (progress bar, runs table, report)
    and the sweeper (a lever applies to the arms running its policy) that the experiment
    presets select themselves."""
    if "-m" not in argv and "--multirun" not in argv:
        return argv
    added = []
    for group, choice in (("hydra/callbacks", "govsim"), ("hydra/sweeper", "seed_groups")):
        if not any(a.lstrip("+").startswith(f"{group}=") for a in argv):
            added.append(f"{group}={choice}")
    return [*argv, *added]


def _run_hydra(argv: list[str]) -> None:
    """Run the Hydra app; a multirun with failed runs exits non-zero after saying how many
    (from the sweep folder's runs.parquet, named by the callback's status file)."""
    import json
    import os
    import tempfile

    from experiments.callbacks import STATUS_ENV

    try:
        argv = [argv[0], *checked(argv[1:])]
        if any(a.partition("=")[0].lstrip("+") == "experiment" for a in argv[1:]):
            from experiments.toolkit.door import prepare  # a toolkit method's settings

            argv = [argv[0], *prepare(argv[1:])]
        if {"-m", "--multirun"} & set(argv) or any(a.startswith("experiment=") for a in argv):
            precheck_multirun(argv[1:])
    except ConfigError as exc:
        print(f"govsim: {exc}", file=sys.stderr)
        sys.exit(2)
    _writable_or_exit(argv[1:])
    sys.argv = argv
    with tempfile.TemporaryDirectory(prefix="govsim-") as tmp:
        status_file = Path(tmp) / "multirun.json"
        os.environ[STATUS_ENV] = str(status_file)
        lifeline.begin(argv[1:])
        stderr, sys.stderr = sys.stderr, lifeline.QuietStderr(sys.stderr)
        try:
            run_app()
        except KeyboardInterrupt:
            lifeline.ctrl_c_pressed = True
        finally:
            sys.stderr = stderr
            os.environ.pop(STATUS_ENV, None)
        if lifeline.ctrl_c_pressed:  # raised, or dropped inside compiled code's callback
            print(lifeline.interrupted(status_file), file=sys.stderr)
            lifeline.exit_now(130)
        if status_file.exists():
            message = _multirun_failures(json.loads(status_file.read_text()))
            if message:
                print(message, file=sys.stderr)
                sys.exit(1)


def _multirun_failures(status: dict) -> str | None:
    """What went wrong in a finished multirun, if anything."""
    import pandas as pd

    if status.get("error"):
        return status["error"]
    if not status.get("finished"):
        return None  # the multirun never ended: Hydra has said why
    runs_path = Path(status["sweep_dir"]) / "runs.parquet"
    if not runs_path.exists():
        return f"no runs found in {status['sweep_dir']}"
    runs = pd.read_parquet(runs_path, columns=["status"])
    failed = int((runs["status"] != "ok").sum())
    if failed:
        return f"{failed} of {len(runs)} runs failed (see runs.parquet, column error)"
    # a toolkit job that failed left failed.json and no rows in runs.parquet (one that later
    # finished on resume has its summary.json beside an old failed.json)
    failed_jobs = [
        f
        for f in sorted(Path(status["sweep_dir"]).rglob("failed.json"))
        if not (f.parent / "summary.json").exists()
    ]
    if failed_jobs:
        return f"{len(failed_jobs)} jobs failed (see {failed_jobs[0]})"
    return None


LAZY_COMMANDS = {  # command -> the module whose main(argv) it runs
    "bench": "sim.bench",
    "demo": "sim.page.server",
    "bench-page": "sim.page.bench",
    "validate": "sim.validation.command",
}
COMMANDS = ("run", "compare", "sweep", "report", "bench", "policies", "demo", "bench-page",
            "validate", "sensitivity", "discovery", "search")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE, end="")
        return
    command, rest = argv[0], argv[1:]
    if command == "run":
        _run_hydra(["govsim run", *_with_multirun_callback(rest)])
    elif command in lifeline.EXPERIMENTS:
        _run_hydra([f"govsim {command}", f"experiment={lifeline.EXPERIMENTS[command]}", *rest])
    elif command == "policies":
        sys.exit(print_policies(rest))
    elif command == "report":
        sys.exit(rerender_report(rest))
    elif command in LAZY_COMMANDS:  # their modules (a web stack, a browser) load on demand
        sys.exit(importlib.import_module(LAZY_COMMANDS[command]).main(rest))
    else:
        print(
            f"govsim: unknown command {command!r}; commands are: {', '.join(COMMANDS)}",
            file=sys.stderr,
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
