"""The shocks' settings (`scenarios/shock/`): when each starts, how long it lasts, and its
intensities (ODD §7.23)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sim.config.types import Frozen, Share


class ShockTiming(Frozen):
    start_day: Annotated[int, Field(ge=0, le=36_500)]
    duration_days: Annotated[int, Field(ge=1, le=36_500)]


class EpidemicShock(ShockTiming):
    """A surge of some needs, staff out sick, grid time taken over, volunteers mobilised."""

    need_multiplier: Annotated[float, Field(ge=0.0, le=20.0)]
    kinds: list[str]
    staff_out_share: Share
    grid_takeover_share: Share
    volunteer_mobilisation_multiplier: Annotated[float, Field(ge=0.0, le=20.0)]


class FloodShock(ShockTiming):
    """Spatially concentrated hazards: infrastructure kinds surge near the flood's centre."""

    need_multiplier: Annotated[float, Field(ge=0.0, le=20.0)]
    kinds: list[str]
    centre_x_share: Share
    centre_y_share: Share
    radius_cells: Annotated[float, Field(gt=0.0, le=1000.0)]
    department_load_multiplier: Annotated[float, Field(ge=0.0, le=20.0)]


class ArrivalWaveShock(ShockTiming):
    """New migrants move into urban villages (reserve places) over the wave."""

    arrivals_per_person: Annotated[float, Field(ge=0.0, le=5.0)]


class TopicWaveShock(ShockTiming):
    """A topic in the news (热点): its needs and the questions about it surge for a while."""

    need_multiplier: Annotated[float, Field(ge=0.0, le=20.0)]
    kinds: list[str]
    consultation_multiplier: Annotated[float, Field(ge=0.0, le=20.0)]


class ShockMix(Frozen):
    epidemic: EpidemicShock | None = None
    flood: FloodShock | None = None
    arrival_wave: ArrivalWaveShock | None = None
    topic_wave: TopicWaveShock | None = None
