"""The end of a sensitivity or discovery multirun: gather the jobs' runs into runs.parquet,
analyse the design (sensitivity.csv, or PRIM's trajectory and box), write toolkit.json and
the report. The progress bar, the status file and Ctrl-C are the comparisons' own
(`experiments.callbacks.GovsimMultirun`); only the end differs."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import yaml
from rich.console import Console

from experiments.callbacks import GovsimMultirun
from experiments.toolkit import design, discovery, evaluate, problem, sensitivity
from sim.records import write_json_atomic, write_parquet_atomic, write_text_atomic


def _jobs(sweep_dir: Path) -> list[Path]:
    return sorted(
        p.parent for p in sweep_dir.rglob("summary.json") if (p.parent / "runs.parquet").exists()
    )


def gather(sweep_dir: Path) -> tuple[dict, pd.DataFrame, int]:
    """The method's config (a job's, without its block number), every run, and how many
    jobs are still missing."""
    folders = _jobs(sweep_dir)
    if not folders:
        raise FileNotFoundError(f"no finished jobs in {sweep_dir}")
    tree = yaml.safe_load((folders[0] / "config.yaml").read_text(encoding="utf-8"))
    tree["toolkit"]["job"] = None
    runs = pd.concat([pd.read_parquet(f / "runs.parquet") for f in folders], ignore_index=True)
    runs = runs.sort_values(["point", "seed", "arm"], kind="stable").reset_index(drop=True)
    settings, spec, _ = problem.check(tree)
    missing = design.jobs(spec, settings) - len(folders)
    return tree, runs, missing


def analyse(sweep_dir: Path, tree: dict, runs: pd.DataFrame) -> dict:
    """Run the method's analysis, write its tables, return what toolkit.json records."""
    settings, spec, _ = problem.check(tree)
    seed = int(tree["seed"])
    frame = design.design(spec, settings, seed)
    per_point = evaluate.paired(runs, frame, spec.outcomes)
    write_parquet_atomic(
        pa.Table.from_pandas(per_point, preserve_index=False), sweep_dir / "points.parquet"
    )
    record = {
        "method": settings.method,
        "policy": "+".join(tree["policies"]),
        "scenario": tree["scenario"]["name"],
        "people": tree["scenario"].get("population", {}).get("people"),
        "days": tree["sim"]["days"],
        "seeds": list(range(seed, seed + settings.replications)),
        "points": len(frame),
        "runs": len(runs),
        "failed_runs": int((runs["status"] != "ok").sum()),
        "uncertainties": {k: u.model_dump() for k, u in spec.uncertainties.items()},
        "outcomes": spec.outcomes,
        "settings": settings.model_dump(),
    }
    if settings.method == "sensitivity":
        table = sensitivity.analyse(per_point, spec, settings, seed)
        write_text_atomic(table.to_csv(index=False), sweep_dir / "sensitivity.csv")
        return {**record, "sentences": sensitivity.sentences(table, "en")}
    found = discovery.analyse(per_point, list(spec.uncertainties), settings.discovery)
    trajectory = found.pop("trajectory")
    write_text_atomic(trajectory.to_csv(index=False), sweep_dir / "peeling_trajectory.csv")
    return {**record, **found, "discovery": settings.discovery.model_dump()}


def finish(sweep_dir: Path, lang: str, console: Console) -> None:
    """Gather, analyse, report; print what it found and where it went."""
    from experiments.toolkit.report import build, summary_lines

    started = time.time()
    tree, runs, missing = gather(sweep_dir)
    write_parquet_atomic(
        pa.Table.from_pandas(runs, preserve_index=False), sweep_dir / "runs.parquet"
    )
    if missing > 0:
        console.print(
            f"{missing} jobs of this design have not finished: no analysis yet (add "
            f"hydra.sweep.dir={sweep_dir} resume=true to finish them)"
        )
        return
    record = analyse(sweep_dir, tree, runs)
    record["analysis_wall_s"] = round(time.time() - started, 2)
    write_json_atomic(record, sweep_dir / "toolkit.json")
    for line in summary_lines(record):
        console.print(line)
    console.print(f"report: {build(sweep_dir, lang)}")
    console.print(f"runs: {sweep_dir / 'runs.parquet'}")


class ToolkitMultirun(GovsimMultirun):
    """GovsimMultirun whose end is the toolkit method's analysis."""

    def report(self, sweep_dir: Path, lang: str, console: Console) -> None:
        finish(sweep_dir, lang, console)
