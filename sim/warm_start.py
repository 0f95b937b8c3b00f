"""A warm start: a run's people begin as a burn-in under baseline left them (ODD §7.25).

Before day 0 the district runs `sim.burn_in_days` days under baseline (no policy, no
shock), unreported and not counted in `sim.days`; the run then starts from its people's
state at the end of it: trust, satisfaction, expectations, awareness of the hotline (with
their thresholds), and so who volunteers and how willing each is to report; and from the
cases each handler worked a day, the pre-reform experience its learning is measured against
(§7.27). A place the burn-in left empty carries nothing: whoever holds it on day 0 starts as
a newcomer does. The burn-in
depends on the scenario and the seed, never on the policy, so it is computed once per
scenario, seed and length and every arm of a comparison starts from the same people (common
random numbers). It is kept in the process and on disk (`GOVSIM_CACHE_DIR`, default
~/.cache/govsim), under a key that also holds a digest of the model's code, so parallel
workers and later runs load it (exactly: .npy arrays) instead of running it again (a worker
that needs a burn-in another is computing waits for it), and a change of the model never
reuses an old burn-in. Problems and queues start empty: the latent
and open stocks settle within about a month (measured on the default district).
"""

from __future__ import annotations

import gc
import hashlib
import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import numpy as np

from sim.config.params import Params, validate
from sim.stages import experience

CARRIED = (
    "trust",
    "satisfaction",
    "expectation_ratio",
    "awareness_hazard",
    "awareness_threshold",
    "aware",
)
PEOPLE = (*CARRIED, "present")  # and who was present at the end of the burn-in
STORED = (*PEOPLE, "worked_per_day")  # and the cases each pool worked a day (§7.27)


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


def people_after_burn_in(params: Params, run: Callable[[Params], object]) -> dict:
    """The carried columns of the population after the burn-in (`run` steps a model through
    the params' days and returns it); cached per scenario, seed and length, in the process
    and on disk."""
    key = _key(params)
    if key not in _CACHE:
        carried = _load(key)
        if carried is None:
            with _computing(key):  # another worker may be running this burn-in: wait for it
                carried = _load(key)
                if carried is None:
                    carried = _burn_in(params, run)
                    _save(key, carried)
        large = sum(column.nbytes for column in carried.values()) > _CACHE_ENTRY_BYTES
        if large and (cache_dir() / f"{key}.npz").exists():
            return carried  # a city's people: the disk has them, the process keeps no copy
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))  # the oldest goes first
        _CACHE[key] = carried
    return _CACHE[key]


def _burn_in(params: Params, run: Callable[[Params], object]) -> dict:
    model = run(burn_in_params(params))
    carried = {name: getattr(model.population, name).copy() for name in PEOPLE}
    carried["worked_per_day"] = experience.worked_per_day(model.state.experience)
    del model
    gc.collect()  # the burn-in's model and its agents (a cycle) go before the run's
    return carried


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


_CACHE: dict[str, dict] = {}
_CACHE_SIZE = 8  # scenarios × seeds a process keeps (a few MB each at district size)
_CACHE_ENTRY_BYTES = 16 * 2**20  # larger burn-ins (~46 MB at 1M people) are read again
_DISK_SIZE = 64  # and the cache folder (about 2 MB each at district size)


def _key(params: Params) -> str:
    text = f"{params.scenario.model_dump_json()}|{params.seed}|{params.sim.burn_in_days}"
    return hashlib.sha256(f"{text}|{_code_digest()}".encode()).hexdigest()[:32]


@cache
def _code_digest() -> str:
    """A digest of the model's source files: a burn-in is reused only by the same code."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_dir() -> Path:
    return Path(os.environ.get("GOVSIM_CACHE_DIR", Path.home() / ".cache" / "govsim")) / "warm"


def _load(key: str) -> dict | None:
    path = cache_dir() / f"{key}.npz"
    try:
        with np.load(path) as stored:
            return {name: stored[name] for name in STORED}
    except (OSError, KeyError, ValueError):
        return None  # absent, or unreadable: run the burn-in again


def _save(key: str, carried: dict) -> None:
    """Written atomically (a temporary file renamed), so parallel workers never read half."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as tmp:
            np.savez(tmp, **carried)
        os.replace(tmp.name, folder / f"{key}.npz")
        _prune(folder)
    except OSError:
        pass  # a read-only home only costs the next run the burn-in again


def _prune(folder: Path) -> None:
    """Keep the `_DISK_SIZE` most recent burn-ins (a calibration writes one per evaluation)."""
    stored = sorted(folder.glob("*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in stored[_DISK_SIZE:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".lock").unlink(missing_ok=True)


def apply(population, carried: dict) -> None:
    """Give the day-0 people the burnt-in columns of their places (slot by slot: the layout
    and places are the same for a scenario and seed). A place empty at the end of the
    burn-in keeps its day-0 values, those of a newcomer (`people_come_and_go` and
    `awareness._take_places` give an arrival the same), not its last occupant's."""
    for name in CARRIED:
        np.copyto(getattr(population, name), carried[name], where=carried["present"])
