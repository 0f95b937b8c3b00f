"""Shared fixtures: small, fast runs through the Python API (the CLI has its own tests)."""

from __future__ import annotations

import os
from pathlib import Path

# The compiled code the tests build (other dtypes and layouts than a run's) is cached apart
# from a run's, which loads every signature it finds at set-up (`sim.compiled`): a run's
# memory stays its own after the suite has run. Set before `sim` is first imported (it
# names numba's cache folder by a digest of the source: `sim._numba_cache_dir`).
os.environ.setdefault("GOVSIM_NUMBA_CACHE", str(Path(__file__).parents[1] / ".numba_test_cache"))

import numpy as np
import pandas as pd
import pytest

from sim import CityModel, load_params
from sim.runner import simulate

SMALL = ["scenario.population.people=12000", "sim.progress=false"]


@pytest.fixture(scope="session", autouse=True)
def _private_warm_start_cache(tmp_path_factory):
    """Burn-ins cached on disk go to this test run's folder (one for all xdist workers), not
    the user's ~/.cache, so a test never depends on what an earlier run left (subprocesses
    inherit it); reports skip their PNG copies unless a test asks for them."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    cache = base / "govsim_cache"
    cache.mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVSIM_CACHE_DIR", str(cache))
        patch.setenv("GOVSIM_PNG", "0")  # no PNG copies of figures (a Chromium each report),
        yield  # except where a test asks for them (test_analysis's offline report)


def run(policies=("baseline",), days=120, seed=0, overrides=(), scenario="default") -> CityModel:
    params = load_params(scenario, policies, [*SMALL, f"sim.days={days}", *overrides], seed=seed)
    return simulate(params)


ENDINGS = ("solved", "closed_unsolved", "self_resolved", "abandoned")


def recount_daily(problems: pd.DataFrame, days: int) -> pd.DataFrame:
    """The daily table's counts recomputed from the problem log alone: how many problems had
    arisen since day 0, were latent, open (those a warm start carried in included), or had
    ended in each way by the end of each day."""
    end_h = 24.0 * (np.arange(days) + 1)

    def by_day(times: pd.Series) -> np.ndarray:
        return np.searchsorted(np.sort(times.dropna().to_numpy()), end_h, side="right")

    arisen, known = by_day(problems["arisen_h"]), by_day(problems["known_h"])
    ended = {s: by_day(problems.loc[problems["status"] == s, "closed_h"]) for s in ENDINGS}
    known_then_ended = by_day(problems.loc[problems["known_h"].notna(), "closed_h"])
    carried = int((problems["arisen_h"] < 0).sum())
    table = {"day": np.arange(days), "arisen_total": arisen - carried}
    table |= {f"{s}_total": ended[s] for s in ENDINGS}
    table["latent"] = arisen - known - (sum(ended.values()) - known_then_ended)
    table["open"] = known - known_then_ended
    return pd.DataFrame(table)


def matches_recount(model: CityModel) -> bool:
    """The daily table's counters agree with the problem log, every day."""
    daily = model.daily()
    recount = recount_daily(model.problems(), len(daily))
    return bool((daily[recount.columns].to_numpy() == recount.to_numpy()).all())


@pytest.fixture(scope="session")
def baseline_run() -> CityModel:
    return run(days=240)


@pytest.fixture(scope="session")
def baseline_problems(baseline_run):
    return baseline_run.problems()


# a probability above its float32: a float32 draw equal to that float32 is below it compared
# in float64, not compared in float32 (as numpy compares a float32 array with a Python float)
EDGE = float(np.float32(0.3)) + 1e-12


def straddling(u: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Shares s and gaps g (float64) for float32 draws `u` with u < s × g but not u / g < s
    (where one exists among 256 tries; ~6% of them do): a pass that tests the numpy form's
    `u < share × gap` in another form gives another answer for them."""
    u = np.asarray(u, float)[:, None]
    gap = 0.01 + 1.5 * rng.random((len(u), 256))
    share = u / gap
    first, rows = np.argmax(share * gap > u, axis=1), np.arange(len(u))
    return share[rows, first], gap[rows, first]
