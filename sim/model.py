"""CityModel: the Mesa model of a district. `step()` is one simulated day."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
import pyarrow as pa
from mesa.datacollection import DataCollector

from sim import costs
from sim.agents import HANDLER_AGENT, Migrant, Resident
from sim.city import LAND_USES, build_grid
from sim.config.load import load_params
from sim.config.params import Params
from sim.lifecycle import District
from sim.policies import end_of_day, mechanisms
from sim.population import MIGRANT, RESIDENT
from sim.records import HANDLERS, problems_table
from sim.streams import spawn_streams
from sim.world import build_city, build_textbook


class CityModel(mesa.Model):
    """An agent-based model of grassroots governance in one district.

    `CityModel(rng=1)` builds the default scenario with seed 1; pass `params` (from
    `sim.load_params` or the CLI) for anything else.
    """

    def __init__(self, params: Params | None = None, *, rng: int | None = None):
        if params is None:
            params = load_params(seed=0 if rng is None else int(rng))
        elif rng is not None:
            params = params.model_copy(update={"seed": int(rng)})
        super().__init__(rng=params.seed)
        self.params = params
        self.streams = spawn_streams(params.seed)
        if params.scenario.type == "textbook_queue":
            self.mechanisms = None
            world = build_textbook(params.scenario)
        else:
            self.mechanisms = mechanisms(params.scenario, params.policies)
            world = build_city(params.scenario, self.mechanisms, self.streams)
        self.district = District(params, world, self.mechanisms, self.streams)
        self.population = world.population
        self.grid = build_grid(world.layout, self.random)
        self.ledger = costs.Ledger()
        self.day = 0
        self.daily_rows: list[dict] = []
        self._people: dict[int, mesa.Agent] = {}
        self._add_people(np.flatnonzero(self.population.present))
        for pool, code in enumerate(world.handlers.kind):
            HANDLER_AGENT[HANDLERS[code]](self, pool)
        self.datacollector = DataCollector(
            model_reporters={
                "latent": lambda m: m.current["latent"],
                "open": lambda m: m.current["open"],
                "solved_total": lambda m: m.current["solved_total"],
                "satisfaction_resident": lambda m: m.current["satisfaction_resident"],
                "satisfaction_migrant": lambda m: m.current["satisfaction_migrant"],
                "volunteers_active": lambda m: m.current["volunteers_active"],
            }
        )
        self.current = self._state_row(-1)

    # ------------------------------------------------------------------ people as agents
    def _add_people(self, slots: np.ndarray) -> None:
        group = self.population.group
        for slot in slots.tolist():
            cls = Migrant if group[slot] == MIGRANT else Resident
            self._people[slot] = cls(self, slot)

    def _sync_people(self) -> None:
        """Remove the agents of people who left today and add those who arrived."""
        for slot in self.district.departed_today.tolist():
            agent = self._people.pop(slot, None)
            if agent is not None:
                agent.remove()
        present = self.population.present
        self._add_people(self.district.arrived_today[present[self.district.arrived_today]])

    # ------------------------------------------------------------------ the day
    def step(self) -> None:
        day = self.day
        self.district.step(day)
        if not self.district.textbook:
            end_of_day(self.district, day)  # the monthly ranking (kaohe)
            costs.book_day(self.ledger, self.district)
            self._sync_people()
        self.current = self._state_row(day)
        self.daily_rows.append(self.current)
        self.datacollector.collect(self)
        self.day += 1

    def run_days(self, days: int) -> None:
        for _ in range(days):
            self.step()

    def _state_row(self, day: int) -> dict:
        c = self.district.counters
        pop = self.population
        row = {
            "day": day,
            "arisen_total": c.arisen,
            "solved_total": c.by_status[2],
            "closed_unsolved_total": c.by_status[3],
            "self_resolved_total": c.by_status[4],
            "abandoned_total": c.by_status[5],
            "calls_total": self.district.calls.total + c.consultations,
            "consultations_total": c.consultations,
            "latent": c.arisen - c.known - c.terminal_from_latent,
            "open": c.known - c.terminal_from_open,
            "waiting_jobs": self.district.world.handlers.pools.pending,
        }
        group = np.where(pop.present, pop.group, 2)  # 2: an empty slot
        people = np.bincount(group, minlength=3)
        satisfaction = np.bincount(group, weights=pop.satisfaction, minlength=3)
        trust = np.bincount(group, weights=pop.trust, minlength=3)
        for g, name in ((RESIDENT, "resident"), (MIGRANT, "migrant")):
            n = people[g]
            row[f"people_{name}"] = int(n)
            row[f"satisfaction_{name}"] = float(satisfaction[g] / n) if n else np.nan
            row[f"trust_{name}"] = float(trust[g] / n) if n else np.nan
        row["volunteers_active"] = int(pop.volunteer.sum())
        row["volunteer_hours"] = self.district.volunteer_hours_today
        row["party_member_hours"] = self.district.party_hours_today
        today = self.ledger.today
        for category, value in self.ledger.by_category(today).items():
            row[f"spend_{category}_yuan"] = value
        for payer, value in self.ledger.by_payer(today).items():
            row[f"spend_{payer}_yuan"] = value
        row["spend_total_yuan"] = sum(today.values())
        return row

    # ------------------------------------------------------------------ outputs
    def problems(self) -> pa.Table:
        kinds = self.district.world.kinds
        labels = {
            "kind": kinds.names,
            "category": kinds.category_names,
            "land_use": tuple(u.value for u in LAND_USES),
        }
        return problems_table(self.district.log, labels)

    def calls(self) -> pa.Table:
        return self.district.calls.table()

    def costs(self) -> pa.Table:
        """One row per day and cost item: quantity, unit cost and yuan, by category and payer."""
        return self.ledger.table()

    def daily(self) -> pd.DataFrame:
        return pd.DataFrame(self.daily_rows)
