"""What keeps the command tidy as a process: workers that exit with it, refused runs that
leave no folder, Hydra's wrapper lines kept off the terminal, one line on Ctrl-C."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

EXPERIMENTS = {  # command -> the experiment preset it runs
    "compare": "compare_policies",
    "sweep": "sweep",
    "sensitivity": "sensitivity",
    "discovery": "discovery",
    "search": "policy_search",
}
WORKER_MODULES = (
    "sim.worker_fork",
    "sim.runner",
    "experiments.callbacks",
    "hydra_plugins.govsim_experiments.coarse",
)
worker_server = False  # whether `start_worker_server` started the server in this process
ctrl_c_pressed = False  # set by `remember_ctrl_c`'s handler
ctrl_c_dropped = False  # ... and where Python dropped the interrupt it raised
MAIN_PID_ENV = "GOVSIM_MAIN_PID"  # set by the command; a job in another process follows it
POLL_S = 1.0  # how often a worker checks that the command is still alive
PR_SET_PDEATHSIG = 1  # linux/prctl.h
HYDRA_WRAPPER = re.compile(
    r"^(Error executing job with overrides: .*|"
    r"Set the environment variable HYDRA_FULL_ERROR=1 for a complete stack trace\.|"
    r"Config search path:|provider=.*, path=.*)$"
)
MISSING_OPTION = re.compile(
    r"(?:In '[^']+': )?Could not find '(?P<group>[\w/]+)/(?P<name>[^']+)'\s*"
    r"Available options in '[^']+':\n(?P<options>(?:\t[^\n]*\n?)+)"
)


def remember_ctrl_c() -> None:
    """Have Ctrl-C remembered as well as raised. An interrupt that arrives while numba's
    compiler is inside a ctypes callback (llvmlite) is printed as "Exception ignored" and
    dropped, and the command would go on to finish and exit 0; the flag still says it came."""
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return  # ignored (started in the background) or handled by the caller: kept so

    def on_ctrl_c(signum, frame):
        global ctrl_c_pressed
        ctrl_c_pressed = True
        raise KeyboardInterrupt

    previous = sys.unraisablehook

    def quiet_if_ctrl_c(unraisable):
        global ctrl_c_dropped
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            ctrl_c_dropped = True  # no "Exception ignored" traceback: the command says it
        else:
            previous(unraisable)

    signal.signal(signal.SIGINT, on_ctrl_c)
    sys.unraisablehook = quiet_if_ctrl_c


def follow_parent() -> None:
    """In a launcher's worker process: ignore Ctrl-C (the command handles it) and exit as
    soon as the command does, even after `kill -9` (loky workers otherwise live on under
    PID 1): the kernel's parent-death signal where there is one, and a watching thread."""
    main_pid = int(os.environ.get(MAIN_PID_ENV, "0") or 0)
    if not main_pid or main_pid == os.getpid():
        return
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()  # not Linux: the thread alone
    if not any(t.name == "govsim-lifeline" for t in threading.enumerate()):
        threading.Thread(
            target=_watch, args=(main_pid,), name="govsim-lifeline", daemon=True
        ).start()


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent exits (Linux's parent-death signal;
    elsewhere nothing)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _watch(main_pid: int) -> None:
    while True:
        try:
            os.kill(main_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass  # alive, owned by someone else: cannot happen for our parent, but not dead
        time.sleep(POLL_S)


def begin(argv: list[str]) -> None:
    """A Hydra command's process set-up, before any worker starts: workers follow this
    process, the resource tracker is quiet, and a parallel sweep's worker server starts.
    Idempotent: the entry point calls it before the heavy imports, `sim.cli` again."""
    os.environ[MAIN_PID_ENV] = str(os.getpid())
    quiet_helpers()
    start_worker_server(argv)


def start_worker_server(argv: list[str]) -> None:
    """For a multirun on the local launcher with more than one worker: start the process
    that forks its workers (multiprocessing's forkserver) with govsim already imported.

    Its imports (about 2.5 s) then run on another core while this process starts Hydra, and
    each worker starts in milliseconds instead of importing everything afresh. Call it once
    the workers' environment is set: they inherit the server's, not this process's. The
    server and its workers start with Ctrl-C ignored; the command handles it.
    """
    import multiprocessing
    from multiprocessing import forkserver

    from joblib import cpu_count

    global worker_server
    if worker_server or not forks_workers(argv) or cpu_count() < 2:
        return
    multiprocessing.get_context("forkserver").set_forkserver_preload(list(WORKER_MODULES))
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)  # kept across its exec
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, handler)
    worker_server = True


