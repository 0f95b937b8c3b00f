"""People as columns: one slot per person place, residents fixed, migrant slots turning over.

A slot holds one person at a time; `person_id` is never reused. A slot alternates between
an occupied stay (exponential, at its group's departure rate; residents' default 0) and a
vacancy, re-let to the same group; the lengths are drawn from the `migration` stream in slot
order, so who is present never depends on policy and never shifts anyone else's draws
(common random numbers).
"""

from __future__ import annotations

import numba
import numpy as np

from sim import passes
from sim.city import LAND_USES, CityLayout
from sim.clock import HOURS_PER_YEAR
from sim.config.scenario import CitySpec, GroupSpec, PopulationSpec

RESIDENT, MIGRANT = 0, 1
GROUPS = ("resident", "migrant")
CHILD, ADULT, ELDERLY = 0, 1, 2
AGE_BANDS = ("child", "adult", "elderly")


SOON_H = 24.0 * 30  # how far ahead the list of places due to change looks


class Population:
    """Columns indexed by slot. Agent objects in `sim.agents` are views on these."""

    _soon: np.ndarray | None = None  # slots whose next change may come within the window
    _soon_until_h = -np.inf  # the window's end

    def __init__(
        self, spec: PopulationSpec, city: CitySpec, layout: CityLayout, rng, migration_rng
    ):
        self.spec = spec
        self._migration = migration_rng
        residential = np.flatnonzero(layout.residential)
        density = np.array([city.land_use[use].density_weight for use in LAND_USES])
        weights = density[layout.land_use[residential]]
        if weights.sum() <= 0:
            raise ValueError("no residential cell has a positive density_weight")
        per_cell = rng.multinomial(spec.people, weights / weights.sum())
        # reserve places in urban villages, empty until an arrival wave fills them
        village = layout.land_use[residential] == LAND_USES.index("urban_village")
        reserve_weights = np.where(village, weights, 0.0)
        if reserve_weights.sum() == 0:
            reserve_weights = weights
        n_reserve = round(spec.people * spec.reserve_places_per_person)
        reserve = rng.multinomial(n_reserve, reserve_weights / reserve_weights.sum())
        cell = np.concatenate(
            [np.repeat(residential, per_cell), np.repeat(residential, reserve)]
        ).astype(np.int32)
        n = len(cell)
        self.reserve = np.arange(spec.people, n)
        self.capacity = n
        self.cell = cell
        self.community = layout.community[cell]
        self.street_office = layout.street_office[cell]
        self.land_use = layout.land_use[cell]
        self.regime = layout.regime[cell]
        migrant_share = np.array([city.land_use[use].migrant_share for use in LAND_USES])
        self.group = (rng.random(n) < migrant_share[self.land_use]).astype(np.int8)
        self.group[self.reserve] = MIGRANT
        self.age_band = np.empty(n, np.int8)
        self.employed = np.empty(n, bool)
        self.owner = np.empty(n, bool)
        self.trust = np.empty(n)
        self.satisfaction = np.empty(n)
        self.expectation_ratio = np.full(n, np.nan)
        self.u_volunteer = np.empty(n)
        self.u_party = np.empty(n)  # who is an in-service party member, if 双报到 applies
        self.volunteer = np.zeros(n, bool)
        self.aware = np.ones(n, bool)  # knows the hotline (set by `sim.stages.awareness`)
        self.frequent_caller = np.zeros(n, bool)  # 高频来电人 (set by `sim.stages.calls`)
        self.awareness_hazard = np.full(n, np.inf)
        self.awareness_threshold = np.zeros(n)
        self.person_id = np.where(np.arange(n) < spec.people, np.arange(n), -1).astype(np.int64)
        self.next_id = spec.people
        self.present = np.arange(n) < spec.people
        self.arrived_h = np.zeros(n)
        for g, gspec in enumerate((spec.resident, spec.migrant)):
            idx = np.flatnonzero(self.group == g)
            self._draw_attributes(idx, gspec, rng)
        # stays: time of each slot's next change (departure, or arrival into a vacancy)
        self.next_change_h = np.full(n, np.inf)
        occupied = np.flatnonzero(self.present)
        self.next_change_h[occupied] = self._stay_h(self.group[occupied])
        people_per_cell = np.bincount(cell[self.present], minlength=layout.n_cells)
        self.households_per_cell = people_per_cell / spec.people_per_household
        self.present_by_cell = people_per_cell  # kept up to date by `_set_present`

    def _draw_attributes(self, idx: np.ndarray, gspec: GroupSpec, rng) -> None:
        """Newcomers' age band, work, tenure, trust, satisfaction and volunteering draws:
        five uniforms each, drawn in that order, written by one compiled pass."""
        k = len(idx)
        draws = tuple(rng.random(k) for _ in range(5))  # age, work, tenure, volunteer, party
        shares = (
            gspec.child_share, 1.0 - gspec.elderly_share, gspec.employed_share,
            gspec.owner_share, gspec.initial_trust_prob, gspec.initial_satisfaction_share,
        )  # fmt: skip
        _write_attributes(
            idx, draws, tuple(map(float, shares)),
            (self.age_band, self.employed, self.owner, self.trust, self.satisfaction,
             self.u_volunteer, self.u_party),
        )  # fmt: skip

    def _stay_h(self, group: np.ndarray, rng=None) -> np.ndarray:
        """How long each newcomer stays: exponential with their group's departure rate."""
        rng, spec = rng or self._migration, self.spec
        rates = (spec.resident.departure_rate_per_year, spec.migrant.departure_rate_per_year)
        rate = np.array(rates)[group]
        draws = rng.exponential(1.0, len(group))
        if all(r > 0 for r in rates):  # no one stays for good: no zero rate to mask
            return draws * HOURS_PER_YEAR / rate
        with np.errstate(divide="ignore"):
            return np.where(rate > 0, draws * HOURS_PER_YEAR / rate, np.inf)

    def arrive(self, slots: np.ndarray, when_h: np.ndarray, rng) -> None:
        """New migrants take empty reserve places (an arrival wave), drawn from `rng`."""
        self.person_id[slots] = self.next_id + np.arange(len(slots))
        self.next_id += len(slots)
        self._set_present(slots, True)
        self.arrived_h[slots] = when_h
        self._draw_attributes(slots, self.spec.migrant, rng)
        self.next_change_h[slots] = when_h + self._stay_h(self.group[slots], rng)
        self._changed(slots)

    def turnover(self, t0_h: float, t1_h: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Apply departures and arrivals in (t0, t1].

        Returns (slots that departed, their departure hours, slots newly occupied).
        A slot may see several changes in one day; they are applied in time order.
        """
        departed, departed_h, arrived = [], [], []
        due = self._due(t0_h, t1_h)
        places = (self.present, self.present_by_cell, self.cell, self.next_change_h)
        while len(due):
            leaving, coming = _by_presence(due, self.present)
            if len(leaving):
                vacancy = self._migration.exponential(
                    self.spec.refill_mean_days * 24.0, len(leaving)
                )
                departed.append(leaving)
                departed_h.append(_leave(leaving, vacancy, places, self.volunteer))
                self._changed(leaving)
            if len(coming):
                people = (self.person_id, self.arrived_h, self.expectation_ratio)
                when = _come(coming, self.next_id, places, people)
                self.next_id += len(coming)
                for g, gspec in enumerate((self.spec.resident, self.spec.migrant)):
                    same = coming[self.group[coming] == g]  # a place is re-let to its group
                    if len(same):  # (no draws for none: the stream stays where it is)
                        self._draw_attributes(same, gspec, self._migration)
                self.next_change_h[coming] = when + self._stay_h(self.group[coming])
                self._changed(coming)
                arrived.append(coming)
            # only the slots just changed have new times: those still in the day go again
            due = _still_due(due, self.next_change_h, t0_h, t1_h)
        return _join(departed, np.int64), _join(departed_h, float), _join(arrived, np.int64)

    def _set_present(self, slots: np.ndarray, present: bool) -> None:
        """These slots' people are now present (or not), and each cell's count of those
        present follows (a count per cell, not a walk over its slots when it is asked)."""
        passes.set_present(self.present, self.present_by_cell, self.cell, slots, present)

    def _due(self, t0_h: float, t1_h: float) -> np.ndarray:
        """The slots whose next change is in (t0, t1], in slot order (`passes.due_between`
        over everyone), found among those due within `SOON_H`, listed by one pass over
        everyone when the window runs out: work in proportion to the changes, not to the
        places. Slots given a new time since join the list (`_changed`)."""
        if self._soon is None or t1_h > self._soon_until_h:
            self._soon_until_h = t1_h + SOON_H
            self._soon = passes.due_between(self.next_change_h, -np.inf, self._soon_until_h)
        return passes.due_among(self._soon, self.next_change_h, t0_h, t1_h)

    def _changed(self, slots: np.ndarray) -> None:
        """Slots with a new next change: within the window, they join the list of those due
        soon (a slot whose time moved out of it stays listed; its time no longer matches)."""
        if self._soon is not None:
            self._soon = np.concatenate(
                [self._soon, slots[self.next_change_h[slots] <= self._soon_until_h]]
            )


@numba.njit(cache=True, nogil=True)
def _write_attributes(idx, draws, shares, columns):
    """`Population._draw_attributes`' writes: age band (child below the child share, elderly
    from 1 − the elderly share on), employed (adults below the employed share), owner,
    the group's trust and satisfaction, and the two volunteering draws."""
    u_age, u_work, u_owner, u_volunteer, u_party = draws
    child, elderly_from, employed_share, owner_share, trust_0, satisfaction_0 = shares
    age_band, employed, owner, trust, satisfaction, volunteer_u, party_u = columns
    for i in range(len(idx)):
        s = idx[i]
        age = CHILD if u_age[i] < child else ADULT
        age = ELDERLY if u_age[i] >= elderly_from else age
        age_band[s] = age
        employed[s] = age == ADULT and u_work[i] < employed_share
        owner[s] = u_owner[i] < owner_share
        trust[s], satisfaction[s] = trust_0, satisfaction_0
        volunteer_u[s], party_u[s] = u_volunteer[i], u_party[i]


