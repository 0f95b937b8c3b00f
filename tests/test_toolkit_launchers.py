"""A toolkit method runs unchanged on Hydra's Ray launcher (a local Ray bound to 127.0.0.1)
and on submitit (its local executor, as on Slurm), with results equal to joblib's."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from test_cli import govsim
from test_toolkit_cli import TINY

DISCOVERY = [*TINY, "toolkit.discovery.samples=8", "toolkit.points_per_job=4"]  # two jobs
RAY = [
    "hydra/launcher=ray",
    "+hydra.launcher.ray.init.num_cpus=2",
    "+hydra.launcher.ray.init.include_dashboard=false",
    "+hydra.launcher.ray.init._node_ip_address=127.0.0.1",
]
SUBMITIT = ["hydra/launcher=submitit_local", "hydra.launcher.timeout_min=10"]


def _discovery(tmp_path, name: str, launcher: list[str]) -> tuple[pd.DataFrame, dict]:
    sweep = tmp_path / name
    result = govsim("discovery", *DISCOVERY, *launcher, f"hydra.sweep.dir={sweep}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    runs = pd.read_parquet(sweep / "runs.parquet")
    record = json.loads((sweep / "toolkit.json").read_text())
    return runs, {k: record[k] for k in ("points", "failures", "box", "runs")}


@pytest.fixture(scope="module")
def joblib_result(tmp_path_factory):
    return _discovery(tmp_path_factory.mktemp("joblib"), "joblib", [])


@pytest.mark.parametrize(
    ("module", "launcher"), [("hydra_plugins.hydra_ray_launcher", RAY),
                             ("hydra_plugins.hydra_submitit_launcher", SUBMITIT)],
)  # fmt: skip
def test_launcher_gives_the_same_results_as_joblib(tmp_path, joblib_result, module, launcher):
    pytest.importorskip(module, reason="pip install 'govsim[ray]' / 'govsim[slurm]'")
    runs, record = _discovery(tmp_path, launcher[0].split("=")[1], launcher)
    expected_runs, expected_record = joblib_result
    assert len(runs) == 16 and (runs["status"] == "ok").all()
    pd.testing.assert_frame_equal(runs, expected_runs)
    assert record == expected_record
