"""The typed state a simulated day works on.

`RunState` is what every world has: the problem log, the call log, the counters, the handler
pools (in `world.handlers.pools`) and their clocks, the jobs in service. `DistrictState`
adds what a city district has: its rules (scenario and mechanisms), people's traits by group,
grid and volunteer coverage, planned staffing, and the programmes policies run. The stages
in `sim.stages` are free functions over these; nothing else holds run state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sim import clock, fmath, passes
from sim.config.scenario import CityScenario
from sim.records import ABANDONED, CLOSED_UNSOLVED, SELF_RESOLVED, SOLVED, CallLog, ProblemLog
from sim.shocks import Shocks
from sim.world import World

if TYPE_CHECKING:  # the state is built from these; it does not need their modules to run
    from sim.config.params import Params
    from sim.mechanisms import Mechanisms

# Per-problem draws, one row each, drawn when the need arises (common random numbers).
DRAWS = (
    "e_report", "e_grid", "e_volunteer", "e_self", "e_lapse",  # hazard thresholds, Exp(1)
    "u_channel", "u_work", "u_solve", "u_department", "u_misroute", "u_dispatch", "u_contact",
    "u_patience", "u_explain", "u_rated", "u_lift", "u_exempt", "u_verify", "u_repeat",
    "u_refuse", "u_closable", "u_priority", "u_owner", "u_coordination", "u_entitlement",
    "u_consent", "u_outside", "u_solve_2", "u_rated_2", "u_solve_3", "u_rated_3",
    "u_duplicate", "u_affected",
)  # fmt: skip
D = {name: i for i, name in enumerate(DRAWS)}
MAX_ATTEMPTS = 3  # a first handling and up to two 退回重办 after the callback


N_HAZARDS = 5  # the first five draws are the thresholds of the latent-need hazards
R_REPORT, R_GRID, R_VOLUNTEER, R_SELF, R_LAPSE = range(N_HAZARDS)
# what a job in a pool's queue is: a problem's first handling, its department stage, its
# rework, staff time that is not a problem (persuasion, whistles, quota reports), or a
# department's own workload
TAG_PRIMARY, TAG_DEPARTMENT, TAG_REWORK, TAG_STAFF_TIME, TAG_BACKGROUND = range(5)
PRIORITY_URGENT, PRIORITY_PRESSED, PRIORITY_NORMAL = 0, 1, 2  # lower goes first


def exp1(u: np.ndarray) -> np.ndarray:
    """Exp(1) from uniforms on [0, 1), stored as float32 (which can round up to 1.0)."""
    return -fmath.log1p(-np.minimum(np.asarray(u, float), fmath.EXP1_TOP))


@dataclass
class Counters:
    """Running totals of transitions, for the daily table (recomputable from the log)."""

    arisen: int = 0  # needs in the run: the carried ones, and those that arose in it
    carried: int = 0  # needs a warm start carried in, latent or open on day 0
    known: int = 0
    terminal_from_latent: int = 0
    terminal_from_open: int = 0
    consultations: int = 0
    frequent_consultations: int = 0  # of which by frequent callers (高频来电人)
    by_status: dict[int, int] = field(
        default_factory=lambda: {SOLVED: 0, CLOSED_UNSOLVED: 0, SELF_RESOLVED: 0, ABANDONED: 0}
    )


@dataclass
class InService:
    """Jobs a server has started whose finish is still ahead (problem -1: not a problem)."""

    problem: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    pool: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    tag: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))
    finish_h: np.ndarray = field(default_factory=lambda: np.empty(0))

    def add(self, problem, pool, tag, finish_h) -> None:
        self.problem = np.concatenate([self.problem, problem])
        self.pool = np.concatenate([self.pool, pool])
        self.tag = np.concatenate([self.tag, tag])
        self.finish_h = np.concatenate([self.finish_h, finish_h])


class PoolClocks:
    """Each pool's office hours as columns, to move times between wall and business clocks."""

    def __init__(self, clocks: list[clock.OfficeClock], is_department: np.ndarray):
        self.distinct = sorted(set(clocks), key=repr)
        self.clock_id = np.array([self.distinct.index(c) for c in clocks])
        self.columns = np.array([[c.open_h, c.close_h, c.days_per_week] for c in clocks]).T
        self.is_department = is_department
        self.departments = np.flatnonzero(is_department).tolist()
        self._business: dict[float, list[float]] = {}  # the last few hours asked for

    def business_by_clock(self, wall_h: float) -> list[float]:
        """`OfficeClock.business_at(wall_h)` of each distinct clock; the hours of the last
        few calls are kept (a day asks for its start and end several times, and its start
        is the day before's end)."""
        if wall_h not in self._business:
            if len(self._business) >= 4:
                self._business.clear()
            self._business[wall_h] = [office.business_at(wall_h) for office in self.distinct]
        return self._business[wall_h]

    def business_at(self, pool: int, wall_h: float) -> float:
        """`OfficeClock.business_at(wall_h)` of one pool's clock."""
        return self.business_by_clock(wall_h)[self.clock_id[pool]]

    def to_business(self, pool: np.ndarray, wall_h: np.ndarray) -> np.ndarray:
        return clock.pools_to_business(pool, wall_h, self.columns)

    def horizon_b(self, which: np.ndarray, wall_h: float) -> np.ndarray:
        """Business time at `wall_h` for the pools in `which` (NaN for the others)."""
        by_clock = np.array(self.business_by_clock(wall_h))
        return np.where(which, by_clock[self.clock_id], np.nan)


