"""Results do not change by accident: digests of what runs write, recorded once.

For every scenario preset, a dozen policy mixes and the shocks, on two seeds, the contents of
problems.parquet, calls.parquet and daily.parquet, and summary.json without its `config` and
`versions`, must hash to the values in `regression_digests.json`. Contents, not bytes: the
files carry the writer's version. A change that means to change results updates the file
(`python tests/test_regression.py --update`) and says so in its commit message.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

DIGESTS = Path(__file__).with_name("regression_digests.json")
SMALL = ["scenario.population.people=10000", "sim.days=100", "sim.progress=false"]
KAOHE_BITES = [
    "policies.kaohe.rating_lift_share=0.8",
    "policies.kaohe.exemption_share=0.5",
]
EARLY_SHOCKS = [  # within the 100 days of these runs
    "shocks.epidemic.start_day=30",
    "shocks.flood.start_day=40",
    "shocks.arrival_wave.start_day=50",
    "shocks.topic_wave.start_day=60",
]
# name -> (scenario, policies, shocks, overrides)
CASES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "default": ("default", ("baseline",), (), ()),
    "old_town": ("old_town", ("baseline",), (), ()),
    "urban_village": ("urban_village", ("baseline",), (), ()),
    "new_district": ("new_district", ("baseline",), (), ()),
    "reform_2019": ("default", ("reform_2019",), (), tuple(KAOHE_BITES)),
    "hotline_whistle_evaluates": (
        "default",
        ("hotline_merge", "direct_dispatch", "whistle"),
        (),
        ("policies.whistle.street_evaluates_departments=true",),
    ),
    "sinking": ("default", ("resource_sinking",), (), ()),
    "responsibility": ("default", ("responsibility_sinking", "burden_reduction"), (), ()),
    "grid_quota": (
        "default",
        ("grid_management",),
        (),
        ("policies.grid_management.report_quota_per_month=4",),
    ),
    "volunteers": ("default", ("volunteer_pay", "volunteer_honour", "volunteer_points"), (), ()),
    "services": ("default", ("purchase_services", "smart_platform"), (), ()),
    "migrants": ("urban_village", ("migrant_inclusion", "migrant_entitlement"), (), ()),
    "online": ("urban_village", ("smart_platform", "online_channels"), (), ()),
    "community": ("old_town", ("deliberation", "party_building", "proactive_governance"), (), ()),
    "equal_budget": (
        "default",
        ("grid_management", "volunteer_pay"),
        (),
        ("budget_yuan_per_year=2000000",),
    ),
    "epidemic": ("epidemic", ("baseline",), (), ()),
    "flood": ("flood", ("reform_2019",), (), ("shocks.flood.start_day=40",)),
    "shocks_all": (
        "default",
        ("grid_management", "party_building"),
        ("epidemic", "flood", "arrival_wave", "topic_wave"),
        tuple(EARLY_SHOCKS),
    ),
    "textbook_queue": ("textbook_queue", ("baseline",), (), ()),
    # mixes whose calendar hooks and cost entries interleave (order of effects and of sums)
    "hooks_together": (
        "old_town",
        (
            "kaohe",
            "whistle",
            "purchase_services",
            "smart_platform",
            "migrant_entitlement",
            "deliberation",
            "proactive_governance",
        ),
        (),
        tuple(KAOHE_BITES),
    ),
    "costs_together": (
        "urban_village",
        (
            "resource_sinking",
            "grid_management",
            "volunteer_honour",
            "migrant_inclusion",
            "smart_platform",
            "proactive_governance",
            "hotline_merge",
        ),
        (),
        ("policies.grid_management.report_quota_per_month=2",),
    ),
}
SEEDS = (0, 7)


def _frame_digest(frame: pd.DataFrame) -> str:
    """Hash of a table's column names, values and nulls (categories compared as strings)."""
    frame = frame.copy()
    for name in frame.columns:
        if isinstance(frame[name].dtype, pd.CategoricalDtype):
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    digest = hashlib.sha256(json.dumps(list(frame.columns)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def case_digests(case: str, seed: int, tmp: Path) -> dict[str, str]:
    """Run one case through the same path as `govsim run` and hash what it wrote."""
    from sim import load_params
    from sim.config.load import compose_config, job_tree
    from sim.runner import simulate, write_outputs

    scenario, policies, shocks, overrides = CASES[case]
    textbook = scenario == "textbook_queue"
    args = ["sim.days=100", "sim.progress=false"] if textbook else SMALL
    args = [*args, *overrides]
    tree = job_tree(compose_config(scenario, policies, args, seed, shocks))
    params = load_params(scenario, policies, args, seed, shocks)
    out = tmp / f"{case}_{seed}"
    write_outputs(simulate(params), tree, out, time.time())
    summary = json.loads((out / "summary.json").read_text())
    for key in ("config", "versions"):
        summary.pop(key, None)
    result = {
        name: _frame_digest(pd.read_parquet(out / f"{name}.parquet"))
        for name in ("problems", "calls", "daily")
    }
    result["summary"] = hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()
    return result


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_outputs_match_the_recorded_digests(case, seed, tmp_path):
    recorded = json.loads(DIGESTS.read_text())[f"{case}/{seed}"]
    assert case_digests(case, seed, tmp_path) == recorded


if __name__ == "__main__":  # python tests/test_regression.py --update
    import tempfile

    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_regression.py --update")
    with tempfile.TemporaryDirectory() as tmp:
        table = {
            f"{case}/{seed}": case_digests(case, seed, Path(tmp))
            for case in sorted(CASES)
            for seed in SEEDS
        }
    DIGESTS.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(table)} digests to {DIGESTS}")
