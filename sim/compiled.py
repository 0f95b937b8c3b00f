"""The compiled code (numba) read from its on-disk cache at a model's set-up.

numba otherwise loads a cached function on its first call, a few ms each and ~60 ms for
all of them, inside the first simulated days: it belongs to set-up, as numba's compiler
does. Only what the cache holds for the current source is loaded (numba's own index and
key); nothing is compiled here that a run would not compile anyway.
"""

from __future__ import annotations

import importlib

from numba.core.registry import CPUDispatcher

MODULES = tuple(  # every module of the model with compiled functions
    importlib.import_module(f"sim.{name}")
    for name in (
        "passes", "population", "race", "queueing", "clock", "behaviour", "handlers",
        "stages.arise", "stages.calls", "stages.closing", "stages.dispatching",
        "stages.experience", "stages.latent", "stages.people", "stages.referral",
        "stages.service", "stages.staffing", "stages.turnover",
    )
)  # fmt: skip
_loaded = False


def load() -> None:
    """Load every cached signature of the modules' compiled functions, once per process."""
    global _loaded
    if _loaded:
        return
    for module in MODULES:
        for function in vars(module).values():
            if isinstance(function, CPUDispatcher) and function.__module__ == module.__name__:
                _load_cached(function)
    _loaded = True


def _load_cached(function: CPUDispatcher) -> None:
    """`function`'s signatures whose key in the cache's index matches the current code."""
    cache = function._cache
    if not hasattr(cache, "_cache_file"):  # cache=False: nothing on disk
        return
    try:  # numba's own index and key (not public API)
        keys = cache._cache_file._load_index()
        codegen = function.targetctx.codegen()
        current = [key[0] for key in keys if key == cache._index_key(key[0], codegen)]
    except AttributeError:  # a numba without them: each function loads on its first call
        return
    for signature in current:
        function.compile(signature)
