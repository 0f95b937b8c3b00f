"""A small sweep folder as a multirun leaves it, built once per test session (per xdist
worker) through the Python API, for testing the analysis as plain functions.

Four complete runs (baseline and hotline × seeds 0 and 1; 3,000 people, 20 days, a flood
from day 8), each with Hydra's `.hydra/overrides.yaml`; one failed run (failed.json, as
the CLI writes it) and one incomplete run (overrides only, as after a kill).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from sim.config.load import compose_config, job_tree
from sim.config.params import validate
from sim.runner import simulate, write_outputs

POLICIES = ("baseline", "hotline")
SEEDS = (0, 1)
SETTINGS = (
    "scenario.population.people=3000",
    "sim.days=20",
    "sim.progress=false",
    "shock=flood",
    "shocks.flood.start_day=8",
    "shocks.flood.duration_days=4",
    # needs reported as readily as after a reform, so that more than half of them close within
    # 20 days and every registered outcome (median from need to close) has a value
    "scenario.dispatch.community_report_rate_per_day=0.3",
)
FAILED_ERROR = "invalid configuration: scenario.population.people = 0: must be >= 1"


def _folder(sweep: Path, overrides: list[str]) -> Path:
    """A run folder named and annotated as Hydra names it (override_dirname)."""
    run = sweep / ",".join(sorted(overrides))
    (run / ".hydra").mkdir(parents=True, exist_ok=True)
    (run / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(overrides))
    return run


def build_sweep(sweep: Path) -> Path:
    """Write the sweep folder once; later calls return it."""
    done = sweep / ".built"
    if done.exists():
        return sweep
    for policy in POLICIES:
        for seed in SEEDS:
            overrides = [f"policy={policy}", f"seed={seed}", *SETTINGS]
            cfg = compose_config(overrides=overrides)
            tree = job_tree(cfg)
            run = _folder(sweep, overrides)
            write_outputs(simulate(validate(tree)), tree, run, time.time())
    failed = _folder(sweep, ["policy=hotline", "seed=2", *SETTINGS])
    record = {"error": FAILED_ERROR, "policy": "hotline", "seed": 2}
    (failed / "failed.json").write_text(json.dumps(record))
    _folder(sweep, ["policy=baseline", "seed=2", *SETTINGS])  # incomplete: killed early
    done.touch()
    return sweep


@pytest.fixture(scope="session")
def sweep_dir(tmp_path_factory) -> Path:
    """The raw sweep folder (tests that aggregate it write runs.parquet into it)."""
    return build_sweep(tmp_path_factory.getbasetemp() / "analysis_sweep")
