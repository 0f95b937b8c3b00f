"""A warm start: a run goes on from the district as a burn-in under baseline left it (ODD §7.25).

Before day 0 the district runs `sim.burn_in_days` days under baseline (no policy, no
shock), unreported and not counted in `sim.days`. The run then carries on from that day with
everything the burn-in left: people (trust, satisfaction, expectations, awareness, who
volunteers, who lives where), the needs still latent and the cases still open, queued or in
service, staff's experience (the pre-reform reference its learning is measured against,
§7.27) and the random streams. Only the rules change on day 0: the run's policies and shocks
come into force as an adoption does (`sim.adoption.put_in_force`). The district's clock goes
on (`RunState.origin_day` is the burn-in's length); the run's outputs count from day 0.

The burn-in depends on the scenario and the seed, never on the policy, so it is computed
once per scenario, seed and length and every arm of a comparison starts from the same
district (common random numbers). It is kept in the process and on disk
(`GOVSIM_CACHE_DIR`, default ~/.cache/govsim; a pickle, so the folder must be the user's
own), under a key that also holds a digest of the model's code, so parallel workers and
later runs load it instead of running it again (a worker that needs a burn-in another is
computing waits for it), and a change of the model never reuses an old burn-in. What is
stored holds only the problems still alive (renumbered), not the year of closed ones.
"""

from __future__ import annotations

import gc
import hashlib
import math
import os
import pickle
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from sim import adoption, source_digest
from sim.config.params import Params, validate
from sim.records import LATENT, OPEN, CallLog
from sim.stages import experience
from sim.state import Counters, DistrictState


def burn_in_params(params: Params) -> Params:
    """The burn-in's params: the same scenario and seed, baseline, no shock, not warm-started."""
    tree = params.model_dump(mode="json")
    tree.update(
        policies={"baseline": {}},
        shocks={},
        policy_start_day={},
        budget_yuan_per_year=None,
        sim={**tree["sim"], "days": params.sim.burn_in_days, "burn_in_days": 0, "progress": False},
    )
    return validate(tree)


def district_after_burn_in(params: Params, run: Callable[[Params], object]) -> DistrictState:
    """The district as the burn-in left it, a copy of its own for this run (`run` steps a
    model through the params' days and returns it); cached per scenario, seed and length,
    in the process and on disk."""
    key = _key(params)
    if key in _CACHE:
        return pickle.loads(_CACHE[key])
    state = _load(key)
    if state is None:
        with _computing(key):  # another worker may be running this burn-in: wait for it
            state = _load(key)
            if state is None:
                state = _burn_in(params, run)
                _save(key, state)
    _remember(key, state)
    return state


def _remember(key: str, state: DistrictState) -> None:
    """Keep the pickled district in the process too, unless it is a city's (too large)."""
    try:
        path = cache_dir() / f"{key}.pkl"
        blob = path.read_bytes() if path.stat().st_size <= _CACHE_ENTRY_BYTES else b""
    except OSError:  # not stored (a read-only home): this process keeps its own copy
        blob = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
    if 0 < len(blob) <= _CACHE_ENTRY_BYTES:
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))  # the oldest goes first
        _CACHE[key] = blob


def _burn_in(params: Params, run: Callable[[Params], object]) -> DistrictState:
    model = run(burn_in_params(params))
    state = model.state
    del model
    gc.collect()  # the burn-in's model and its agents (a cycle) go; its district stays
    _keep_alive_problems(state)
    return state


