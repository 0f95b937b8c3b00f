"""The analysis as plain functions on a small sweep folder built once per session:
aggregation into runs.parquet, statistics in summary.csv, figures and the report."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml
from sweep_fixture import FAILED_ERROR, sweep_dir  # noqa: F401 (a fixture)

from experiments import figures
from experiments.aggregate import aggregate, collect, override_values


@pytest.fixture(scope="session")
def aggregated(sweep_dir):  # noqa: F811
    return aggregate(sweep_dir)


def test_failed_and_incomplete_runs_do_not_break_the_runs_table(sweep_dir, aggregated):  # noqa: F811
    runs = pd.read_parquet(sweep_dir / "runs.parquet")
    assert len(runs) == 6
    assert runs["status"].value_counts().to_dict() == {"ok": 4, "failed": 1, "incomplete": 1}
    assert pd.api.types.is_integer_dtype(runs["seed"])  # typed from overrides.yaml, not "2"
    assert sorted(runs["seed"]) == [0, 0, 1, 1, 2, 2]
    failed = runs[runs["status"] == "failed"].iloc[0]
    assert failed["error"] == FAILED_ERROR and failed["policy"] == "hotline"
    incomplete = runs[runs["status"] == "incomplete"].iloc[0]
    assert incomplete["policy"] == "baseline" and incomplete["seed"] == 2
    assert (sweep_dir / "summary.csv").exists()


def test_override_values_are_typed(tmp_path):
    (tmp_path / ".hydra").mkdir()
    items = ["seed=3", "+a.b=0.25", "policy=[hotline,grid_management]", "c=abc", "d=null"]
    (tmp_path / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(items))
    assert override_values(tmp_path) == {
        "seed": 3,
        "a.b": 0.25,
        "policy": "hotline+grid_management",
        "c": "abc",
        "d": None,
    }


def _two_key_sweep(sweep_dir, tmp_path):  # noqa: F811
    """The fixture's complete baseline runs relabelled as a sweep over two keys, with values
    whose text order differs from their numeric order (10 < 5 as text)."""
    source = [p.parent for p in sorted(sweep_dir.glob("policy=baseline*/summary.json"))]
    for i, (x, y) in enumerate([(5, 0.5), (10, 0.5), (5, 2), (10, 2)]):
        overrides = ["policy=baseline", f"seed={i % 2}", f"a.x={x}", f"b.y={y}"]
        run = tmp_path / f"run{i}"
        shutil.copytree(source[i % 2], run, ignore=shutil.ignore_patterns(".hydra"))
        (run / ".hydra").mkdir()
        (run / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(overrides))
    return tmp_path


def test_heat_map_axes_are_in_numeric_order(sweep_dir, tmp_path):  # noqa: F811
    runs = collect(_two_key_sweep(sweep_dir, tmp_path))
    fig = figures.heatmap(runs, "solved_share_arisen", "solved", "en")
    assert list(fig.data[0].x) == ["5", "10"] and list(fig.data[0].y) == ["0.5", "2.0"]
