"""Types shared by every schema: frozen models that forbid unknown keys, ranged numbers,
and the error a user mistake becomes (one line per problem: key, value, allowed range)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Hours = Annotated[float, Field(ge=0.0, le=24.0 * 365)]
PositiveHours = Annotated[float, Field(gt=0.0, le=24.0 * 365)]
Rate = Annotated[float, Field(ge=0.0, le=1000.0)]
Yuan = Annotated[float, Field(ge=0.0, le=1e9)]
Weight = Annotated[float, Field(ge=-20.0, le=20.0)]
Multiplier = Annotated[float, Field(ge=0.0, le=50.0)]
Weight10 = Annotated[float, Field(ge=0.0, le=10.0)]
Days = Annotated[int, Field(ge=1, le=36_500)]


class ConfigError(ValueError):
    """A user mistake in configuration: the message is meant to be printed as is."""


def check_time_split(patrol_share: float, home_visit_share: float, admin_share: float) -> None:
    """A grid worker's day is patrol, home visits and admin: the three shares sum to 1."""
    total = patrol_share + home_visit_share + admin_share
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"grid worker time shares sum to {total:.4f}, must sum to 1")


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
