"""The one sequential kernel: multi-server queues with non-preemptive priorities.

Every handler pool has a capacity c (staff × casework time share, fractional): it runs
ceil(c) identical servers at speed c / ceil(c), so a job started there takes its work
divided by the pool's speed at its start (integer capacity: speed 1, plain servers). Among
its waiting jobs the lowest priority value goes first, then the earliest arrival (first
come, first served within a class). A job whose owner has given up before it could start
(its abandon time has passed) leaves without using a server. Times are on each pool's own
(business) clock. A run goes up to a horizon and keeps every job it could not yet start,
because a later arrival of a higher class may still overtake it; with a single class and
integer capacity it is plain FCFS M/M/c (Erlang C).

All pools live in one `PoolSet` so that a day's queueing is one pass over the day's jobs,
not one call per pool.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from sim.clock import OfficeClock

_COLUMNS = (
    ("pool", np.int64),
    ("problem", np.int64),  # -1 for a job that is not a problem (background, persuasion)
    ("tag", np.int8),  # stage tag carried through the queue
    ("arrival_b", np.float64),
    ("work_h", np.float64),
    ("priority", np.int8),
    ("abandon_b", np.float64),
)


@dataclass
class Started:
    pool: np.ndarray
    problem: np.ndarray
    tag: np.ndarray
    start_b: np.ndarray
    finish_b: np.ndarray


class PoolSet:
    """All handler pools: their servers, clocks, and the jobs they have not yet started."""

    def __init__(self, names: list[str], capacity: list[float], clocks: list[OfficeClock]):
        self.names = list(names)
        self.clocks = list(clocks)
        servers = np.array([servers_of(c) for c in capacity], np.int64)
        # every server's free time, pool by pool: pool p's are free_b[free_lo[p]:free_hi[p]]
        self.free_b = np.zeros(servers.sum())
        self.free_hi = np.cumsum(servers)
        self.free_lo = self.free_hi - servers
        self.speed = np.asarray(capacity, float) / servers.astype(float)
        self.busy_h = np.zeros(len(self.names))  # work started so far, for utilisation
        for name, dtype in _COLUMNS:
            setattr(self, name, np.empty(0, dtype))

    def __len__(self) -> int:
        return len(self.names)

    def servers(self, pool: int) -> int:
        return int(self.free_hi[pool] - self.free_lo[pool])

    def free_times(self, pool: int) -> np.ndarray:
        """When each of the pool's servers is next free (business clock; in no order)."""
        return self.free_b[self.free_lo[pool] : self.free_hi[pool]]

    def set_free_times(self, pool: int, times_b) -> None:
        """The pool's servers are now these, free at `times_b` (one per server)."""
        self._replace_free_times({pool: np.asarray(times_b, float)})

    def _replace_free_times(self, replaced: dict[int, np.ndarray]) -> None:
        """New free times for some pools, the flat array rebuilt once for all of them."""
        parts = [replaced.get(p, self.free_times(p)) for p in range(len(self.names))]
        servers = np.array([len(part) for part in parts], np.int64)
        self.free_b = np.concatenate(parts)
        self.free_hi = np.cumsum(servers)
        self.free_lo = self.free_hi - servers

    def waiting(self, pool: int) -> int:
        """Jobs not yet started, including those still on their way."""
        return int(np.sum(self.pool == pool))

    @property
    def pending(self) -> int:
        return len(self.pool)

    def capacity(self, pool: int) -> float:
        return float(self.speed[pool] * self.servers(pool))

    def capacities(self) -> np.ndarray:
        """Every pool's capacity (servers x speed)."""
        return self.speed * (self.free_hi - self.free_lo)

    def set_capacity(self, pool: int, capacity: float, now_b: float) -> None:
        """ceil(capacity) servers at speed capacity / ceil(capacity) from now on: servers
        are added idle, or those that free last retire (they finish their job)."""
        self.set_capacities([pool], [capacity], [now_b])

    def set_capacities(self, pools, capacities, now_b) -> None:
        """`set_capacity` for several pools, their free times rebuilt once (a shock can
        change every pool's servers on the same day)."""
        replaced = {}
        for pool, capacity, now in zip(pools, capacities, now_b, strict=True):
            servers = servers_of(capacity)
            self.speed[pool] = capacity / servers
            free = self.free_times(pool)
            if servers > len(free):
                replaced[pool] = np.append(free, np.full(servers - len(free), now))
            elif servers < len(free):
                replaced[pool] = np.sort(free)[:servers]
        if replaced:
            self._replace_free_times(replaced)

    def reclock(self, clocks: list[OfficeClock]) -> None:
        """New office hours for some pools (a duty rota adopted mid-run): their waiting jobs'
        arrival and patience times and their servers' free times keep their wall-clock
        hours, re-expressed on the new clocks (a job that came while its office was closed
        keeps the old clock's next opening: a business time does not keep the hour)."""
        for pool, (old, new) in enumerate(zip(self.clocks, clocks, strict=True)):
            if old == new:
                continue
            rows = np.flatnonzero(self.pool == pool)
            for name in ("arrival_b", "abandon_b"):
                times = getattr(self, name)
                finite = rows[np.isfinite(times[rows])]
                times[finite] = new.to_business(old.to_wall(times[finite]))
            free = old.to_wall(self.free_times(pool), at_closing=True)
            self.free_times(pool)[:] = new.to_business(free)
            self.clocks[pool] = new

    def add(self, pool, problem, tag, arrival_b, work_h, priority, abandon_b) -> None:
        """Queue jobs (arrays or scalars broadcast to the length of `problem`): each column
        is copied once into a new one with room, the new values written after it."""
        n = len(problem)
        values = (pool, problem, tag, arrival_b, work_h, priority, abandon_b)
        for (name, dtype), value in zip(_COLUMNS, values, strict=True):
            old = getattr(self, name)
            column = np.empty(len(old) + n, dtype)
            column[: len(old)] = old
            column[len(old) :] = value  # an array, or a scalar broadcast
            setattr(self, name, column)

    def drop(self, keep: np.ndarray) -> None:
        """Keep only the pending jobs where `keep` is true."""
        for name, _ in _COLUMNS:
            setattr(self, name, getattr(self, name)[keep])

    def run(self, horizon_b: np.ndarray) -> tuple[Started, np.ndarray]:
        """Start every job that starts by its pool's horizon (pools with NaN are skipped).

        Returns the started jobs and the problem indices of jobs abandoned before they
        could start.
        """
        columns = tuple(getattr(self, name) for name, _ in _COLUMNS)
        servers = (self.speed, self.free_b, self.free_lo, self.free_hi, self.busy_h)
        moved, started, abandoned, kept = _run_and_take(columns, horizon_b, servers)
        if not moved:
            return _no_start(), np.empty(0, np.int64)
        for (name, _), column in zip(_COLUMNS, kept, strict=True):
            setattr(self, name, column)
        return Started(*started), abandoned


