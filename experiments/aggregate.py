"""Collect a multirun's run folders into runs.parquet and compare conditions in summary.csv.

Reads only what the runs wrote (summary.json or failed.json, daily.parquet for the resilience
outcomes, Hydra's overrides.yaml); writes atomically. Which outcomes become columns is the
register's business (`sim/outcomes.py`). Aggregation never turns successful runs into a
failure: without a baseline the paired columns are simply absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import yaml
from hydra.core.override_parser.overrides_parser import OverridesParser

from experiments.stats import compare_to_baseline
from sim import outcomes
from sim.records import write_parquet_atomic, write_text_atomic
from sim.summary import resilience

IDENTIFIERS = ("seed", "resume", "sim.progress", "experiment", "lang")  # never a condition
COST_OUTCOME = "cost_total_yuan"  # the spending that cost-effectiveness divides by
MIN_SPEND_YUAN = 100_000.0  # below this extra spending no cost-effectiveness ratio is given
DIAGNOSTICS = ("open_growth_share_per_30d",)  # about a run's numbers, not outcomes compared


def override_values(run: Path) -> dict[str, object]:
    """The run's command-line overrides as typed values: `seed=1` gives 1, not "1", so that
    keys sort and pair as numbers; a list (`policy=[a,b]`) becomes "a+b", an empty one
    (`shock=[]`, as the sweeper runs `shock=null`) "none"."""
    path = run / ".hydra" / "overrides.yaml"
    if not path.exists():
        return {}
    items = yaml.safe_load(path.read_text()) or []
    parsed = OverridesParser.create().parse_overrides(items)
    return {o.key_or_group: _plain(o.value()) for o in parsed if not o.is_delete()}


def _plain(value: object) -> object:
    if isinstance(value, list | tuple):
        return "+".join(map(str, value)) or "none"
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return value


def run_row(run: Path, sweep_dir: Path) -> dict:
    """One run folder as a row: overrides, status, error and the registered outcomes."""
    row = {"run": str(run.relative_to(sweep_dir)), **override_values(run)}
    summary, failed = run / "summary.json", run / "failed.json"
    if summary.exists():
        data = json.loads(summary.read_text())
        shocks = [s for s in (data["config"].get("shocks") or {}).values() if s]
        row.update(
            status="ok",
            error=None,
            policy=data["policy"],
            seed=data["seed"],
            scenario=data["scenario"],
            **outcomes.from_summary(data),
        )
        daily = pd.read_parquet(run / "daily.parquet")
        row[DIAGNOSTICS[0]] = backlog_growth(daily)
        if shocks:
            row.update(resilience(daily, shocks))
    elif failed.exists():
        data = json.loads(failed.read_text())
        row.update(status="failed", error=data["error"], policy=data.get("policy"))
        row["seed"] = data.get("seed", row.get("seed"))
    else:
        row.update(status="incomplete", error="no output (interrupted)")
    return row


def backlog_growth(daily: pd.DataFrame) -> float:
    """How fast open problems still grow: the least-squares slope over the run's second half
    (past the warm-up; long enough that weekly cycles and one seed's bad month average out)
    times 30, as a share of their mean there. The report flags a run above
    `experiments.text.UNSTABLE_SHARE` as one whose queue never settled."""
    tail = daily.tail(len(daily) // 2)
    if len(tail) < 14 or tail["open"].mean() <= 0:
        return 0.0
    slope_per_day = np.polyfit(tail["day"].to_numpy(float), tail["open"].to_numpy(float), 1)[0]
    return float(30 * slope_per_day / tail["open"].mean())


def collect(sweep_dir: Path) -> pd.DataFrame:
    """One row per run folder: swept keys, seed, policy, status, error, every registered
    outcome (NaN where a run has none), the backlog's growth at the end. `attrs["swept"]`
    names the overridden keys."""
    sweep_dir = Path(sweep_dir)
    runs = [marker.parent for marker in sorted(sweep_dir.rglob(".hydra"))]
    frame = pd.DataFrame([run_row(run, sweep_dir) for run in runs])
    swept = {key for run in runs for key in override_values(run)}
    if not frame.empty:
        frame = frame.drop(columns=[c for c in IDENTIFIERS if c in frame and c != "seed"])
        frame = frame.sort_values("run", kind="stable").reset_index(drop=True)
        frame = _typed(frame)
    frame.attrs["swept"] = sorted(swept - set(IDENTIFIERS) - {"policy"})
    return frame


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Outcomes as floats, the seed as a nullable integer, and any other column holding
    values of several types (e.g. `1` and `"a"`) as text, so Parquet can store it."""
    for column in [*outcomes.columns(), *DIAGNOSTICS]:
        frame[column] = frame[column].astype(float) if column in frame else np.nan
    if "seed" in frame:
        frame["seed"] = frame["seed"].astype("Int64")
    for column in [c for c in frame.columns if pd.api.types.is_object_dtype(frame[c])]:
        kinds = {type(v) for v in frame[column].dropna()}
        if len(kinds) > 1:
            frame[column] = frame[column].map(lambda v: v if v is None else str(v))
    return frame


def condition_keys(runs: pd.DataFrame) -> list[str]:
    """The keys that define a condition: every swept key but the seed, plus the policy mix."""
    swept = [c for c in runs.attrs.get("swept", []) if c in runs]
    return ["policy", *[c for c in swept if runs[c].nunique(dropna=False) > 1]]


def aggregate(sweep_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write runs.parquet and, when some run succeeded, summary.csv; return both tables."""
    sweep_dir = Path(sweep_dir)
    runs = collect(sweep_dir)
    if runs.empty:
        return runs, pd.DataFrame()
    table = pa.Table.from_pandas(runs, preserve_index=False)
    write_parquet_atomic(table, sweep_dir / "runs.parquet")
    ok = runs[runs["status"] == "ok"]
    measured = [c for c in outcomes.columns() if ok[c].notna().any()]
    if not measured:
        return runs, pd.DataFrame()
    summary = compare_to_baseline(
        runs, measured, condition_keys(runs), COST_OUTCOME, MIN_SPEND_YUAN
    )
    write_text_atomic(summary.to_csv(index=False), sweep_dir / "summary.csv")
    return runs, summary