@numba.njit(cache=True, nogil=True)
def _by_presence(due, present):
    """The slots of `due` whose person leaves (present) and those taken (not), in order."""
    here = np.empty(len(due), np.bool_)
    for i in range(len(due)):
        here[i] = present[due[i]]
    return due[here], due[~here]


@numba.njit(cache=True, nogil=True)
def _leave(slots, vacancy_h, places, volunteer):
    """These slots' people leave at their next change (returned): not present (each
    cell's count follows), not volunteering, and the place is vacant for `vacancy_h`."""
    present, present_by_cell, cell, next_change_h = places
    when = np.empty(len(slots))
    for i in range(len(slots)):
        when[i] = next_change_h[slots[i]]
    passes.set_present(present, present_by_cell, cell, slots, False)
    for i in range(len(slots)):
        volunteer[slots[i]] = False
        next_change_h[slots[i]] = when[i] + vacancy_h[i]
    return when


@numba.njit(cache=True, nogil=True)
def _come(slots, next_id, places, people):
    """Newcomers take these slots at their next change (returned): new person ids from
    `next_id` on, present (each cell's count follows), arrived then, no expectation yet.
    `people` is (person id, arrival hour, expectation ratio)."""
    present, present_by_cell, cell, next_change_h = places
    person_id, arrived_h, expectation_ratio = people
    when = np.empty(len(slots))
    for i in range(len(slots)):
        when[i] = next_change_h[slots[i]]
        person_id[slots[i]] = next_id + i
    passes.set_present(present, present_by_cell, cell, slots, True)
    for i in range(len(slots)):
        arrived_h[slots[i]], expectation_ratio[slots[i]] = when[i], np.nan
    return when


