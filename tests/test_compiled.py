"""A model's set-up loads numba's cached code: after `compiled.load`, what the cache holds
for the current source is in memory, so no simulated day waits for it."""

from __future__ import annotations

import subprocess
import sys

from sim import CityModel, load_params

CHECK = """
from sim import compiled, passes
function = passes.spread_awareness
assert not function.overloads  # nothing called it in this process
compiled.load()
cache, codegen = function._cache, function.targetctx.codegen()
cached = [k[0] for k in cache._cache_file._load_index() if k == cache._index_key(k[0], codegen)]
assert cached and all(signature in function.overloads for signature in cached)
"""


# a model's set-up itself (its burn-in read from disk) loads the daily code of several
# modules, none of which set-up calls
CHECK_SET_UP = """
from sim import CityModel, handlers, load_params, passes, race
functions = (passes.spread_awareness, race.race, handlers._first_pools)
assert not any(function.overloads for function in functions)
CityModel(load_params(overrides=["sim.days=1"], seed=0))
for function in functions:
    cache, codegen = function._cache, function.targetctx.codegen()
    index = cache._cache_file._load_index()
    cached = [k[0] for k in index if k == cache._index_key(k[0], codegen)]
    assert cached and all(signature in function.overloads for signature in cached), function
"""


def test_set_up_loads_what_the_cache_holds():
    model = CityModel(load_params(overrides=["sim.days=1"], seed=0))
    model.step()  # the day's compiled code is now in the cache on disk
    subprocess.run([sys.executable, "-c", CHECK], check=True)
    subprocess.run([sys.executable, "-c", CHECK_SET_UP], check=True)
