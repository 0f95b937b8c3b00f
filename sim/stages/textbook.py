"""The textbook queue's day: M/M/c as a short list of stages of its own.

One owner, one kind, one pool open 24 h: needs arise as a Poisson process, are known and
queued at once with exponential service, served first come first served by `c` servers, and
end solved when service ends. No travel, patience, feedback, calls or callbacks: the waits
are Erlang C's (tests/test_textbook_queue.py).
"""

from __future__ import annotations

import numpy as np

from sim.records import HOTLINE
from sim.stages import arise, closure, dispatch, latent, service
from sim.state import PRIORITY_NORMAL, TAG_PRIMARY, D, RunState, exp1


def step(run: RunState, day: int) -> None:
    """One day of M/M/c: arrivals, then service up to midnight."""
    run.day = day
    t0, t1 = 24.0 * day, 24.0 * (day + 1)
    _arrivals(run, t0)
    service.run_pools(run, ~run.clocks.is_department, t1)  # nobody gives up
    finished = service.finished_today(run, t1, departments=False)
    if finished is not None:
        ids, _pool, _tag, finish_h = finished
        closure.record_closed(run, ids, finish_h, np.ones(len(ids), bool), reason=-1)
    closure.forget_ended(run)


def _arrivals(run: RunState, t0: float) -> None:
    kinds = run.world.kinds
    slot, kind, hour, accept_u, draws, envelope = arise.individual_candidates(run, t0, 1.0)
    keep = run.world.population.present[slot] & (accept_u * envelope[kind] < envelope[kind])
    ids = arise.log_new_problems(run, slot[keep], kind[keep], hour[keep], draws[keep])
    if len(ids) == 0:
        return
    known_h = run.log.arisen_h[ids]  # known at once, through the one channel
    latent.make_known(run, ids, known_h, np.full(len(ids), HOTLINE))
    pool = np.zeros(len(ids), np.int64)
    work_h = kinds.mean_service_h[run.log.kind[ids]] * exp1(run.log.draws[ids, D["u_work"]])
    run.log.cols["pool"][ids] = pool
    run.log.cols["handler"][ids] = run.world.handlers.kind[pool]
    run.log.cols["abandon_at_h"][ids] = np.inf
    dispatch.enqueue(
        run, ids, pool, TAG_PRIMARY, known_h, work_h, PRIORITY_NORMAL, np.full(len(ids), np.inf)
    )
