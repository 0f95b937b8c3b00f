"""The register of outcomes (sim/outcomes.py) matches what runs write and what the analysis
reads: every registered outcome is a column of runs.parquet, every metric column is
registered, every summary.json number is either an outcome or deliberately left out."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sweep_fixture import sweep_dir  # noqa: F401 (a fixture)

from experiments.aggregate import DIAGNOSTICS, aggregate, collect
from sim import outcomes


def _numbers(tree: dict, prefix: str = "") -> dict[str, float]:
    """Every numeric leaf of a nested dict, by dotted path."""
    found = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            found.update(_numbers(value, f"{path}."))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            found[path] = value
    return found


def _summary(sweep_dir) -> dict:  # noqa: F811
    """The summary of the hotline run of seed 1 (the last seed: see the runs table test)."""
    (path,) = sweep_dir.glob("policy=hotline,*seed=1,*/summary.json")
    return json.loads(path.read_text())


def test_names_are_unique_and_every_label_unit_and_direction_is_known():
    assert len(outcomes.columns()) == len(set(outcomes.columns()))
    for outcome in outcomes.OUTCOMES:
        assert outcome.unit in outcomes.UNITS, outcome.name
        assert outcome.en and outcome.zh and outcome.definition, outcome.name
        assert outcome.overall or outcome.by_group, outcome.name
        for column in outcome.columns():
            assert outcomes.of_column(column)[0] is outcome
    assert outcomes.HEADLINE and outcomes.RUN_TABLE
    with pytest.raises(KeyError):
        outcomes.of_column("median_close_h_tourist")


def test_every_registered_path_is_a_number_in_summary_json(sweep_dir):  # noqa: F811
    summary = _summary(sweep_dir)
    for outcome in outcomes.OUTCOMES:
        for group in (None, *outcomes.GROUPS):
            path = outcome.path(group)
            if path is not None:
                assert outcomes.lookup(summary, path) is not None, path
    resilience = [o.name for o in outcomes.OUTCOMES if o.source is None and o.overall]
    assert resilience == ["peak_open", "peak_open_ratio", "recovery_days", "satisfaction_dip"]


def test_every_number_in_summary_json_is_registered_or_listed_as_recorded_only(sweep_dir):  # noqa: F811
    summary = _summary(sweep_dir)
    for key in ("config", "versions"):
        summary.pop(key)
    registered = {
        outcome.path(group) for outcome in outcomes.OUTCOMES for group in (None, *outcomes.GROUPS)
    }
    for path in _numbers(summary):
        top = path.split(".")[0]
        bare = path.split(".")[-1] if path.startswith("by_group.") else None
        assert (
            path in registered or top in outcomes.RECORDED_ONLY or (bare in outcomes.RECORDED_ONLY)
        ), f"{path} in summary.json: register it in sim/outcomes.py or list it as recorded only"


def test_runs_table_columns_are_exactly_the_register_plus_keys(sweep_dir):  # noqa: F811
    aggregate(sweep_dir)
    runs = pd.read_parquet(sweep_dir / "runs.parquet")
    assert set(outcomes.columns()) <= set(runs.columns)
    keys = {*collect(sweep_dir).attrs["swept"], "seed"}
    numeric = {c for c in runs.columns if pd.api.types.is_numeric_dtype(runs[c])}
    assert numeric - keys - set(DIAGNOSTICS) == set(outcomes.columns())
    ok = runs[runs["status"] == "ok"]
    for column in outcomes.columns():
        assert pd.api.types.is_float_dtype(runs[column]), column
    summary = _summary(sweep_dir)
    hotline = ok[ok["policy"] == "hotline"].sort_values("seed").iloc[-1]
    assert hotline["median_close_h_migrant"] == summary["by_group"]["migrant"]["median_close_h"]
    assert hotline["cost_total_yuan"] == summary["cost_yuan"]["total"]
    assert (ok["peak_open_ratio"] > 1).all() and ok["satisfaction_dip"].notna().all()  # flood


def test_summary_csv_compares_every_measured_outcome(sweep_dir):  # noqa: F811
    runs, summary = aggregate(sweep_dir)
    with_values = {column for column in outcomes.columns() if runs[column].notna().any()}
    assert len(with_values) > 0.9 * len(outcomes.columns())  # (recovery_days may have none)
    assert set(summary["metric"]) == with_values


def test_labels_and_directions():
    assert outcomes.label("median_close_h_migrant") == "median hours to close (migrants)"
    assert outcomes.label("median_close_h", "zh", unit=True) == "办结时间中位数 (小时)"
    assert outcomes.change_unit("response_rate") == (100.0, "pts")
    assert outcomes.improved("median_close_h", 30.0, -5.0) is True
    assert outcomes.improved("response_rate_resident", 0.5, -0.1) is False
    assert outcomes.improved("reporting_gap", -0.05, 0.03) is True  # closer to zero
    assert outcomes.improved("reporting_gap", 0.05, -0.12) is False  # overshoots to -0.07
    assert outcomes.improved("cost_total_yuan", 1e6, 1e5) is None