def _keep_alive_problems(state: DistrictState) -> None:
    """Keep only the problems the district still carries: latent or open, or a job's (rows
    renumbered in order, so queues break ties as before); the run's counts start at 0."""
    log = state.log
    pools, in_service = state.world.handlers.pools, state.in_service
    waiting = np.asarray(state.programmes.awaiting_deliberation, np.int64)
    jobs = np.concatenate([pools.problem, in_service.problem, waiting])
    alive = (log.status == LATENT) | (log.status == OPEN)
    alive[jobs[jobs >= 0]] = True
    rows = np.flatnonzero(alive)
    renumber = np.full(log.size + 1, -1, np.int64)  # -1 (not a problem) stays -1
    renumber[rows] = np.arange(len(rows))
    state.burn_in_problems = log.size
    state.log = log.kept(rows)
    state.latent_ids = renumber[state.latent_ids]
    state.open_ids = renumber[state.open_ids]
    pools.problem = renumber[pools.problem]
    in_service.problem = renumber[in_service.problem]
    state.programmes.awaiting_deliberation = renumber[waiting].tolist()
    latent, known = (int(np.count_nonzero(state.log.status == s)) for s in (LATENT, OPEN))
    state.counters = Counters(arisen=latent + known, carried=latent + known, known=known)
    state.calls = CallLog()
    pools.busy_h[:] = 0.0
    state.staffing.other_duties_backlog_h = 0.0


def start_run(state: DistrictState, params: Params) -> None:
    """Day 0 of a run on a burnt-in district: its clock's origin, the pre-reform reference
    of staff's learning, and the run's rules (`params` as in force on day 0)."""
    state.origin_day = state.day + 1
    experience.start_from_burn_in(state)
    per_day = state.burn_in_problems / state.origin_day  # room for the run's at that rate
    state.log.make_room(state.log.size + math.ceil(ROOM_MARGIN * per_day * params.sim.days))
    if _rules(params) != _rules(state.params):
        adoption.put_in_force(state, params)
    else:
        state.params = params  # baseline goes on: nothing to rebuild


def _rules(params: Params) -> tuple:
    """The policies in force (but baseline, which is none) with their levers, and the shocks."""
    names = [name for name in params.policies.names if name != "baseline"]
    return {name: getattr(params.policies, name) for name in names}, params.shocks


@contextmanager
def _computing(key: str):
    """Hold the burn-in's lock file while computing it, so that parallel workers that need
    the same one (the same seed under two policies) compute it once; without a writable
    cache folder or POSIX locks, nothing is held."""
    try:
        import fcntl

        cache_dir().mkdir(parents=True, exist_ok=True)
        lock = open(cache_dir() / f"{key}.lock", "w")  # noqa: SIM115 (held until the end)
    except (ImportError, OSError):
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


ROOM_MARGIN = 1.25  # the run's log has room for this many times the burn-in's daily problems
_CACHE: dict[str, bytes] = {}  # pickled districts
_CACHE_SIZE = 8  # scenarios × seeds a process keeps (a few MB each at district size)
_CACHE_ENTRY_BYTES = 16 * 2**20  # larger districts (a city's) are read from disk again
_DISK_BYTES = 2**30  # and the cache folder (5.5 MB a district of 40,000, ~140 MB a city of 1M)


def _key(params: Params) -> str:
    text = f"{params.scenario.model_dump_json()}|{params.seed}|{params.sim.burn_in_days}"
    return hashlib.sha256(f"{text}|{_code_digest()}".encode()).hexdigest()[:32]


_code_digest = source_digest  # a burn-in is reused only by the same code


def cache_dir() -> Path:
    return Path(os.environ.get("GOVSIM_CACHE_DIR", Path.home() / ".cache" / "govsim")) / "warm"


def _load(key: str) -> DistrictState | None:
    try:
        with open(cache_dir() / f"{key}.pkl", "rb") as stored:
            return pickle.load(stored)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None  # absent, or unreadable: run the burn-in again


def _save(key: str, state: DistrictState) -> None:
    """Written atomically (a temporary file renamed), so parallel workers never read half."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as tmp:
            pickle.dump(state, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, folder / f"{key}.pkl")
        _prune(folder)
    except OSError:
        pass  # a read-only home only costs the next run the burn-in again


def _prune(folder: Path) -> None:
    """Keep the most recent burn-ins within `_DISK_BYTES`, and always the newest (a
    calibration writes one per evaluation)."""
    stored = sorted(folder.glob("*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
    sizes = np.cumsum([path.stat().st_size for path in stored])
    old = [path for path, total in zip(stored[1:], sizes[1:], strict=True) if total > _DISK_BYTES]
    for path in [*old, *folder.glob("*.npz")]:  # .npz: an older govsim's
        path.unlink(missing_ok=True)
        path.with_suffix(".lock").unlink(missing_ok=True)
