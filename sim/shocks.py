"""Shocks the city must survive (韧性城市): epidemic, flood, arrival wave, topic wave.

Each shock changes mechanisms for its days: how often some needs arise (up to the
scenario's `surge_ceiling`, so thinning keeps common random numbers), how many staff are at
work, where grid workers' time goes, how many volunteers turn out, how loaded departments
are, and who lives in the urban villages. Shock draws come from their own stream.
"""

from __future__ import annotations

import numpy as np

from sim.city import CityLayout
from sim.config.shocks import ShockMix


class Shocks:
    """The shocks of a run. Methods take the district's day; a shock's `start_day` counts
    from the run's day 0, which is the district's `origin_day` (after a warm start's
    burn-in)."""

    def __init__(
        self, mix: ShockMix, kind_names: tuple[str, ...], layout: CityLayout, rng, origin_day=0
    ):
        self.mix = mix
        self.rng = rng
        self.origin_day = origin_day
        self.epidemic_kinds = np.isin(kind_names, mix.epidemic.kinds) if mix.epidemic else None
        self.flood_kinds = np.isin(kind_names, mix.flood.kinds) if mix.flood else None
        wave = mix.topic_wave
        self.topic_kinds = np.isin(kind_names, wave.kinds) if wave else None
        self.flooded_cells = None
        if mix.flood is not None:
            xy = layout.xy
            centre = np.array(
                [
                    mix.flood.centre_x_share * (layout.width - 1),
                    mix.flood.centre_y_share * (layout.height - 1),
                ]
            )
            self.flooded_cells = np.hypot(*(xy - centre).T) <= mix.flood.radius_cells
        self.wave_schedule: tuple[np.ndarray, np.ndarray] | None = None

    def _active(self, shock, day: int) -> bool:
        """Whether `shock` is on on the district's `day`."""
        day -= self.origin_day
        return shock is not None and shock.start_day <= day < shock.start_day + shock.duration_days

    def need_multiplier(self, day: int, kind: np.ndarray, cell: np.ndarray) -> np.ndarray:
        multiplier = np.ones(len(kind))
        epidemic, flood = self.mix.epidemic, self.mix.flood
        if self._active(epidemic, day):
            multiplier *= np.where(self.epidemic_kinds[kind], epidemic.need_multiplier, 1.0)
        if self._active(flood, day):
            hit = self.flood_kinds[kind] & self.flooded_cells[cell]
            multiplier *= np.where(hit, flood.need_multiplier, 1.0)
        topic = self.mix.topic_wave
        if self._active(topic, day):
            multiplier *= np.where(self.topic_kinds[kind], topic.need_multiplier, 1.0)
        return multiplier

    def consultation_multiplier(self, day: int) -> float:
        topic = self.mix.topic_wave
        return topic.consultation_multiplier if self._active(topic, day) else 1.0

    def staff_available_share(self, day: int) -> float:
        epidemic = self.mix.epidemic
        return 1.0 - epidemic.staff_out_share if self._active(epidemic, day) else 1.0

    def grid_patrol_factor(self, day: int) -> float:
        epidemic = self.mix.epidemic
        return 1.0 - epidemic.grid_takeover_share if self._active(epidemic, day) else 1.0

    def volunteer_multiplier(self, day: int) -> float:
        epidemic = self.mix.epidemic
        return epidemic.volunteer_mobilisation_multiplier if self._active(epidemic, day) else 1.0

    def department_load_multiplier(self, day: int) -> float:
        flood = self.mix.flood
        return flood.department_load_multiplier if self._active(flood, day) else 1.0

    def changes_on(self, day: int) -> bool:
        """Whether any shock starts or ends on this day."""
        mix, day = self.mix, day - self.origin_day
        for shock in (mix.epidemic, mix.flood, mix.arrival_wave, mix.topic_wave):
            if shock is not None and day in (
                shock.start_day,
                shock.start_day + shock.duration_days,
            ):
                return True
        return False

    def arrivals(self, day: int, population) -> tuple[np.ndarray, np.ndarray]:
        """Reserve places filled today by the arrival wave, and the hours they arrive."""
        wave = self.mix.arrival_wave
        if wave is None:
            return np.empty(0, np.int64), np.empty(0)
        if self.wave_schedule is None:
            n = min(
                round(wave.arrivals_per_person * population.spec.people), len(population.reserve)
            )
            slots = population.reserve[:n]
            start_day = self.origin_day + wave.start_day
            hours = 24.0 * (start_day + self.rng.random(n) * wave.duration_days)
            order = np.argsort(hours)
            self.wave_schedule = (slots[order], hours[order])
        slots, hours = self.wave_schedule
        today = (hours >= 24.0 * day) & (hours < 24.0 * (day + 1))
        return slots[today], hours[today]
