"""The `govsim` command as a user types it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
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
        (["policy=[hotline,grid_managment]"], ["'grid_managment'", "grid_management"]),
        (["policies.volunteer_pay.volunteer_stipend_yuan_per_h=5"], ["add policy=volunteer_pay"]),
        (
            ["policy=hotline_merge", "policies.hotline_merge.misroute_pro=0.1"],
            ["no lever 'misroute_pro'", "misroute_prob, publicity_rate_per_year"],
        ),
        (["shock=epidemic", "shocks.flood.radius_cells=5"], ["add shock=flood"]),
        (["shocks.flod.radius_cells=5"], ["'flod' is not a shock", "arrival_wave, epidemic"]),
        (
            ["policy=接诉即办", "shock=地震"],
            ["'地震'", "arrival_wave, epidemic, flood, topic_wave"],
        ),
    ],
)
def test_user_mistakes_get_one_clear_line(tmp_path, args, expected):
    result = govsim("run", *args, "sim.days=3", "sim.progress=false", cwd=tmp_path)
    assert result.returncode != 0
    for text in expected:
        assert text in result.stderr, result.stderr
    for noise in ("Traceback", "Error executing job", "HYDRA_FULL_ERROR", "search path"):
        assert noise not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # a heading and the problem at most
    assert not (tmp_path / "results").exists()  # a refused run leaves no folder


def test_a_mistake_every_run_would_share_stops_a_multirun_before_its_folder(tmp_path):
    result = govsim("compare", "sim.days=-3", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].strip() == "sim.days = -3: must be >= 1"
    assert not (tmp_path / "results").exists()


def test_a_lever_swept_against_baseline_applies_to_the_arms_that_run_its_policy(tmp_path):
    lever = "policies.hotline_merge.misroute_prob"
    out = tmp_path / "cmp"
    args = ("policy=baseline,hotline_merge", f"{lever}=0.1,0.3", "seed=0,1")
    result = govsim("compare", *args, *FAST, "hydra.launcher.n_jobs=1", f"hydra.sweep.dir={out}",
                    cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    folders = sorted(p.name for p in out.iterdir() if (p / "summary.json").exists())
    assert len(folders) == 6 and not any("++" in name for name in folders)  # baseline once
    for folder in folders:
        config = yaml.safe_load((out / folder / "config.yaml").read_text())
        merge = config["policies"].get("hotline_merge")
        expected = None if "baseline" in folder else float(folder.split("=")[1].split(",")[0])
        assert (merge and merge["misroute_prob"]) == expected
    summary = pd.read_csv(out / "summary.csv")
    paired = summary[(summary["policy"] == "hotline_merge") & (summary["metric"] == "problems")]
    assert sorted(paired[lever]) == [0.1, 0.3]
    assert (paired["reference"] == "baseline").all() and (paired["n_pairs"] == 2).all()


def test_a_fixed_lever_of_one_arm_runs_with_run_m_in_that_arm_only(tmp_path):
    lever, out = "policies.hotline_merge.misroute_prob", tmp_path / "m"
    result = govsim("run", "-m", "policy=baseline,hotline_merge", f"{lever}=0.1", "seed=0",
                    *FAST, f"hydra.sweep.dir={out}", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    folders = sorted(p.name for p in out.iterdir() if (p / "summary.json").exists())
    assert len(folders) == 2 and folders[0].startswith(f"{lever}=0.1,policy=hotline_merge")
    assert folders[1].startswith("policy=baseline")


def test_chinese_policy_names_are_aliases(tmp_path):
    aliases = ("policy=[接诉即办,网格化管理]", "shock=洪涝")
    result = govsim("run", "--cfg", "job", *aliases, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    assert set(config["policies"]) == {
        "hotline_merge",
        "direct_dispatch",
        "kaohe",
        "grid_management",
    }
    assert set(config["shocks"]) == {"flood"}


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
    assert result.returncode != 0
    assert "run, compare, sweep, report, bench, policies" in result.stderr


def test_policy_catalogue_in_both_languages(tmp_path):
    english = govsim("policies", cwd=tmp_path)
    chinese = govsim("policies", "--lang", "zh", cwd=tmp_path)
    assert english.returncode == 0 and chinese.returncode == 0
    for name in ("whistle", "proactive_governance", "reform_2019", "volunteer_stipend_yuan_per_h"):
        assert name in english.stdout
    assert "街道吹哨" in chinese.stdout and "元/小时" in chinese.stdout
    assert "volunteer_stipend_yuan_per_h = 15" in english.stdout  # the preset's default
    assert "接诉即办" in chinese.stdout and "接诉即办+吹哨报到" in chinese.stdout
    assert "…" not in english.stdout + chinese.stdout  # wrapped, never cut


def test_shocks_are_a_config_group(tmp_path):
    result = govsim("run", "--cfg", "job", "shock=[epidemic,flood]", cwd=tmp_path)
    assert result.returncode == 0
    assert set(yaml.safe_load(result.stdout)["shocks"]) == {"epidemic", "flood"}
    wrong = govsim("run", "shock=earthquake", "sim.days=3", cwd=tmp_path)
    assert wrong.returncode != 0 and "arrival_wave" in wrong.stderr


def _summaries(sweep: Path) -> dict[Path, int]:
    return {p.parent: p.stat().st_mtime_ns for p in sweep.rglob("summary.json")}


def test_killed_multirun_resumes_without_losing_or_repeating_runs(tmp_path):
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
        start_new_session=True,  # the launcher's workers are killed with it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 240
    while len(_summaries(sweep)) < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
    group = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True)
    os.kill(proc.pid, signal.SIGKILL)  # the command only: its workers must follow it
    proc.wait()
    time.sleep(3)
    alive = [pid for pid in group.stdout.split() if Path(f"/proc/{pid}").exists()]
    assert not alive, "workers outlived the command"
    finished = _summaries(sweep)
    assert 2 <= len(finished) < 6
    result = subprocess.run([*args, "resume=true"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("skipped, already complete") == len(finished)
    after = _summaries(sweep)
    assert len(after) == 6  # same folders: resume is not in the folder name
    assert all(after[folder] == mtime for folder, mtime in finished.items())  # not redone
    runs = pd.read_parquet(sweep / "runs.parquet")
    assert sorted(runs["seed"]) == [0, 1, 2, 3, 4, 5] and (runs["status"] == "ok").all()


@pytest.mark.parametrize("launcher", ["basic", "local"])  # in process, or forked workers
def test_ctrl_c_prints_one_line_and_keeps_finished_runs(tmp_path, launcher):
    sweep = tmp_path / "sweep"
    proc = subprocess.Popen(
        [GOVSIM, "run", "-m", f"hydra/launcher={launcher}", "seed=0,1,2,3,4,5", "sim.days=200",
         *FAST[1:], f"hydra.sweep.dir={sweep}"],
        cwd=tmp_path,
        start_new_session=True,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal
    )  # fmt: skip
    deadline = time.time() + 120
    while not _summaries(sweep) and time.time() < deadline:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the whole foreground group
    stderr = proc.communicate(timeout=60)[1]
    assert proc.returncode == 130, stderr[-3000:]
    assert stderr.strip().splitlines() == [stderr.strip()]  # one line
    assert "interrupted" in stderr and "resume=true" in stderr
    assert len(_summaries(sweep)) >= 1


@pytest.mark.parametrize("forked", [1, 3])  # the workers' server importing; two workers idle
def test_ctrl_c_before_any_run_of_a_parallel_multirun_leaves_no_process(tmp_path, forked):
    proc = subprocess.Popen(
        [GOVSIM, "run", "-m", "hydra/launcher=local", "seed=0,1,2,3", *FAST,
         f"hydra.sweep.dir={tmp_path / 'sweep'}"],
        cwd=tmp_path,
        start_new_session=True,  # its own process group, which its helpers share
        stderr=subprocess.PIPE,  # read to its end (as `| tee` would), then reaped
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal
    )  # fmt: skip
    deadline = time.time() + 60
    while len(_group(proc.pid, "forkserver")) < forked and time.time() < deadline:
        time.sleep(0.05)
    assert len(_group(proc.pid, "forkserver")) >= forked  # the server, then workers forked by it
    time.sleep(0.7 if forked == 1 else 0)  # the server is importing govsim (about 2.5 s)
    os.killpg(proc.pid, signal.SIGINT)
    stderr = proc.communicate(timeout=30)[1]  # returns once every holder of the pipe is gone
    assert proc.returncode == 130
    assert stderr.strip().splitlines() == [stderr.strip()]  # one line, no traceback
    deadline = time.time() + 10
    while _group(proc.pid) and time.time() < deadline:
        time.sleep(0.2)
    assert not _group(proc.pid), "processes outlived the command"


def _group(pgid: int, command: str = "") -> list[str]:
    """The processes of a process group, those whose command line holds `command`."""
    found = subprocess.run(
        ["pgrep", "-g", str(pgid), *(["-f", command] if command else [])],
        capture_output=True,
        text=True,
    )
    return found.stdout.split()


def _contents(sweep: Path) -> dict[str, object]:
    """Everything the runs of a sweep wrote that depends only on config and seed: tables
    by content, JSON by value (run_info.json holds wall time and host, so it is left out)."""
    found = {}
    for path in sorted(sweep.glob("*/*")):
        key = str(path.relative_to(sweep))
        if path.suffix == ".parquet":
            found[key] = pd.read_parquet(path)
        elif path.name in ("summary.json", "failed.json", "config.yaml"):
            found[key] = path.read_text()
    return found


def test_serial_and_parallel_multiruns_write_the_same_runs(tmp_path):
    contents = {}
    for launcher in ("basic", "local"):  # one process, or joblib workers on all cores
        sweep = tmp_path / launcher
        result = govsim(
            "run",
            "-m",
            f"hydra/launcher={launcher}",
            "scenario.population.people=0,2000",  # 0 fails validation in its job only
            "seed=0,1",
            "sim.days=5",
            "sim.progress=false",
            f"hydra.sweep.dir={sweep}",
            cwd=tmp_path,
        )
        assert result.returncode == 1  # the failures are reported, then the exit status
        assert "2 of 4 runs failed (see runs.parquet, column error)" in result.stderr
        runs = pd.read_parquet(sweep / "runs.parquet")  # `run -m` gets the runs table too
        assert runs["status"].value_counts().to_dict() == {"ok": 2, "failed": 2}
        assert runs[runs["status"] == "failed"]["error"].str.contains("people").all()
        assert (sweep / "summary.csv").exists() and (sweep / "report.html").exists()
        contents[launcher] = {**_contents(sweep), "runs": runs.drop(columns="run")}
    basic, local = contents["basic"], contents["local"]
    assert basic.keys() == local.keys() and len(basic) == 2 * 6 + 2 * 1 + 1  # 6 outputs per ok run
    for key, value in basic.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, local[key], obj=key)
        else:
            assert value == local[key], key


def test_an_unwritable_output_folder_gets_one_line(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    result = govsim("run", "sim.days=2", f"hydra.run.dir={blocker}/run", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "cannot write outputs" in result.stderr


def test_ctrl_c_as_compiled_code_returns_is_an_interrupt_not_a_failed_run():
    """CPython raises a Ctrl-C that arrives while a numba function returns as a SystemError
    caused by the KeyboardInterrupt; the run must stop as interrupted, not record a failure."""
    from sim.cli import _interrupted

    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as interrupt:
            raise SystemError("settle returned a result with an exception set") from interrupt
    except SystemError as wrapped:
        assert _interrupted(wrapped)
    assert not _interrupted(SystemError("a real one"))
    assert not _interrupted(ValueError("bad input"))