@numba.njit(cache=True, nogil=True)
def _still_due(due, next_change_h, t0_h, t1_h):
    """The slots of `due` whose next change is still in (t0, t1], in order."""
    keep = np.empty(len(due), np.bool_)
    for i in range(len(due)):
        keep[i] = t0_h < next_change_h[due[i]] <= t1_h
    return due[keep]


def _join(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.empty(0, dtype)


def single_person() -> Population:
    """One resident who never leaves: the textbook queue's only 'owner' of every problem."""
    pop = Population.__new__(Population)
    pop.spec = None
    pop.capacity = 1
    for name, dtype, value in (
        ("cell", np.int32, 0),
        ("community", np.int16, 0),
        ("street_office", np.int16, 0),
        ("land_use", np.int8, 0),
        ("regime", np.int8, 0),
        ("group", np.int8, RESIDENT),
        ("age_band", np.int8, ADULT),
        ("employed", bool, True),
        ("owner", bool, True),
        ("trust", float, 0.5),
        ("satisfaction", float, 0.5),
        ("expectation_ratio", float, np.nan),
        ("u_volunteer", float, 1.0),
        ("u_party", float, 1.0),
        ("volunteer", bool, False),
        ("aware", bool, True),
        ("frequent_caller", bool, False),
        ("awareness_hazard", float, np.inf),
        ("awareness_threshold", float, 0.0),
        ("person_id", np.int64, 0),
        ("present", bool, True),
        ("arrived_h", float, 0.0),
        ("next_change_h", float, np.inf),
    ):
        setattr(pop, name, np.full(1, value, dtype=dtype))
    pop.next_id = 1
    pop.households_per_cell = np.ones(1)
    return pop
