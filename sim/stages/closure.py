"""Stage 6, closure: verification and rework, solving, callbacks; and every other ending.

A handled case is verified (a failed check sends it back for rework the next day), then
solved or closed unsolved: 户籍 entitlement barriers and owners' consent can block a
solution. The owner feels the case and learns what to expect. Hotline orders get the 12345
callback, where 考核 pressure may buy persuasion (rated, never real, outcomes) or an
exemption. Problems also end without handling: solved privately, lapsed, given up, or left
with their owner.
"""

from __future__ import annotations

import numpy as np

from sim.handlers import H_SOCIAL
from sim.records import (
    ABANDONED,
    CLOSED_UNSOLVED,
    LATENT,
    OPEN,
    REASONS,
    SOLVED,
)
from sim.stages import closing, dispatch, experience, people
from sim.state import PRIORITY_NORMAL, TAG_REWORK, D, DistrictState, RunState

OUTSIDE_POLICY = REASONS.index("outside_policy")
OUTSIDE_AUTHORITY = REASONS.index("outside_authority")
UNRESOLVED = REASONS.index("unresolved")


def finish_handled(state: DistrictState, ids, pool, finish_h, t1: float) -> None:
    """Handled cases: verified (or reworked), then solved or closed unsolved."""
    log, draws = state.log, state.log.draws
    experience.record(state, pool)
    fail_prob = float(state.scenario.dispatch.verification_fail_prob)
    rework = closing.to_rework(ids, log.reworks, draws, fail_prob)
    if rework.any():
        _rework(state, ids[rework], pool[rework], t1)
    ids, pool, finish_h = ids[~rework], pool[~rework], finish_h[~rework]
    solved, reason, blocked = _verdicts(state, ids, pool)
    if state.mech.services.consent_cases_to_meetings and blocked.any():
        waiting = state.programmes
        waiting.awaiting_deliberation.extend(ids[blocked].tolist())
        waiting.deliberation_would_solve.extend(solved[blocked].tolist())
        ids, finish_h, solved = ids[~blocked], finish_h[~blocked], solved[~blocked]
        pool, reason = pool[~blocked], reason[~blocked]
    retry = _outcome_retry(state, ids, pool, solved, reason)
    if retry.any():
        first = retry & (log.attempts[ids] == 1)
        log.cols["first_closed_h"][ids[first]] = finish_h[first]
        log.cols["first_solved"][ids[first]] = False
        _again(state, ids[retry], pool[retry], finish_h[retry])
        ids, pool, finish_h = ids[~retry], pool[~retry], finish_h[~retry]
        solved, reason = solved[~retry], reason[~retry]
    close(state, ids, finish_h, solved, reason=reason, pool=pool)


def _outcome_retry(state: DistrictState, ids, pool, solved, reason) -> np.ndarray:
    """Paid by outcome, a family service centre does not close a case its attempt failed to
    solve for want of effort (not outside policy, power, entitlement or consent): it tries
    again, up to `social_org_retry_limit` more times."""
    limit = state.mech.services.social_org_retry_limit
    if limit == 0:
        return np.zeros(len(ids), bool)
    centre = state.world.handlers.kind[pool] == H_SOCIAL
    return centre & ~solved & (reason == UNRESOLVED) & (state.log.attempts[ids] <= limit)