@dataclass
class RunState:
    """What any world's day works on: the problems and the pools that handle them."""

    world: World
    streams: dict[str, np.random.Generator]
    clocks: PoolClocks
    log: ProblemLog = field(default_factory=lambda: ProblemLog(len(DRAWS)))
    calls: CallLog = field(default_factory=CallLog)
    counters: Counters = field(default_factory=Counters)
    in_service: InService = field(default_factory=InService)
    latent_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    # for each of `latent_ids`, a row of its hazards' thresholds (`race.thresholds`) and of
    # the hazards accumulated so far (kept only while a need is latent, not in the log)
    latent_thresholds: np.ndarray = field(default_factory=lambda: np.empty((0, N_HAZARDS)))
    latent_hazards: np.ndarray = field(default_factory=lambda: np.empty((0, N_HAZARDS)))
    open_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    day: int = 0  # on the district's clock, which a warm start's burn-in began
    origin_day: int = 0  # the district's day that is the run's day 0 (the burn-in's length)

    def add_latent(self, ids: np.ndarray, thresholds: np.ndarray) -> None:
        """New latent needs, with their hazards' thresholds; no hazard accumulated yet. They
        go in the spare rows after the arrays (`_with_room`): no daily copy of them all."""
        rows = slice(len(self.latent_ids), len(self.latent_ids) + len(ids))
        self.latent_ids = _with_room(self.latent_ids, rows.stop)
        self.latent_thresholds = _with_room(self.latent_thresholds, rows.stop)
        self.latent_hazards = _with_room(self.latent_hazards, rows.stop)
        self.latent_ids[rows] = ids
        self.latent_thresholds[rows] = thresholds
        self.latent_hazards[rows] = 0.0

    def keep_latent(self, keep: np.ndarray) -> None:
        """Keep only the latent needs where `keep` is true (and their rows), in order: moved
        up in place (`passes.keep_rows`), the arrays their first rows."""
        n = passes.keep_rows(keep, self.latent_ids, self.latent_thresholds, self.latent_hazards)
        RunState.keep_first_latent(self, n)  # (the tests pass a namespace as self)

    def keep_first_latent(self, n: int) -> None:
        """Keep only the first n latent needs (the rows of those kept moved up already)."""
        self.latent_ids = self.latent_ids[:n]
        self.latent_thresholds = self.latent_thresholds[:n]
        self.latent_hazards = self.latent_hazards[:n]


def _with_room(rows: np.ndarray, n: int) -> np.ndarray:
    """`rows` extended to `n` rows (the new ones unwritten): the first n of its buffer where
    `rows` is the buffer's first rows and it has room, else of a new buffer with room for as
    many again."""
    buffer = rows.base
    if (
        isinstance(buffer, np.ndarray)
        and buffer.dtype == rows.dtype
        and buffer.shape[1:] == rows.shape[1:]
        and len(buffer) >= n
        and buffer.flags.c_contiguous
        and buffer.ctypes.data == rows.ctypes.data
    ):
        return buffer[:n]
    buffer = np.empty((max(2 * n, 1024), *rows.shape[1:]), rows.dtype)
    buffer[: len(rows)] = rows
    return buffer[:n]


