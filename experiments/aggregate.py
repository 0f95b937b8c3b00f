"""Collect a multirun's run folders into runs.parquet and compare conditions in summary.csv.

Reads only what the runs wrote (summary.json or failed.json, and Hydra's overrides.yaml);
writes atomically. Aggregation never turns successful runs into a failure: without a
baseline the paired columns are simply absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import yaml
from hydra.core.override_parser.overrides_parser import OverridesParser

from sim.records import write_parquet_atomic, write_text_atomic

HEADLINE = (
    "median_contact_h", "p90_contact_h", "median_close_h", "p90_close_h", "response_rate",
    "on_time_closure_rate", "known_share_arisen", "solved_share_known", "solved_share_arisen",
    "resolution_rate", "satisfaction_rate",
)  # fmt: skip
GROUP_METRICS = (
    "problems",
    "known_share_arisen",
    "solved_share_arisen",
    "median_close_h",
    "satisfaction_rate",
)
IDENTIFIERS = ("seed", "resume", "sim.progress", "experiment")
RESILIENCE = ("peak_open", "peak_open_ratio", "recovery_days", "satisfaction_dip")
MIN_SPEND_YUAN = 100_000.0  # below this extra spending no cost-effectiveness ratio is given


def _flatten(summary: dict) -> dict:
    row = {m: summary.get(m) for m in HEADLINE}
    for group in ("resident", "migrant"):
        for m in GROUP_METRICS:
            row[f"{m}_{group}"] = summary["by_group"][group].get(m)
        row[f"satisfaction_mean_{group}"] = summary["satisfaction_mean"][group]
        row[f"trust_mean_{group}"] = summary["trust_mean"][group]
    for gap, value in summary["equity_gaps"].items():
        row[gap] = value
    for item, value in (summary.get("cost_yuan") or {}).items():
        row[f"cost_{item}_yuan"] = value
    row["volunteers_active_mean"] = summary.get("volunteers_active_mean")
    row["calls_total"] = summary.get("calls_total")
    row["problems"] = summary.get("problems")
    return row


def resilience(run: Path, config: dict) -> dict:
    """Peak backlog, days to recover and satisfaction dip around the run's shocks."""
    shocks = [s for s in (config.get("shocks") or {}).values() if s]
    if not shocks:
        return {}
    start = min(s["start_day"] for s in shocks)
    end = max(s["start_day"] + s["duration_days"] for s in shocks)
    daily = pd.read_parquet(run / "daily.parquet")
    before = daily[daily["day"] < start]
    after = daily[daily["day"] >= start]
    if before.empty or after.empty:
        return {}
    normal_open = before["open"].tail(30).mean()
    calm = daily[(daily["day"] >= end) & (daily["open"] <= 1.1 * normal_open)]
    people = daily["people_resident"] + daily["people_migrant"]
    satisfaction = (
        daily["satisfaction_resident"] * daily["people_resident"]
        + daily["satisfaction_migrant"] * daily["people_migrant"]
    ) / people
    return {
        "peak_open": float(after["open"].max()),
        "peak_open_ratio": float(after["open"].max() / max(normal_open, 1e-9)),
        "recovery_days": float(calm["day"].iloc[0] - end) if len(calm) else float("nan"),
        "satisfaction_dip": float(
            satisfaction[daily["day"] < start].tail(30).mean()
            - satisfaction[daily["day"] >= start].min()
        ),
    }


def override_values(run: Path) -> dict[str, object]:
    """The run's command-line overrides as typed values: `seed=1` gives 1, not "1", so that
    keys sort and pair as numbers; a list (`policy=[a,b]`) becomes "a+b"."""
    path = run / ".hydra" / "overrides.yaml"
    if not path.exists():
        return {}
    items = yaml.safe_load(path.read_text()) or []
    parsed = OverridesParser.create().parse_overrides(items)
    return {o.key_or_group: _plain(o.value()) for o in parsed if not o.is_delete()}


def _plain(value: object) -> object:
    if isinstance(value, list | tuple):
        return "+".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return value


def collect(sweep_dir: Path) -> pd.DataFrame:
    """One row per run folder: swept keys, seed, policy, status, error, headline metrics."""
    sweep_dir = Path(sweep_dir)
    rows = []
    swept: set[str] = set()
    for marker in sorted(sweep_dir.rglob(".hydra")):
        run = marker.parent
        overrides = override_values(run)
        swept.update(overrides)
        row = {"run": str(run.relative_to(sweep_dir)), **overrides}
        summary, failed = run / "summary.json", run / "failed.json"
        if summary.exists():
            data = json.loads(summary.read_text())
            row.update(
                status="ok",
                error=None,
                policy=data["policy"],
                seed=data["seed"],
                scenario=data["scenario"],
                **_flatten(data),
                **resilience(run, data["config"]),
            )
        elif failed.exists():
            data = json.loads(failed.read_text())
            row.update(
                status="failed",
                error=data["error"],
                policy=data.get("policy"),
                seed=data.get("seed"),
            )
        else:
            row.update(status="incomplete", error="no output (interrupted)")
        rows.append(row)
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame = frame.drop(columns=[c for c in IDENTIFIERS if c in frame and c != "seed"])
        frame = frame.sort_values("run", kind="stable").reset_index(drop=True)
        frame = _arrow_safe(frame)
    frame.attrs["swept"] = sorted(swept - set(IDENTIFIERS) - {"policy"})
    return frame


def _arrow_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The seed as a nullable integer, and any column holding values of several types
    (e.g. `1` and `"a"`) as text, so that Parquet can store the table."""
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
    from experiments.stats import compare_to_baseline

    sweep_dir = Path(sweep_dir)
    runs = collect(sweep_dir)
    if runs.empty:
        return runs, pd.DataFrame()
    write_parquet_atomic(
        pa.Table.from_pandas(runs, preserve_index=False), sweep_dir / "runs.parquet"
    )
    ok = runs[runs["status"] == "ok"]
    if ok.empty:
        return runs, pd.DataFrame()
    metrics = [
        c
        for c in ok.columns
        if c in HEADLINE
        or c.endswith(("_resident", "_migrant"))
        or c.endswith("_gap")
        or c.startswith("cost_")
        or c in RESILIENCE
    ]
    metrics = [m for m in metrics if pd.api.types.is_numeric_dtype(ok[m])]
    table = compare_to_baseline(
        runs, metrics, condition_keys(runs), "cost_total_yuan", MIN_SPEND_YUAN
    )
    write_text_atomic(table.to_csv(index=False), sweep_dir / "summary.csv")
    return runs, table