@numba.njit(cache=True, nogil=True)
def _run_and_take(columns, horizon, servers):
    """`_run` over the pending jobs' `columns` (`_COLUMNS`' order) and the pools' `servers`
    (speed, free times and their bounds, busy hours), then what `PoolSet.run` takes of it:
    whether any job started or was given up, the started jobs' (pool, problem, tag, start,
    finish), the problems given up, and the columns of the jobs still queued."""
    pool, problem, tag, arrival, work, priority, abandon = columns
    speed, free, free_lo, free_hi, busy = servers
    chosen, start_b, finish_b, gone, keep = _run(
        pool, arrival, work, priority, abandon, horizon, speed, free, free_lo, free_hi, busy
    )
    moved = len(chosen) > 0 or len(gone) > 0
    started = (pool[chosen], problem[chosen], tag[chosen], start_b, finish_b)
    kept = (pool[keep], problem[keep], tag[keep], arrival[keep], work[keep], priority[keep],
            abandon[keep])  # fmt: skip
    return moved, started, problem[gone], kept


@numba.njit(cache=True, nogil=True)
def _run(pool, arrival, work, priority, abandon, horizon, speed, free, free_lo, free_hi, busy):
    """`PoolSet.run` compiled: the jobs of pools with a horizon, in (pool, arrival, index)
    order (stable sorts, as `np.lexsort`), served pool by pool (`_serve`); returns the
    started jobs in order of start (stable), their starts and finishes, the jobs given up
    and which jobs stay queued. Adds the started work to `busy` in that order."""
    n = len(pool)
    rows = np.empty(n, np.int64)
    m = 0
    for r in range(n):
        if not np.isnan(horizon[pool[r]]):
            rows[m] = r
            m += 1
    rows = rows[:m]
    rows = rows[np.argsort(arrival[rows], kind="mergesort")]
    rows = rows[np.argsort(pool[rows], kind="mergesort")]
    at = pool[rows]
    duration = work[rows] / speed[at]  # at the speed of the day's run
    start, gone = np.full(m, np.nan), np.zeros(m, np.bool_)
    times, ranks, patience = arrival[rows], priority[rows], abandon[rows]
    waiting = np.empty(m, np.int64)  # a binary heap of job indices
    lo = 0
    while lo < m:
        k, hi = at[lo], lo + 1
        while hi < m and at[hi] == k:
            hi += 1
        if free_hi[k] > free_lo[k]:
            _serve(
                free[free_lo[k] : free_hi[k]], lo, hi, horizon[k], waiting, times, duration,
                ranks, patience, start, gone,
            )  # fmt: skip
        lo = hi
    began = np.flatnonzero(~np.isnan(start))
    began = began[np.argsort(start[began], kind="mergesort")]
    chosen = rows[began]
    for j in chosen:
        busy[pool[j]] += work[j]
    keep = np.ones(n, np.bool_)
    keep[chosen] = False
    keep[rows[gone]] = False
    return chosen, start[began], start[began] + duration[began], rows[gone], keep