@dataclass
class GroupTraits:
    """Per-group constants (index: RESIDENT, MIGRANT) read on the hot path."""

    initial_trust: np.ndarray
    base_willingness: np.ndarray
    patience_h: np.ndarray
    entitlement_barrier: np.ndarray

    @classmethod
    def of(cls, scenario: CityScenario) -> GroupTraits:
        groups = (scenario.population.resident, scenario.population.migrant)
        return cls(
            initial_trust=np.array([g.initial_trust_prob for g in groups]),
            base_willingness=np.array([g.report_willingness_prob for g in groups]),
            patience_h=np.array([g.patience_mean_days * 24.0 for g in groups]),
            entitlement_barrier=np.array([g.entitlement_barrier_prob for g in groups]),
        )


@dataclass
class Coverage:
    """Hours of looking around per residential cell and day, and home-visit reach."""

    grid_patrol_h_per_cell: np.ndarray
    grid_visit_share_per_cell: np.ndarray
    volunteer_patrol_h_per_cell: np.ndarray
    volunteer_share_per_cell: np.ndarray  # active volunteers / present people, by community
    grid_workers: float = 0.0
    volunteer_hours_per_day: float = 0.0
    party_member_hours_per_day: float = 0.0


@dataclass
class Staffing:
    """Casework capacity per pool (servers, fractional): as built, and as planned today
    before anyone is out sick."""

    base_capacity: np.ndarray
    planned_capacity: np.ndarray
    pressed_capacity: np.ndarray  # staff moved from other duties to casework by 考核 pressure
    pressed_today: np.ndarray | None = None  # pressed capacity at work today (not out sick)
    displaced_staff_h: float = 0.0  # other duties' hours lost today to that move
    other_duties_backlog_h: float = 0.0  # running total of those hours


@dataclass
class Experience:
    """Cases each pool worked: today, and their average with fading weights
    (`sim.stages.experience`); the burn-in's average as the reference (None: no learning)."""

    worked_today: np.ndarray
    weighted_sum: np.ndarray
    weight: float = 0.0
    reference_per_day: np.ndarray | None = None


@dataclass
class Programmes:
    """State of the programmes policies run (slots, caps, fixes, meetings, contracts)."""

    entitlement_slots: np.ndarray  # by entitlement code: -, school place, housing slot
    entitlements_used: np.ndarray
    entitlements_used_today: np.ndarray
    whistles_this_month: np.ndarray  # by street office
    fix_until_day: np.ndarray  # kind x community: last day a root-cause fix holds
    policy_gap_factor: np.ndarray  # by kind: × its share of demands outside any policy
    fixes_today: int = 0
    fixes_total: int = 0
    topics_today: int = 0  # 每月一题: policies made for a kind's uncovered demands
    topics_total: int = 0
    quota_reports_total: int = 0
    social_workers_today: float = 0.0
    awaiting_deliberation: list[int] = field(default_factory=list)  # consent cases, oldest first
    deliberation_would_solve: list[bool] = field(default_factory=list)
    meetings_total: int = 0
    meeting_hours_total: float = 0.0
    persuasion_contacts: int = 0
    explanation_contacts: int = 0
    merge_start_day: int | None = None  # first day of hotline_merge's merge in force
    merged_share: float = 0.0  # share of the lines merged into 12345 so far
    merged_mech: object = None  # the mechanisms the merge last set

    def new_day(self) -> None:
        """Zero what is counted per day."""
        self.fixes_today = 0
        self.topics_today = 0
        self.entitlements_used_today[:] = 0


@dataclass(kw_only=True)
class DistrictState(RunState):
    """A city district's day: `RunState` plus the rules and what people and staff do."""

    params: Params
    mech: Mechanisms
    traits: GroupTraits
    coverage: Coverage
    staffing: Staffing
    programmes: Programmes
    experience: Experience
    shocks: Shocks | None
    pressure: np.ndarray  # 考核 pressure by street office, 0 none .. 1 full
    accountable: np.ndarray  # by kind: the street office answers for it (inspection, ledgers)
    specialist: np.ndarray  # by kind: its department's staff moved down (资源下沉)
    slots_by_cell: np.ndarray  # people's slots sorted by cell
    cell_start: np.ndarray  # where each cell's slots start in slots_by_cell
    willing: np.ndarray = field(default_factory=lambda: np.empty(0))  # to report, today
    # by group, today: present people, those aware of the hotline, the sum of their `willing`
    hotline_reach: tuple = ()
    frequent_slots: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # 高频来电
    departed_today: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    arrived_today: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    burn_in_problems: int = 0  # problems that arose in a warm start's burn-in (sizes the log)

    @property
    def scenario(self) -> CityScenario:
        return self.params.scenario
