"""One job of a toolkit method (`govsim run experiment=sensitivity|discovery|policy_search`).

Sensitivity and discovery are multiruns over `toolkit.job`: each job evaluates one block of
the design (several points, each under baseline and policy over the replications) and
writes its folder like a run folder: runs.parquet, config.yaml, then summary.json last, so
that a folder with summary.json is complete and `resume=true` skips it. The analysis runs
once all jobs have ended (`callback.py`). Policy search is one job (`search.py`).
"""

from __future__ import annotations

import time
from pathlib import Path

import pyarrow as pa
import yaml
from rich.console import Console

from experiments.toolkit import design, evaluate, problem
from sim.records import write_json_atomic, write_parquet_atomic, write_text_atomic
from sim.runner import is_complete


def seeds(tree: dict, settings: problem.Toolkit) -> list[int]:
    """The replications' seeds: the run's seed and the ones after it."""
    return [int(tree["seed"]) + i for i in range(settings.replications)]


def run_job(tree: dict, out_dir: Path, multirun: bool) -> None:
    """Evaluate this job's block of the design (or run the search) into `out_dir`."""
    resume = bool(tree.pop("resume", False))
    settings, spec, _ = problem.check(tree)
    if settings.method == "policy_search":
        from experiments.toolkit.search import run_search

        run_search(tree, out_dir, resume, progress=not multirun)
        return
    if resume and is_complete(out_dir, tree):
        Console(stderr=True).print(f"skipped, already complete: {out_dir}")
        return
    started = time.time()
    frame = design.design(spec, settings, int(tree["seed"]))
    points = design.block(frame, settings.job or 0, settings.points_per_job)
    runs = evaluate.evaluate(problem.run_tree(tree), spec, points, seeds(tree, settings))
    out_dir.mkdir(parents=True, exist_ok=True)
    write_parquet_atomic(pa.Table.from_pandas(runs, preserve_index=False), out_dir / "runs.parquet")
    write_text_atomic(
        yaml.safe_dump(tree, sort_keys=False, allow_unicode=True), out_dir / "config.yaml"
    )
    marker = {
        "method": settings.method,
        "job": settings.job,
        "points": len(points),
        "runs": len(runs),
        "failed": int((runs["status"] != "ok").sum()),
        "wall_s": round(time.time() - started, 3),
    }
    write_json_atomic(marker, out_dir / "summary.json")  # last: the folder is complete
