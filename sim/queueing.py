"""The one sequential kernel: a multi-server queue with non-preemptive priorities.

Jobs are served by `servers` identical servers; among waiting jobs the lowest priority value
goes first, then the earliest arrival (first come, first served within a class). A job
whose owner has given up before it could start (its `abandon_at` has passed) leaves without
using a server. Times here are on the pool's own (business) clock. The kernel runs up to a
horizon and keeps every job it could not yet start, because a later arrival of a higher
class may still overtake it; with a single class it is plain FCFS M/M/c (Erlang C).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from sim.clock import OfficeClock


@dataclass
class Started:
    problem: np.ndarray  # int64 problem index, -1 for a job that is not a problem
    tag: np.ndarray  # int8 stage tag carried through the queue
    start_b: np.ndarray
    finish_b: np.ndarray


class ServerPool:
    """One handler pool: servers, its clock, and the jobs it has not yet started."""

    def __init__(self, name: str, servers: int, clock: OfficeClock):
        self.name = name
        self.clock = clock
        self._free_b: list[float] = [0.0] * int(servers)
        self._problem = np.empty(0, np.int64)
        self._tag = np.empty(0, np.int8)
        self._arrival_b = np.empty(0)
        self._work_h = np.empty(0)
        self._priority = np.empty(0, np.int8)
        self._abandon_b = np.empty(0)
        self.busy_h = 0.0  # work started so far, for utilisation

    @property
    def servers(self) -> int:
        return len(self._free_b)

    @property
    def waiting(self) -> int:
        return len(self._problem)

    def set_servers(self, servers: int, now_b: float) -> None:
        """Add idle servers, or retire the servers that free last (they finish their job)."""
        servers = int(servers)
        if servers > len(self._free_b):
            self._free_b.extend([now_b] * (servers - len(self._free_b)))
            heapq.heapify(self._free_b)
        elif servers < len(self._free_b):
            self._free_b = heapq.nsmallest(servers, self._free_b)
            heapq.heapify(self._free_b)

    def add(self, problem, tag, arrival_b, work_h, priority, abandon_b) -> None:
        """Queue jobs (arrays of equal length); arrival and abandon times on the pool clock."""
        self._problem = np.concatenate([self._problem, np.asarray(problem, np.int64)])
        self._tag = np.concatenate([self._tag, np.asarray(tag, np.int8)])
        self._arrival_b = np.concatenate([self._arrival_b, np.asarray(arrival_b, float)])
        self._work_h = np.concatenate([self._work_h, np.asarray(work_h, float)])
        self._priority = np.concatenate([self._priority, np.asarray(priority, np.int8)])
        self._abandon_b = np.concatenate([self._abandon_b, np.asarray(abandon_b, float)])

    def drop(self, keep: np.ndarray) -> np.ndarray:
        """Remove jobs not in `keep` (boolean mask); returns the removed problem indices."""
        removed = self._problem[~keep]
        for field in ("_problem", "_tag", "_arrival_b", "_work_h", "_priority", "_abandon_b"):
            setattr(self, field, getattr(self, field)[keep])
        return removed

    def pending_problems(self) -> np.ndarray:
        return self._problem

    def pending_abandon_b(self) -> np.ndarray:
        return self._abandon_b

    def run(self, horizon_b: float) -> tuple[Started, np.ndarray]:
        """Start every job that starts by `horizon_b`.

        Returns the started jobs and the problem indices of jobs abandoned before they could
        start.
        """
        n = len(self._problem)
        if n == 0 or not self._free_b:
            return _no_start(), np.empty(0, np.int64)
        order = np.lexsort((np.arange(n), self._arrival_b))
        arrival = self._arrival_b[order].tolist()
        work = self._work_h[order].tolist()
        priority = self._priority[order].tolist()
        abandon = self._abandon_b[order].tolist()
        start = [np.nan] * n
        gone = [False] * n
        free = self._free_b
        waiting: list[tuple[int, float, int]] = []
        i = 0
        now = -np.inf  # decision times never go back: every waiting job arrived by `now`
        while True:
            t_free = free[0]
            if waiting:
                t = max(t_free, now)
            elif i < n:
                t = max(t_free, arrival[i])
            else:
                break
            if t > horizon_b:
                break
            while i < n and arrival[i] <= t:
                heapq.heappush(waiting, (priority[i], arrival[i], i))
                i += 1
            now = t
            _, _, j = heapq.heappop(waiting)
            if abandon[j] < t:
                gone[j] = True
                continue
            start[j] = t
            heapq.heapreplace(free, t + work[j])
        start_arr = np.asarray(start)
        started = ~np.isnan(start_arr)
        gone_arr = np.asarray(gone, bool)
        done_sorted = started | gone_arr
        done = np.zeros(n, bool)
        done[order] = done_sorted
        start_full = np.full(n, np.nan)
        start_full[order] = start_arr
        gone_full = np.zeros(n, bool)
        gone_full[order] = gone_arr
        idx = np.flatnonzero(done & ~gone_full)
        idx = idx[np.argsort(start_full[idx], kind="stable")]
        result = Started(
            problem=self._problem[idx],
            tag=self._tag[idx],
            start_b=start_full[idx],
            finish_b=start_full[idx] + self._work_h[idx],
        )
        self.busy_h += float(self._work_h[idx].sum())
        abandoned = self._problem[gone_full]
        self.drop(~done)
        return result, abandoned


def _no_start() -> Started:
    return Started(np.empty(0, np.int64), np.empty(0, np.int8), np.empty(0), np.empty(0))