def forks_workers(argv: list[str]) -> bool:
    """Whether `argv` is a multirun on the local (joblib) launcher, as the multirun
    experiments' presets are and `run -m` is when asked, with more than one job."""
    experiment = next((a.split("=", 1)[1] for a in argv if a.startswith("experiment=")), None)
    preset = _preset_text(experiment) if experiment else ""
    multirun = "mode: MULTIRUN" in preset or bool({"-m", "--multirun"} & set(argv))
    default = "local" if "override /hydra/launcher: local" in preset else "basic"
    launcher = next((a.split("=", 1)[1] for a in argv if a.startswith("hydra/launcher=")), default)
    one_job = any(a.replace(" ", "") == "hydra.launcher.n_jobs=1" for a in argv)
    return multirun and launcher == "local" and not one_job


def _preset_text(name: str) -> str:
    """An experiment preset's YAML as text ("" if there is none by that name)."""
    from importlib.resources import files

    preset = files("experiments").joinpath("experiment", f"{name}.yaml")
    return preset.read_text(encoding="utf-8") if preset.is_file() else ""


def quiet_helpers() -> None:
    """The launcher's resource tracker, started later with this environment, says nothing
    about the semaphores an interrupted pool leaves it to clean up."""
    quiet = "ignore:resource_tracker:UserWarning"
    current = os.environ.get("PYTHONWARNINGS")
    if quiet not in (current or "").split(","):
        os.environ["PYTHONWARNINGS"] = f"{current},{quiet}" if current else quiet


def remove_refused(out_dir: Path) -> None:
    """A single run refused before it started leaves nothing: its folder holds only Hydra's
    record (`.hydra`) and an empty log; the default parents (results/run) go too if empty."""
    if not out_dir.is_dir():
        return
    leftovers = [p for p in out_dir.iterdir() if p.name != ".hydra"]
    if all(p.suffix == ".log" and p.stat().st_size == 0 for p in leftovers):
        shutil.rmtree(out_dir, ignore_errors=True)
        for parent in out_dir.absolute().parents[:2]:
            if parent == Path.cwd() or any(parent.iterdir()):
                break
            parent.rmdir()


class QuietStderr:
    """sys.stderr without Hydra's wrapper lines around a user's error."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        text = MISSING_OPTION.sub(_one_line, text)
        lines = [line for line in text.split("\n") if not HYDRA_WRAPPER.match(line.strip())]
        kept = "\n".join(lines)
        if kept.strip() or not text.strip():
            self.stream.write(kept if kept.strip() else text)
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


def _one_line(match: re.Match) -> str:
    """Hydra's "Could not find 'scenario/x'" and its list of options, as one line."""
    group = match["group"].rsplit("/", 1)[-1]
    options = ", ".join(line.strip() for line in match["options"].splitlines() if line.strip())
    return f"govsim: unknown {group} {match['name']!r}; {group} names are: {options}\n"


def interrupted(status_file: Path) -> str:
    """The one line Ctrl-C prints: what was kept, and how to finish."""
    import json

    if not status_file.exists():
        return "govsim: interrupted"
    sweep_dir = Path(json.loads(status_file.read_text())["sweep_dir"])
    done = sum(1 for _ in sweep_dir.rglob("summary.json"))
    return (
        f"govsim: interrupted; {done} finished runs kept in {sweep_dir} "
        f"(add hydra.sweep.dir={sweep_dir} resume=true to finish the rest)"
    )


def exit_now(code: int) -> None:
    """Leave without waiting for a launcher's pool to wind down (its workers follow us)."""
    sys.stderr.flush()
    sys.stdout.flush()
    os._exit(code)
