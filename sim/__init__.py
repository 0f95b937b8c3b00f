"""govsim: an agent-based simulator of grassroots urban governance."""

from sim.config import ConfigError, Params
from sim.configure import load_params
from sim.model import CityModel

__all__ = ["CityModel", "ConfigError", "Params", "load_params"]
