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

from sim.config.load import load_params
from sim.config.params import Params
from sim.config.types import ConfigError
from sim.model import CityModel

__all__ = ["CityModel", "ConfigError", "Params", "load_params"]
