"""Run one configured job and write its outputs atomically.

Outputs that depend only on config and seed (byte-identical for the same inputs):
problems.parquet, daily.parquet, calls.parquet, costs.parquet, summary.json, config.yaml.
What depends on the machine (wall time, host, paths, process) goes to run_info.json.
"""

from __future__ import annotations

import platform
import socket
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import yaml

from sim.config.params import Params
from sim.model import CityModel
from sim.records import HANDLERS, write_json_atomic, write_parquet_atomic, write_text_atomic
from sim.summary import call_counts, summarise

PACKAGES = ("govsim", "mesa", "numpy", "scipy", "pandas", "pyarrow", "hydra-core", "pydantic")


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def simulate(params: Params, progress=None) -> CityModel:
    """Build the model and run it for `sim.days` days; `progress(day)` is called each day."""
    model = CityModel(params)
    for day in range(params.sim.days):
        model.step()
        if progress is not None:
            progress(day)
    return model


def run_summary(model: CityModel, config_tree: dict) -> dict:
    params = model.params
    problems = model.problems()
    daily = model.daily()
    extra = {
        "policy": params.policy_mix,
        "scenario": params.scenario.name,
        "seed": params.seed,
        "days": params.sim.days,
        "config": config_tree,
        "versions": versions(),
    }
    if model.is_district:
        extra.update(_district_extras(model, problems, daily))
    return summarise(problems, daily, 24.0 * params.sim.days, extra)


def _shadow_cost(model: CityModel, daily) -> dict:
    """Unpaid time given under party building, priced apart from the budget: party members'
    hours at a shadow wage, staff lent by units at the community wage."""
    scenario = model.params.scenario
    members = float(daily["party_member_hours"].sum()) * scenario.costs.shadow_yuan_per_member_h
    communities = len(model.world.handlers.community_pool)
    lent = (
        model.mechanisms.staff.unit_staff_per_community * communities * len(daily)
        * scenario.community.wage_yuan_per_staff_day
    )  # fmt: skip
    return {
        "shadow_cost_yuan": members + lent,
        "shadow_cost_parts_yuan": {"party_members": members, "lent_unit_staff": lent},
    }


def _district_extras(model: CityModel, problems, daily) -> dict:
    """What a city district adds to summary.json: programmes, staff work, unpaid hours."""
    state = model.state
    programmes, handlers = state.programmes, model.world.handlers
    self_resolved = int(daily["self_resolved_total"].iloc[-1])
    return {
        "calls": call_counts(problems, model.calls(), daily),
        "persuasion_contacts": programmes.persuasion_contacts,
        "explanation_contacts": programmes.explanation_contacts,
        "grid_workers": float(state.coverage.grid_workers),
        "staff_moved_to_streets": model.mechanisms.staff.moved_to_streets,
        "funds_moved_yuan_per_year": model.mechanisms.staff.funds_moved_yuan_per_year,
        "owners_private_cost_yuan": (
            self_resolved * model.params.scenario.behaviour.self_resolve_cost_yuan
        ),
        **_shadow_cost(model, daily),
        "unpaid_hours": {
            "volunteers": float(daily["volunteer_hours"].sum()),
            "party_members": float(daily["party_member_hours"].sum()),
            "residents_meetings": programmes.meeting_hours_total,
        },
        "handler_work_h": {  # work started by each kind of handler, hours
            HANDLERS[code]: float(handlers.pools.busy_h[handlers.kind == code].sum())
            for code in np.unique(handlers.kind)
        },
        "programmes": {
            "whistles": int(state.log.whistled.sum()),
            "root_cause_fixes": programmes.fixes_total,
            "policy_topics": programmes.topics_total,
            "entitlement_slots_used": int(programmes.entitlements_used.sum()),
            "deliberation_meetings": programmes.meetings_total,
            "quota_reports": programmes.quota_reports_total,
        },
    }


def write_outputs(model: CityModel, config_tree: dict, out_dir: Path, started: float) -> dict:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = run_summary(model, config_tree)
    write_parquet_atomic(model.problems(arrow=True), out_dir / "problems.parquet")
    write_parquet_atomic(model.daily(arrow=True), out_dir / "daily.parquet")
    write_parquet_atomic(model.calls(arrow=True), out_dir / "calls.parquet")
    write_parquet_atomic(model.costs(arrow=True), out_dir / "costs.parquet")
    write_text_atomic(
        yaml.safe_dump(config_tree, sort_keys=False, allow_unicode=True), out_dir / "config.yaml"
    )
    write_json_atomic(
        {
            "wall_s": round(time.time() - started, 3),
            "host": socket.gethostname(),
            "platform": platform.platform(),
            "python": sys.version,
            "output_dir": str(out_dir.resolve()),
        },
        out_dir / "run_info.json",
    )
    # summary.json last: its presence means the run folder is complete
    write_json_atomic(summary, out_dir / "summary.json")
    return summary


def is_complete(out_dir: Path, tree: dict) -> bool:
    """A run folder is complete when summary.json (written last) exists and its stored
    config is the one asked for now."""
    config = out_dir / "config.yaml"
    if not (out_dir / "summary.json").exists() or not config.exists():
        return False
    stored = yaml.safe_load(config.read_text(encoding="utf-8"))
    return _without_progress(stored) == _without_progress(tree)


def _without_progress(tree: dict) -> dict:
    """The config as it bears on outputs (a progress bar does not)."""
    sim = {k: v for k, v in (tree.get("sim") or {}).items() if k != "progress"}
    return {**tree, "sim": sim}
