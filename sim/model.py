"""CityModel: the Mesa model of a district. `step()` is one simulated day."""

from __future__ import annotations

import gc

import mesa
import numpy as np
import pandas as pd
import pyarrow as pa

from sim import adoption, compiled, costs, passes, warm_start
from sim.agents import HANDLER_AGENT, Migrant, Resident
from sim.city import LAND_USES, build_grid
from sim.config.params import Params
from sim.policies import end_of_day, mechanisms, start_of_day
from sim.population import GROUPS, MIGRANT, RESIDENT
from sim.records import HANDLERS, problems_table
from sim.stages import (
    arise,
    awareness,
    calls,
    closure,
    experience,
    latent,
    people,
    service,
    setup,
    staffing,
    textbook,
    turnover,
)
from sim.state import DistrictState
from sim.streams import spawn_streams
from sim.world import build_city, build_textbook


class CityModel(mesa.Model):
    """An agent-based model of grassroots governance in one district.

    It takes validated `Params` (from `sim.load_params`, or the CLI) and composes no config
    itself: `CityModel(load_params())` is the default district; `rng=` overrides the seed;
    `people_agents=False` builds no Mesa agents for people nor the grid they live on, and
    `daily=False` keeps no daily table and books no costs (a warm start's burn-in, which
    only carries the district).
    """

    def __init__(
        self,
        params: Params,
        *,
        rng: int | None = None,
        people_agents: bool = True,
        daily: bool = True,
    ):
        if rng is not None:
            params = params.model_copy(update={"seed": int(rng)})
        super().__init__(rng=params.seed)
        compiled.load()
        self.params = params
        streams = spawn_streams(params.seed)
        if params.scenario.type == "textbook_queue":
            self.mechanisms = None
            self.world = build_textbook(params.scenario)
            self.state = setup.new_queue_run(self.world, streams)
        else:
            start = adoption.at_start(params)
            if params.sim.burn_in_days > 0:  # the run goes on from a burnt-in district
                self.state = warm_start.district_after_burn_in(params, _run_through)
                warm_start.start_run(self.state, start)
            else:
                mech = mechanisms(start.scenario, start.policies)
                world = build_city(start.scenario, mech, streams)
                self.state = setup.new_district(start, world, mech, streams)
            self.world, self.mechanisms = self.state.world, self.state.mech
            self.calendar = adoption.Calendar(params, self.state.origin_day)
        self.population = self.world.population
        self.grid = build_grid(self.world.layout, self.random) if people_agents else None
        self.ledger = costs.Ledger()
        self.day = 0
        self.daily_rows: list[dict] = []
        # each slot's agent (None: empty): a list, a third of a dict's memory at 1M people.
        # Not a numpy object array: the cyclic collector does not look inside those, so the
        # cycle model -> array -> agent -> model would keep every model alive for good
        self._people: list[mesa.Agent | None] = [None] * self.population.capacity
        self._people_agents, self._daily = people_agents, daily
        self._add_people(np.flatnonzero(self.population.present))
        for pool, code in enumerate(self.world.handlers.kind):
            HANDLER_AGENT[HANDLERS[code]](self, pool)

    @property
    def is_district(self) -> bool:
        """A city district (else the textbook queue)."""
        return isinstance(self.state, DistrictState)

    @property
    def origin_h(self) -> float:
        """The hour of the run's start on the district's clock (the state's times count from
        a warm start's burn-in; the run's outputs count from this hour)."""
        return 24.0 * self.state.origin_day

    # ------------------------------------------------------------------ the day
    def step(self) -> None:
        if self.is_district:
            self._district_day(self.state.origin_day + self.day)
        else:
            textbook.step(self.state, self.day)
        if self._daily:  # the row only reads the day's state
            self.daily_rows.append(self._daily_row(self.day))
        self.day += 1

    def _district_day(self, day: int) -> None:
        """ODD §3: the stages of a day, in order."""
        state, t0, t1 = self.state, 24.0 * day, 24.0 * (day + 1)
        state.day = day
        if self.calendar.apply(state, day) is not None:
            self.mechanisms = state.mech
        state.programmes.new_day()
        run_day = day - state.origin_day  # policies' calendars count from the run's day 0
        start_of_day(state, run_day)  # slots, caps, fixes, meetings, contracts
        if state.shocks is not None and state.shocks.changes_on(day):
            staffing.update_volunteers(state)
        staffing.apply_servers(state)
        turnover.people_come_and_go(state, t0, t1)
        state.willing = people.willingness_to_report(state)
        awareness.spread(state)
        arise.needs_arise(state, t0, t1)
        latent.latent_needs(state, t0, t1)
        service.serve(state, t0, t1)
        closure.sweep_abandoned(state, t1)
        calls.calls(state, t0, t1)
        if day % 7 == 6:  # weekly: volunteering is a standing commitment, notes are compared
            staffing.update_volunteers(state)
            people.share_expectations(state)
        experience.end_day(state)
        end_of_day(state, run_day)  # policies' calendars: the monthly ranking
        if self._daily:  # outputs only: the ledger reads the state, never writes it
            costs.book_day(self.ledger, state)
        self._sync_people()

    def adopt(self, policies=None, shocks=None, day: int | None = None) -> Params:
        """From `day` on (default: the next day run), change policies (name -> levers, or
        None to repeal) and shocks (name -> spec, or None); later changes pending are
        dropped. Returns the validated params that will be in force (`sim.adoption`)."""
        day = self.day if day is None else day
        if not self.is_district or day < self.day:
            raise ValueError(f"a change needs a district and a day >= {self.day}")
        params = adoption.with_changes(self.calendar.latest(self.state.params), policies, shocks)
        self.calendar.schedule(self.state.origin_day + day, params)
        return params

    # ------------------------------------------------------------------ people as agents
    def _add_people(self, slots: np.ndarray) -> None:
        if not self._people_agents:
            return
        agent_class = {RESIDENT: Resident, MIGRANT: Migrant}
        groups = self.population.group[slots].tolist()  # Python ints: no numpy scalar each
        collecting = gc.isenabled()
        gc.disable()  # new agents all live: 1M of them set off ~1.5 s of full collections
        try:
            for slot, group in zip(slots.tolist(), groups, strict=True):
                self._people[slot] = agent_class[group](self, slot)
        finally:
            if collecting:
                gc.enable()

    def _sync_people(self) -> None:
        """Remove the agents of people who left today and add those who arrived."""
        for slot in self.state.departed_today.tolist():
            agent, self._people[slot] = self._people[slot], None
            if agent is not None:
                agent.remove()
        arrived = self.state.arrived_today
        self._add_people(arrived[self.population.present[arrived]])

    def willingness_to_report(self, slot: int) -> float:
        """A person's current willingness to report (0..1; 1 in the textbook queue)."""
        if not self.is_district:
            return 1.0
        return float(people.willingness_to_report(self.state, slice(slot, slot + 1))[0])

    def volunteer_propensity(self, slot: int) -> float:
        """A person's current probability of volunteering (0..1; 0 in the textbook queue)."""
        if not self.is_district:
            return 0.0
        return float(people.volunteer_propensity(self.state, slice(slot, slot + 1))[0])

    # ------------------------------------------------------------------ outputs
    def _daily_row(self, day: int) -> dict:
        state, pop = self.state, self.population
        counters = state.counters
        row = {
            "day": day,
            "arisen_total": counters.arisen - counters.carried,  # since day 0
            "solved_total": counters.by_status[2],
            "closed_unsolved_total": counters.by_status[3],
            "self_resolved_total": counters.by_status[4],
            "abandoned_total": counters.by_status[5],
            "calls_total": state.calls.total + counters.consultations,
            "consultations_total": counters.consultations,
            "consultations_frequent_total": counters.frequent_consultations,
            "latent": counters.arisen - counters.known - counters.terminal_from_latent,
            "open": counters.known - counters.terminal_from_open,
            "waiting_jobs": self.world.handlers.pools.pending,
        }
        n_people, satisfaction, trust, aware = passes.people_by_group(
            pop.group, pop.present, pop.satisfaction, pop.trust, pop.aware
        )
        for g, name in enumerate(GROUPS):
            n = n_people[g]
            row[f"people_{name}"] = int(n)
            row[f"satisfaction_{name}"] = float(satisfaction[g] / n) if n else np.nan
            row[f"trust_{name}"] = float(trust[g] / n) if n else np.nan
            row[f"hotline_aware_share_{name}"] = float(aware[g] / n) if n else np.nan
        row["volunteers_active"] = int(np.count_nonzero(pop.volunteer))
        coverage = state.coverage if self.is_district else None
        row["volunteer_hours"] = coverage.volunteer_hours_per_day if coverage else 0.0
        row["party_member_hours"] = coverage.party_member_hours_per_day if coverage else 0.0
        staffing = state.staffing if self.is_district else None
        row["displaced_staff_h"] = staffing.displaced_staff_h if staffing else 0.0
        row["other_duties_backlog_h"] = staffing.other_duties_backlog_h if staffing else 0.0
        today = self.ledger.today
        for category, value in self.ledger.by_category(today).items():
            row[f"spend_{category}_yuan"] = value
        for payer, value in self.ledger.by_payer(today).items():
            row[f"spend_{payer}_yuan"] = value
        row["spend_total_yuan"] = sum(today.values())
        return row

    def problems(self, arrow: bool = False) -> pd.DataFrame | pa.Table:
        """One row per problem (pandas; `arrow=True`: the Arrow table written to Parquet)."""
        kinds = self.world.kinds
        labels = {
            "kind": kinds.names,
            "category": kinds.category_names,
            "land_use": tuple(u.value for u in LAND_USES),
        }
        return _format(problems_table(self.state.log, labels, self.origin_h), arrow)

    def calls(self, arrow: bool = False) -> pd.DataFrame | pa.Table:
        """Every hotline call about a problem, with its hour (pandas, or Arrow)."""
        return _format(self.state.calls.table(self.origin_h), arrow)

    def costs(self, arrow: bool = False) -> pd.DataFrame | pa.Table:
        """One row per day and cost item: quantity, unit cost and yuan, by category and payer."""
        return _format(self.ledger.table(), arrow)

    def daily(self, arrow: bool = False) -> pd.DataFrame | pa.Table:
        """One row per day: totals, open problems, satisfaction, trust, spending (pandas, or
        Arrow)."""
        frame = pd.DataFrame(self.daily_rows)
        return pa.Table.from_pandas(frame, preserve_index=False) if arrow else frame


def _format(table: pa.Table, arrow: bool) -> pd.DataFrame | pa.Table:
    """Every table of the model in one format: pandas, or Arrow when asked."""
    return table if arrow else table.to_pandas()


def _run_through(params: Params) -> CityModel:
    """A model stepped through all of its params' days (the warm start's burn-in)."""
    model = CityModel(params, people_agents=False, daily=False)
    for _ in range(params.sim.days):
        model.step()
    return model
