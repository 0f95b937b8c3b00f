"""govsim: an agent-based simulator of grassroots urban governance."""

import os

# numba compiles exp and pow to calls of the C library; with Intel's SVML installed it would
# use SVML's vector versions, whose last bits differ by CPU (see sim/fmath.py)
os.environ.setdefault("NUMBA_DISABLE_INTEL_SVML", "1")

from sim.config.load import load_params
from sim.config.params import Params
from sim.config.types import ConfigError
from sim.model import CityModel

__all__ = ["CityModel", "ConfigError", "Params", "load_params"]
