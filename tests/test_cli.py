"""The `govsim` command as a user types it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sim import outcomes

GOVSIM = str(Path(sys.executable).parent / "govsim")
FAST = ["sim.days=3", "scenario.population.people=2000", "sim.progress=false"]


def govsim(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([GOVSIM, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_run_writes_outputs_and_prints_a_summary(tmp_path):
    out = tmp_path / "out"
    result = govsim("run", *FAST, f"hydra.run.dir={out}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for name in outcomes.RUN_TABLE:  # the register's run-table rows
        assert outcomes.BY_NAME[name].en in result.stdout, name
    assert str(out) in result.stdout
    for name in (
        "problems.parquet",
        "daily.parquet",
        "summary.json",
        "config.yaml",
        "run_info.json",
    ):
        assert (out / name).exists(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["policy"] == "baseline" and summary["days"] == 3


def test_default_output_folder_is_results_run_timestamp(tmp_path):
    result = govsim("run", *FAST, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    runs = list((tmp_path / "results" / "run").iterdir())
    assert len(runs) == 1 and (runs[0] / "summary.json").exists()


def test_cfg_job_prints_only_the_yaml(tmp_path):
    result = govsim("run", "--cfg", "job", "policy=[hotline,grid_management]", cwd=tmp_path)
    assert result.returncode == 0
    config = yaml.safe_load(result.stdout)
    assert set(config["policies"]) == {
        "hotline_merge",
        "direct_dispatch",
        "kaohe",
        "grid_management",
    }
    assert config["scenario"]["name"] == "default"
    assert "hydra" not in config and "${" not in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["scenario=nope"], ["default", "textbook_queue"]),
        (["policy=nope"], ["baseline", "hotline", "volunteer_pay"]),
        (["scenario.population.people=-5"], ["scenario.population.people", "-5", ">= 1"]),
        (["scenario.dispatch.misroute_prob=1.5"], ["misroute_prob", "1.5", "<= 1"]),
        (["+scenario.city.colour=red"], ["scenario.city.colour", "unknown key"]),
        (["seed=abc"], ["seed", "abc"]),
        (["policy=[baseline,hotline]"], ["baseline", "cannot be combined"]),
        (["scenario=textbook_queue", "scenario.servers=1"], ["utilisation", "below 1"]),
    ],
)
def test_user_mistakes_get_one_clear_line(tmp_path, args, expected):
    result = govsim("run", *args, "sim.days=3", "sim.progress=false", cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    assert not (tmp_path / "results" / "run").exists() or not any(
        (tmp_path / "results" / "run").rglob("summary.json")
    )


def test_multirun_writes_one_folder_per_job(tmp_path):
    sweep = tmp_path / "sweep"
    result = govsim(
        "run",
        "-m",
        "seed=0,1",
        "policy=baseline,hotline",
        *FAST,
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    summaries = sorted(sweep.rglob("summary.json"))
    assert len(summaries) == 4
    seen = {
        (json.loads(s.read_text())["policy"], json.loads(s.read_text())["seed"]) for s in summaries
    }
    assert seen == {("baseline", 0), ("baseline", 1), ("hotline", 0), ("hotline", 1)}


def test_a_users_scenario_folder_joins_the_search_path(tmp_path):
    mine = tmp_path / "my_configs" / "scenario"
    mine.mkdir(parents=True)
    (mine / "mine.yaml").write_text(
        "defaults:\n  - default\n  - _self_\nname: mine\npopulation:\n  people: 2500\n"
    )
    out = tmp_path / "out"
    result = govsim(
        "run",
        f"hydra.searchpath=[file://{tmp_path / 'my_configs'}]",
        "scenario=mine",
        "sim.days=3",
        "sim.progress=false",
        f"hydra.run.dir={out}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenario"] == "mine"
    assert summary["config"]["scenario"]["population"]["people"] == 2500


def test_bench_prints_one_json_line_per_size(tmp_path):
    result = govsim("bench", "--agents", "3000", "--days", "5", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    row = json.loads(result.stdout.strip().splitlines()[-1])
    for key in (
        "agents",
        "days",
        "init_s",
        "run_s",
        "seconds",
        "agent_days_per_s",
        "problems_per_s",
        "peak_rss_mb",
        "schelling_agent_steps_per_s",
    ):
        assert key in row
    assert row["agents"] == 3000 and row["days"] == 5


def test_bench_refuses_bad_sizes(tmp_path):
    result = govsim("bench", "--agents", "0", cwd=tmp_path)
    assert (
        result.returncode != 0 and "--agents" in result.stderr and "Traceback" not in result.stderr
    )


def test_unknown_command(tmp_path):
    result = govsim("fly", cwd=tmp_path)
    assert result.returncode != 0 and "run, compare, sweep, bench, policies" in result.stderr


def test_joblib_launcher_gives_the_same_files_as_the_basic_one(tmp_path):
    runs = {}
    for launcher in ("basic", "joblib"):
        sweep = tmp_path / launcher
        result = govsim(
            "run",
            "-m",
            f"hydra/launcher={launcher}",
            "seed=0,1",
            *FAST,
            f"hydra.sweep.dir={sweep}",
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        runs[launcher] = {
            p.relative_to(sweep): p.read_bytes() for p in sorted(sweep.rglob("summary.json"))
        }
    assert len(runs["basic"]) == 2 and runs["basic"] == runs["joblib"]


def test_policy_catalogue_in_both_languages(tmp_path):
    english = govsim("policies", cwd=tmp_path)
    chinese = govsim("policies", "--lang", "zh", cwd=tmp_path)
    assert english.returncode == 0 and chinese.returncode == 0
    for name in ("whistle", "proactive_governance", "reform_2019", "volunteer_stipend_yuan_per_h"):
        assert name in english.stdout
    assert "街道吹哨" in chinese.stdout and "元/小时" in chinese.stdout


def test_shocks_are_a_config_group(tmp_path):
    result = govsim("run", "--cfg", "job", "shock=[epidemic,flood]", cwd=tmp_path)
    assert result.returncode == 0
    assert set(yaml.safe_load(result.stdout)["shocks"]) == {"epidemic", "flood"}
    wrong = govsim("run", "shock=earthquake", "sim.days=3", cwd=tmp_path)
    assert wrong.returncode != 0 and "arrival_wave" in wrong.stderr


def _summaries(sweep: Path) -> dict[Path, float]:
    return {p.parent: p.stat().st_mtime_ns for p in sweep.rglob("summary.json")}


def test_resume_skips_complete_runs_and_redoes_missing_ones(tmp_path):
    sweep = tmp_path / "sweep"
    args = ["run", "-m", "seed=0,1,2", *FAST, f"hydra.sweep.dir={sweep}"]
    assert govsim(*args, cwd=tmp_path).returncode == 0
    before = _summaries(sweep)
    assert len(before) == 3
    lost = sorted(before)[1]
    (lost / "summary.json").unlink()
    result = govsim(*args, "resume=true", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    after = _summaries(sweep)
    assert set(after) == set(before)  # same folders: resume is not in the folder name
    for folder, mtime in before.items():
        if folder != lost:
            assert after[folder] == mtime  # finished runs were not redone
    assert "skipped, already complete" in result.stderr


def test_killed_multirun_resumes_without_losing_or_repeating_runs(tmp_path):
    import os
    import signal
    import time

    sweep = tmp_path / "sweep"
    args = [
        GOVSIM,
        "run",
        "-m",
        "seed=0,1,2,3,4,5",
        "sim.days=60",
        "scenario.population.people=4000",
        "sim.progress=false",
        f"hydra.sweep.dir={sweep}",
    ]
    proc = subprocess.Popen(
        args,
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 240
    while len(_summaries(sweep)) < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = _summaries(sweep)
    assert 2 <= len(finished) < 6
    result = subprocess.run([*args, "resume=true"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    after = _summaries(sweep)
    assert len(after) == 6
    assert all(after[folder] == mtime for folder, mtime in finished.items())
    seeds = sorted(json.loads((f / "summary.json").read_text())["seed"] for f in after)
    assert seeds == [0, 1, 2, 3, 4, 5]


def test_local_launcher_runs_jobs_in_parallel(tmp_path):
    sweep = tmp_path / "sweep"
    result = govsim(
        "run",
        "-m",
        "hydra/launcher=local",
        "seed=0,1",
        *FAST,
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert len(_summaries(sweep)) == 2


def test_an_unwritable_output_folder_gets_one_line(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    result = govsim("run", "sim.days=2", f"hydra.run.dir={blocker}/run", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "cannot write outputs" in result.stderr
