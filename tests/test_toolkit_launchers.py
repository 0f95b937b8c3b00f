"""A toolkit method runs unchanged on Hydra's Ray launcher (a local Ray bound to 127.0.0.1)
and on submitit (its local executor, as on Slurm), with results equal to joblib's.

One test, so that the reference runs once even when pytest-xdist spreads tests over
workers. The design is two jobs of two points (eight runs): enough for the blocks to be
gathered from separate processes; the reference is joblib in one process (the default
joblib on every core runs in test_toolkit_cli.py)."""

from __future__ import annotations

import importlib.util
import json

import pandas as pd
import pytest
from test_toolkit_cli import TINY, govsim

DISCOVERY = [*TINY, "toolkit.discovery.samples=4", "toolkit.points_per_job=2"]  # two jobs
LAUNCHERS = {
    "ray": ("hydra_plugins.hydra_ray_launcher", [
        "hydra/launcher=ray",
        "+hydra.launcher.ray.init.num_cpus=1",  # one worker process runs both jobs
        "+hydra.launcher.ray.init.include_dashboard=false",
        "+hydra.launcher.ray.init._node_ip_address=127.0.0.1",
    ]),
    "submitit": ("hydra_plugins.hydra_submitit_launcher", [
        "hydra/launcher=submitit_local", "hydra.launcher.timeout_min=10",
    ]),
}  # fmt: skip


def _discovery(tmp_path, name: str, launcher: list[str]) -> tuple[pd.DataFrame, dict]:
    sweep = tmp_path / name
    result = govsim("discovery", *DISCOVERY, *launcher, f"hydra.sweep.dir={sweep}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    runs = pd.read_parquet(sweep / "runs.parquet")
    record = json.loads((sweep / "toolkit.json").read_text())
    return runs, {k: record[k] for k in ("points", "failures", "box", "runs")}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def test_ray_and_submitit_give_the_same_results_as_joblib(tmp_path):
    missing = [name for name, (module, _) in LAUNCHERS.items() if not _installed(module)]
    if len(missing) == len(LAUNCHERS):
        pytest.skip("pip install 'govsim[ray]' / 'govsim[slurm]'")
    expected_runs, expected_record = _discovery(tmp_path, "joblib", ["hydra.launcher.n_jobs=1"])
    assert len(expected_runs) == 8 and (expected_runs["status"] == "ok").all()
    assert expected_runs["point"].nunique() == 4 and expected_record["points"] == 4
    for name, (_, launcher) in LAUNCHERS.items():
        if name in missing:
            continue
        runs, record = _discovery(tmp_path, name, launcher)
        pd.testing.assert_frame_equal(runs, expected_runs, obj=f"{name}'s runs")
        assert record == expected_record, name
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} (the others equal joblib)")
