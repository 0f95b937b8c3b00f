"""Office hours as a clock: map wall-clock hours to open (business) hours and back.

A handler with office hours works only while open; non-preemptive service that spans a
closing simply pauses overnight. Running the queue on the business clock and mapping the
results back is exact for that rule. Day 0 is a Monday; hours count from its midnight.
The functions take arrays of hours and, element by element, arrays (or scalars) of office
hours, so one call converts times of many pools with different clocks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

DAYS_PER_YEAR = 365
DAYS_PER_MONTH = 30  # the calendar of monthly programmes and rankings
HOURS_PER_YEAR = 24.0 * DAYS_PER_YEAR


def to_business(wall_h, open_h, close_h, days_per_week) -> np.ndarray:
    """Open hours elapsed between hour 0 and `wall_h` (never, +inf, stays never)."""
    return _to_business.ufunc(wall_h, open_h, close_h, days_per_week)


def to_wall(business_h, open_h, close_h, days_per_week, at_closing: bool = False) -> np.ndarray:
    """The wall-clock hour at which `business_h` open hours have elapsed.

    A business hour on a day boundary maps to the next opening (a start), or, with
    `at_closing`, to the previous closing (a finish).
    """
    return _to_wall.ufunc(business_h, open_h, close_h, days_per_week, at_closing)


# Compiled element by element (numba ufuncs, one call for arrays of many pools' clocks):
# the same floating-point operations as numpy's floor, divmod, minimum and clip.


@numba.njit(cache=True, inline="always")
def _divmod(a, b):
    """numpy's floor division and remainder of floats (`npy_divmod`), bit for bit."""
    mod = np.fmod(a, b)  # exact, as C fmod
    div = (a - mod) / b
    if mod:
        if (b < 0) != (mod < 0):
            mod += b
            div -= 1.0
    else:
        mod = math.copysign(0.0, b)
    if div:
        floor_div = np.floor(div)
        if div - floor_div > 0.5:
            floor_div += 1.0
    else:
        floor_div = math.copysign(0.0, a / b)
    return floor_div, mod


@numba.njit(cache=True, inline="always")
def business_of(wall_h, open_h, close_h, days_per_week):
    """`to_business` of one time (compiled code calls it directly)."""
    if math.isinf(wall_h):
        return wall_h
    per_day = close_h - open_h
    day = np.floor(wall_h / 24.0)
    week, weekday = _divmod(day, 7.0)
    open_days_before = week * days_per_week + min(weekday, days_per_week)
    into_day = wall_h - 24.0 * day - open_h
    if not math.isnan(into_day):  # as np.clip, which keeps NaN
        into_day = min(max(into_day, 0.0), per_day)
    into_day = into_day if weekday < days_per_week else 0.0
    return open_days_before * per_day + into_day


@numba.njit(cache=True, inline="always")
def wall_of(business_h, open_h, close_h, days_per_week, at_closing):
    """`to_wall` of one time (compiled code calls it directly)."""
    per_day = close_h - open_h
    open_day, into_day = _divmod(business_h, per_day)
    if at_closing and into_day == 0.0 and business_h > 0.0:
        open_day, into_day = open_day - 1.0, per_day
    week, weekday = _divmod(open_day, days_per_week)
    return 24.0 * (7.0 * week + weekday) + open_h + into_day


@numba.njit(cache=True, nogil=True)
def pools_to_business(pool, wall_h, columns):
    """`to_business` of each time on its pool's clock; `columns` holds the pools' (open,
    close, days a week) as rows (`PoolClocks.columns`): one pass, no gathering of them."""
    out = np.empty(len(pool))
    for i in range(len(pool)):
        p = pool[i]
        out[i] = business_of(float(wall_h[i]), columns[0, p], columns[1, p], columns[2, p])
    return out


@numba.vectorize(["float64(float64, float64, float64, float64)"], cache=True)
def _to_business(wall_h, open_h, close_h, days_per_week):
    return business_of(wall_h, open_h, close_h, days_per_week)


@numba.vectorize(["float64(float64, float64, float64, float64, boolean)"], cache=True)
def _to_wall(business_h, open_h, close_h, days_per_week, at_closing):
    return wall_of(business_h, open_h, close_h, days_per_week, at_closing)


@dataclass(frozen=True)
class OfficeClock:
    open_h: float = 0.0
    close_h: float = 24.0
    days_per_week: int = 7

    @property
    def open_per_day_h(self) -> float:
        return self.close_h - self.open_h

    @property
    def always_open(self) -> bool:
        return self.days_per_week == 7 and self.open_h == 0.0 and self.close_h == 24.0

    def to_business(self, wall_h) -> np.ndarray:
        return to_business(wall_h, self.open_h, self.close_h, self.days_per_week)

    def to_wall(self, business_h, at_closing: bool = False) -> np.ndarray:
        return to_wall(business_h, self.open_h, self.close_h, self.days_per_week, at_closing)

    def business_at(self, wall_h: float) -> float:
        """`to_business` for one time, without numpy overhead (called per clock per day)."""
        if self.always_open:
            return float(wall_h)
        day = math.floor(wall_h / 24.0)
        week, weekday = divmod(day, 7)
        open_days_before = week * self.days_per_week + min(weekday, self.days_per_week)
        into_day = min(max(wall_h - 24.0 * day - self.open_h, 0.0), self.open_per_day_h)
        if weekday >= self.days_per_week:
            into_day = 0.0
        return open_days_before * self.open_per_day_h + into_day