def servers_of(capacity: float) -> int:
    """Servers that carry a capacity: ceil(c), at least one (1e-9 absorbs rounding noise)."""
    return max(1, int(np.ceil(capacity - 1e-9)))


@numba.njit(cache=True, nogil=True)
def _serve(free, lo, hi, horizon, waiting, arrival, work, priority, abandon, start, gone):
    """One pool: whenever a server frees, the waiting job first in (priority, arrival,
    index) order starts on it, unless its owner has given up by then."""
    n_waiting, i = 0, lo
    now = -np.inf  # decision times never go back: every waiting job arrived by `now`
    while True:
        server = np.argmin(free)
        if n_waiting:
            t = max(free[server], now)
        elif i < hi:
            t = max(free[server], arrival[i])
        else:
            return
        if t > horizon:
            return
        while i < hi and arrival[i] <= t:
            n_waiting = _push(waiting, n_waiting, i, priority, arrival)
            i += 1
        now = t
        j = waiting[0]
        n_waiting = _pop(waiting, n_waiting, priority, arrival)
        if abandon[j] < t:
            gone[j] = True
            continue
        start[j] = t
        free[server] = t + work[j]


@numba.njit(cache=True, nogil=True)
def _first(a, b, priority, arrival) -> bool:
    """Job a goes before job b: lower priority value, then earlier arrival, then index."""
    if priority[a] != priority[b]:
        return priority[a] < priority[b]
    if arrival[a] != arrival[b]:
        return arrival[a] < arrival[b]
    return a < b


@numba.njit(cache=True, nogil=True)
def _push(heap, n, job, priority, arrival) -> int:
    heap[n] = job
    child = n
    while child > 0:
        parent = (child - 1) // 2
        if not _first(heap[child], heap[parent], priority, arrival):
            break
        heap[child], heap[parent] = heap[parent], heap[child]
        child = parent
    return n + 1


@numba.njit(cache=True, nogil=True)
def _pop(heap, n, priority, arrival) -> int:
    """Remove the heap's first job (heap[0])."""
    n -= 1
    heap[0] = heap[n]
    parent = 0
    while 2 * parent + 1 < n:
        child = 2 * parent + 1
        if child + 1 < n and _first(heap[child + 1], heap[child], priority, arrival):
            child += 1
        if not _first(heap[child], heap[parent], priority, arrival):
            break
        heap[child], heap[parent] = heap[parent], heap[child]
        parent = child
    return n


def _no_start() -> Started:
    empty = np.empty(0)
    return Started(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int8), empty, empty)
