"""govsim: an agent-based simulator of grassroots urban governance."""

import functools
import hashlib
import os
from pathlib import Path

# numba compiles exp and pow to calls of the C library; with Intel's SVML installed it would
# use SVML's vector versions, whose last bits differ by CPU (see sim/fmath.py)
os.environ.setdefault("NUMBA_DISABLE_INTEL_SVML", "1")
# numpy asks the kernel for transparent huge pages for every array of 4 MB or more; on the
# development machine (a VM) faulting them in is ~10x slower than small pages, and a
# 1,000,000-people year allocates gigabytes of them (the problem log's columns as it grows,
# people's daily columns): 29 s instead of 35 s. Read when numpy is first imported
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")


@functools.cache
def source_digest(root: Path = Path(__file__).parent) -> str:
    """A digest of the model's source files (their paths and bytes): compiled code and
    burn-ins (`sim.warm_start`) are reused only by the same code."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _numba_cache_dir(root: Path = Path(__file__).parent) -> str:
    """numba's disk cache checks only the file of the function it loads, not of the compiled
    functions it calls in other modules (an edit to sim/passes.py would leave its callers'
    cached code stale): compiled code lives in a folder named by `source_digest`, so any
    edit compiles afresh; the four latest folders are kept. The folders are in
    GOVSIM_NUMBA_CACHE (the tests' own: tests/conftest.py), else ~/.cache/govsim/numba."""
    import shutil

    home = Path(os.environ.get("GOVSIM_CACHE_DIR", Path.home() / ".cache" / "govsim"))
    folder = Path(os.environ.get("GOVSIM_NUMBA_CACHE", home / "numba")) / source_digest(root)[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        folder.touch()  # its time says when it was last used
        for old in sorted(folder.parent.iterdir(), key=lambda f: f.stat().st_mtime)[:-4]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError:  # no writable home: "" is numba's default, beside the sources
        return ""
    return str(folder)


if "NUMBA_CACHE_DIR" not in os.environ:
    os.environ["NUMBA_CACHE_DIR"] = _numba_cache_dir()

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
