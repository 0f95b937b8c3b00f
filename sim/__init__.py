"""govsim: an agent-based simulator of grassroots urban governance."""

import os

# numba compiles exp and pow to calls of the C library; with Intel's SVML installed it would
# use SVML's vector versions, whose last bits differ by CPU (see sim/fmath.py)
os.environ.setdefault("NUMBA_DISABLE_INTEL_SVML", "1")
# numpy asks the kernel for transparent huge pages for every array of 4 MB or more; on the
# development machine (a VM) faulting them in is ~10x slower than small pages, and a
# 1,000,000-people year allocates gigabytes of them (the problem log's columns as it grows,
# people's daily columns): 29 s instead of 35 s. Read when numpy is first imported
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

__all__ = ["CityModel", "ConfigError", "Params", "load_params"]
_HOMES = {  # the public names, imported on first use: `import sim.cli_process` stays light
    "CityModel": "sim.model",
    "ConfigError": "sim.config.types",
    "Params": "sim.config.params",
    "load_params": "sim.config.load",
}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
