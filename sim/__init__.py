"""govsim: an agent-based simulator of grassroots urban governance."""

from sim.config.load import load_params
from sim.config.params import Params
from sim.config.types import ConfigError
from sim.model import CityModel

__all__ = ["CityModel", "ConfigError", "Params", "load_params"]
