"""The toolkit as a user types it: `govsim sensitivity` writes its results folder and
report (en, then zh by `govsim report`), resumes without re-running; bad settings get one
line each; `govsim search` survives `kill -9` without redoing finished candidates.

The methods' answers are test_toolkit_methods.py's; here a tiny district over a few days
checks the wiring, and PNG copies of the figures are skipped (GOVSIM_PNG=0, ~5 s a report;
test_analysis.py checks them)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
from test_cli import GOVSIM

from experiments.toolkit.door import prepare
from sim.config.types import ConfigError

# two uncertainties, a tiny district, ten days: the wiring, not the findings
TWO = [f"~problem.uncertainties.{name}" for name in (
    "resident_report_willingness", "migrant_hotline_access", "migrant_entitlement_barrier",
    "street_admin_time", "households_per_grid", "department_refusal",
)]  # fmt: skip
TINY = ["scenario.population.people=1000", "sim.days=10", *TWO]
ENV = {**os.environ, "GOVSIM_PNG": "0", "PYTHONUNBUFFERED": "1"}


def govsim(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`govsim ARGS` without the figures' PNG copies."""
    return subprocess.run(
        [GOVSIM, *args], capture_output=True, text=True, cwd=cwd, timeout=300, env=ENV
    )


def test_sensitivity_writes_indices_sentences_and_reports_then_resumes(tmp_path):
    sweep = tmp_path / "sens"
    # joblib in one process: joblib's workers on every core are test_cli.py's (basic vs
    # local), the method in other processes test_toolkit_launchers.py's (Ray, submitit)
    args = [*TINY, "toolkit.morris.trajectories=2", "toolkit.sobol.base_samples=2",
            "toolkit.points_per_job=7", "hydra.launcher.n_jobs=1",
            f"hydra.sweep.dir={sweep}"]  # fmt: skip
    result = govsim("sensitivity", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "rated satisfaction rate (migrants)" in result.stdout + result.stderr
    # as many jobs as the design has blocks (the removed uncertainties count): none empty
    assert sorted(p.name for p in sweep.glob("job_*")) == ["job_0", "job_1"], result.stderr
    table = pd.read_csv(sweep / "sensitivity.csv")
    assert set(table["response"]) == {"baseline", "policy", "effect"}
    assert set(table["parameter"]) == {"migrant_report_willingness", "community_admin_time"}
    computed = table[table["outcome"] == "satisfaction_rate_migrant"]
    assert computed["note"].isna().all() and computed["ST"].notna().all()
    runs = pd.read_parquet(sweep / "runs.parquet")
    assert len(runs) == 2 * 14 and (runs["status"] == "ok").all()  # 14 points x 2 arms
    record = json.loads((sweep / "toolkit.json").read_text())
    assert record["points"] == 14 and len(record["sentences"]) == 7
    assert "Morris" in (sweep / "report.html").read_text()
    zh = govsim("report", str(sweep), "--lang", "zh", cwd=tmp_path)
    assert zh.returncode == 0, zh.stderr
    assert "哪些假设决定结果" in (sweep / "report.zh.html").read_text()
    again = govsim("sensitivity", *args, "resume=true", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stderr.count("skipped, already complete") == 2  # both jobs
    assert pd.read_parquet(sweep / "runs.parquet").equals(runs)


@pytest.mark.parametrize(
    ("argument", "named"),
    [
        ("problem.uncertainties.community_admin_time.key=scenario.nope", "scenario.nope"),
        ("problem.uncertainties.community_admin_time.high=1.5", "1.5 is not allowed"),
        ("toolkit.sobol.bas_samples=4", "toolkit.sobol.bas_samples: unknown setting; settings "
         "here are base_samples, confidence_level, bootstrap_resamples"),
        ("toolkit.sobol.base_samples=12", "must be a power of two"),
        ("problem.outcomes=[satisfaction]", "'satisfaction' is not an outcome"),
        ("problem.levers.outreach_staff.low=-1", "-1 is not allowed"),
        ("target.happiness='>=0.9'", "target.happiness: 'happiness' is not an outcome"),
        ("target.median_close_h=about48", "write '>=NUMBER' or '<=NUMBER'"),
    ],
)  # fmt: skip
def test_the_door_names_a_bad_setting_and_what_is_allowed(argument, named):
    """In-process, through the door the command uses (its one-line exit is proven below)."""
    searched = argument.startswith(("problem.levers", "target"))
    method = "policy_search" if searched else "sensitivity"
    with pytest.raises(ConfigError) as refused:
        prepare([f"experiment={method}", argument])
    assert named in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize(
    "args",
    [
        ["sensitivity", "--help"],
        ["discovery", "--help"],
        ["run", "experiment=sensitivity", "--cfg", "job"],
        ["discovery", "policy=migrant_inclusion", "--cfg", "hydra"],
    ],
)
def test_help_and_config_flags_show_and_run_nothing(tmp_path, args):
    shown = govsim(*args, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() and "Traceback" not in shown.stderr
    assert not any(tmp_path.iterdir())


def test_the_jobs_of_a_design_go_beside_the_experiment_before_any_flag():
    """Hydra reads its overrides as one run of words: none may follow a flag's value."""
    argv = prepare(["experiment=sensitivity", *TINY[:2], "--config-dir", "/tmp"])
    at = argv.index("experiment=sensitivity")
    assert argv[at + 1].startswith("toolkit.job=range(0,")
    assert argv[-2:] == ["--config-dir", "/tmp"]


def test_a_bad_range_is_one_line_and_no_folder(tmp_path):
    argument = "problem.uncertainties.community_admin_time.low=0.9"
    result = govsim("sensitivity", argument, f"hydra.sweep.dir={tmp_path / 's'}", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "problem.uncertainties.community_admin_time: low = 0.9 must be below high" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr and not (tmp_path / "s").exists()


def _finished_trials(journal) -> int:
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    if not journal.exists():
        return 0
    storage = JournalStorage(JournalFileBackend(str(journal)))
    study = optuna.load_study(study_name="policy_search", storage=storage)
    return sum(t.state.is_finished() for t in study.trials)


TRIALS = 16


def test_search_resumes_after_kill_9_without_redoing_candidates(tmp_path):
    folder = tmp_path / "search"
    # enough candidates that a kill after the first finished one always leaves some undone
    # (a tiny run takes well under a second once the process is up)
    args = [*TINY, f"toolkit.search.trials={TRIALS}", "toolkit.search.workers=1",
            "toolkit.replications=1", "target.satisfaction_rate_migrant='>=0.5'",
            f"hydra.run.dir={folder}"]  # fmt: skip
    process = subprocess.Popen(
        [GOVSIM, "search", *args], cwd=tmp_path, env=ENV, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.time() + 120
    while _finished_trials(folder / "study.journal") < 1 and time.time() < deadline:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    before = _finished_trials(folder / "study.journal")
    assert 1 <= before < TRIALS
    again = govsim("search", *args, "resume=true", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    trials = pd.read_csv(folder / "trials.csv")
    assert sorted(trials["number"]) == list(range(TRIALS))
    runs = pd.read_parquet(folder / "runs.parquet")
    assert len(runs) == TRIALS and runs["trial"].is_unique  # one run per candidate, none twice
    assert "cheapest meeting every target" in again.stdout


def test_a_failed_job_makes_the_multirun_exit_non_zero(tmp_path):
    """A toolkit job that fails writes failed.json and no rows to runs.parquet: the end of
    the multirun still says so (and `govsim` exits 1), as for a failed ordinary run."""
    import pandas as pd

    from sim.cli import _multirun_failures

    pd.DataFrame({"status": ["ok", "ok"]}).to_parquet(tmp_path / "runs.parquet")
    status = {"finished": True, "sweep_dir": str(tmp_path)}
    assert _multirun_failures(status) is None
    (tmp_path / "job_1").mkdir()
    (tmp_path / "job_1" / "failed.json").write_text("{}")
    assert "1 jobs failed" in _multirun_failures(status)
    (tmp_path / "job_1" / "summary.json").write_text("{}")  # finished on resume
    assert _multirun_failures(status) is None