def _verdicts(state: DistrictState, ids, pool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whether this attempt solves each case, why not, and whether its owners' consent
    blocks it (`closing.verdicts`, one compiled pass). Solvable (§7.10): a demand outside
    any policy (`u_outside` < ω_k) is never solved; a holder without the power for a case
    that needs a department (a local pool) cannot solve it; otherwise the attempt succeeds
    with min(1, `solve_prob`_k × multiplier_p / (1 − ω_k)) on this attempt's `u_solve`, so
    that a first attempt with the power solves `solve_prob`_k × multiplier, its chance of
    failing scaled by the pool's experience (§7.27). Then 户籍 barriers: a migrant's
    school-place or housing case fails unless a slot is free (slots from
    `migrant_entitlement`, given in order of closing, each once; their pools refill every
    365 days). Shared facilities need the owners' consent (lifts, parking, fees): a blocked
    case is not solved, unless blocked cases wait for residents' meetings (the caller's)."""
    log, kinds, programmes = state.log, state.world.kinds, state.programmes
    factor = experience.failure_factor(state, pool)
    solving = (
        (log.kind, log.needs_department, log.attempts, log.solved_before),
        (kinds.outside_policy_share, programmes.policy_gap_factor, kinds.solve_prob),
        (state.world.handlers.solve_multiplier, state.clocks.is_department),
        np.empty(0) if factor is None else factor,
        (OUTSIDE_POLICY, OUTSIDE_AUTHORITY, UNRESOLVED),
    )  # fmt: skip
    entitlements = (
        kinds.entitlement, state.traits.entitlement_barrier, log.group,
        programmes.entitlement_slots, programmes.entitlements_used,
        programmes.entitlements_used_today,
    )  # fmt: skip
    consent = (
        kinds.needs_consent, float(state.scenario.dispatch.consent_block_prob),
        state.mech.services.consent_cases_to_meetings,
    )  # fmt: skip
    return closing.verdicts(
        np.asarray(ids, np.int64), np.asarray(pool, np.int64), log.draws, solving,
        entitlements, consent,
    )  # fmt: skip


def outside_any_policy(state: DistrictState, ids) -> np.ndarray:
    """Demands no one can meet (`u_outside` < the kind's `outside_policy_share`, less what
    policies made since cover: 每月一题): never solved, by a handler or by whoever finds them."""
    log = state.log
    kind = log.kind[ids]
    share = state.world.kinds.outside_policy_share[kind] * state.programmes.policy_gap_factor[kind]
    return log.draws[ids, D["u_outside"]] < share


def _rework(state: DistrictState, ids, pool, t1: float) -> None:
    """A failed verification: the case goes back to its pool at the start of tomorrow."""
    state.log.cols["reworks"][ids] += 1
    tomorrow = np.full(len(ids), t1)
    share = state.scenario.dispatch.rework_work_share
    dispatch.requeue(state, ids, pool, (tomorrow, tomorrow), TAG_REWORK, PRIORITY_NORMAL, share)


def record_closed(run: RunState, ids, when_h, solved, reason: int) -> None:
    """Log handled problems as solved, or closed unsolved for `reason`."""
    log = run.log
    log.cols["status"][ids] = np.where(solved, SOLVED, CLOSED_UNSOLVED)
    log.cols["closed_h"][ids] = when_h
    log.cols["reason"][ids] = np.where(solved, -1, reason)
    _count_closed(run, int(solved.sum()), len(ids))


def _count_closed(run: RunState, n_solved: int, n: int) -> None:
    """`n` open problems closed, `n_solved` of them solved."""
    run.counters.by_status[SOLVED] += n_solved
    run.counters.by_status[CLOSED_UNSOLVED] += n - n_solved
    run.counters.terminal_from_open += n


def close(state: DistrictState, ids, when_h, solved, reason=OUTSIDE_POLICY, pool=None) -> None:
    """A handled problem ends solved or closed unsolved; callback; a "no" at the callback
    sends a handled order back to its pool (`pool`) for a fresh attempt (退回重办), up to
    the limit; otherwise the owner feels the case and learns what to expect."""
    if len(ids) == 0:
        return
    log, mech, spec = state.log, state.mech, state.scenario.behaviour
    accountability = mech.accountability
    rates = (
        accountability.exemption_share, spec.explanation_prob,
        accountability.explanation_effort_share, spec.explained_accept_prob,
        accountability.rating_lift_share,
    )  # fmt: skip
    weights = (
        spec.case_intercept, spec.performance_weight, spec.disconfirmation_weight,
        spec.procedural_weight, spec.explanation_weight,
    )  # fmt: skip
    problems = log.columns(closing.PROBLEM_COLUMNS)
    # exemption, explanation, score and the callback's answers: one compiled pass
    exempt, added, score, *rating = closing.closing(
        np.asarray(ids, np.int64), np.asarray(when_h, float), np.asarray(solved, bool), problems,
        log.draws, closing.DRAW_COLUMNS, state.pressure, tuple(map(float, rates)),
        tuple(map(float, weights)),
    )  # fmt: skip
    _book_explanations(state, ids, when_h, added)
    rating = tuple(rating)
    if pool is not None:
        back = _send_back(state, ids, pool, when_h, solved, rating)
        if back.any():
            keep = ~back
            reason = np.broadcast_to(reason, back.shape)[keep]
            ids, when_h, solved, exempt, score = (
                a[keep] for a in (ids, when_h, solved, exempt, score)
            )
            rating = tuple(r[keep] for r in rating)
    # status, hour, reason, exemption, the callback's ratings, repeat calls; the owners'
    # (and affected neighbours') feelings and expectations: one pass
    recording = (
        log.columns(closing.RECORD_COLUMNS), log.draws[:, D["u_repeat"]],
        (SOLVED, CLOSED_UNSOLVED, REASONS.index("exempted")),
        float(state.scenario.dispatch.repeat_call_prob),
    )  # fmt: skip
    feeling = (bool(state.scenario.behaviour.enabled), people.feel_columns(state))
    n_solved, unhappy = closing.settle(
        np.asarray(ids, np.int64), np.asarray(when_h, float), np.asarray(solved, bool),
        (np.full(len(ids), reason, np.int64), exempt, score, rating), recording, feeling,
        (log.known_h, people.learn_columns(state)),
    )  # fmt: skip
    _count_closed(state, n_solved, len(ids))
    _callback_contacts(state, ids, when_h, rating[3], unhappy)


def _book_explanations(state: DistrictState, ids, when_h, added) -> None:
    """Each explanation the pressure adds is a contact of street-office staff time."""
    if not added.any():
        return
    n = int(added.sum())
    state.programmes.explanation_contacts += n
    pools = state.world.handlers.street_pool[state.log.street_office[ids][added]]
    day_end_h = 24.0 * np.ceil(when_h[added] / 24.0)
    hours = np.full(n, state.mech.accountability.persuasion_contact_h)
    dispatch.enqueue_staff_time(state, pools, day_end_h, hours)


def _send_back(state: DistrictState, ids, pool, when_h, solved, rating) -> np.ndarray:
    """退回重办: a called order rated unresolved goes back to the pool that handled it,
    arriving at the end of the callback's day, for a fresh attempt (fresh solve and rating
    draws) of `rework_work_share` × its work; both attempts are logged. A resolved order
    rated unsatisfied (slow, curt) is not sent back: there is nothing left to redo."""
    log = state.log
    called, resolved, satisfied, _ = rating
    limit = state.mech.accountability.callback_rework_limit
    back = called & ~resolved & (log.attempts[ids] <= limit)
    if not back.any():
        return back
    first = back & (log.attempts[ids] == 1)
    fid = ids[first]
    log.cols["first_closed_h"][fid] = when_h[first]
    log.cols["first_solved"][fid] = solved[first]
    log.cols["first_rated_resolved"][fid] = resolved[first]
    log.cols["first_rated_satisfied"][fid] = satisfied[first]
    log.cols["solved_before"][ids[back]] |= solved[back]
    _again(state, ids[back], pool[back], 24.0 * np.ceil(when_h[back] / 24.0))
    return back


def _again(state: DistrictState, ids, pool, arrive_h) -> None:
    """A fresh attempt (fresh solve and rating draws) of `rework_work_share` × the work, in
    the same pool, arriving at `arrive_h`; patience restarts."""
    state.log.cols["attempts"][ids] += 1
    share = state.scenario.dispatch.rework_work_share
    dispatch.requeue(state, ids, pool, (arrive_h, arrive_h), TAG_REWORK, PRIORITY_NORMAL, share)


def _callback_contacts(state: DistrictState, ids, when_h, lifted, unhappy) -> None:
    """A persuasion contact at the callback costs street-office staff time; an unhappy owner
    calls again (the ratings and the count of calls are logged by `closing.record`)."""
    if lifted.any():  # the persuasion contact costs the street office staff time
        n = int(lifted.sum())
        state.programmes.persuasion_contacts += n
        pools = state.world.handlers.street_pool[state.log.street_office[ids][lifted]]
        day_end_h = 24.0 * np.ceil(when_h[lifted] / 24.0)
        dispatch.enqueue_staff_time(
            state, pools, day_end_h, np.full(n, state.mech.accountability.persuasion_contact_h)
        )
    state.calls.add(ids[unhappy], when_h[unhappy], 2)


def terminate(state: DistrictState, ids, when_h, status: int, reason: int) -> None:
    """An ending without handling (no callback): solved privately, lapsed, given up, left."""
    if len(ids) == 0:
        return
    log = state.log
    n_latent = closing.end_unhandled(
        np.asarray(ids, np.int64), np.asarray(when_h, float), (status, reason, LATENT),
        (log.status, log.closed_h, log.reason, log.responded_h),
    )  # fmt: skip
    state.counters.by_status[status] += len(ids)
    state.counters.terminal_from_latent += n_latent
    state.counters.terminal_from_open += len(ids) - n_latent
    if reason != REASONS.index("left_city"):
        cost = state.scenario.behaviour.unmet_need_case_share
        people.feel(state, ids, np.full(len(ids), cost))


def sweep_abandoned(state: DistrictState, t1: float) -> None:
    """Owners whose patience ran out while their case waited or travelled give up."""
    pools = state.world.handlers.pools
    problem = pools.problem
    gone = closing.given_up(problem, state.log.abandon_at_h, t1)
    if gone.any():
        ids = problem[gone]
        pools.drop(~gone)
        terminate(state, ids, state.log.abandon_at_h[ids], ABANDONED, REASONS.index("gave_up"))
    forget_ended(state)


def purge_pools(state: DistrictState) -> None:
    """Drop queued jobs of problems that have ended, and forget them."""
    status = state.log.status
    pools = state.world.handlers.pools
    problem = pools.problem
    pools.drop((problem < 0) | (status[np.maximum(problem, 0)] == OPEN))
    forget_ended(state)
    state.keep_latent(status[state.latent_ids] == LATENT)


def forget_ended(run: RunState) -> None:
    """Keep only problems still open in the list of open ones."""
    run.open_ids = run.open_ids[run.log.status[run.open_ids] == OPEN]
