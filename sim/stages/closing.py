"""A closing case's numbers in one compiled pass (numba): exemption, explanation, the
owner's score and the 12345 callback's answers (`closure.close`'s arithmetic); and, in a
second, what the log records of it.

Per case the loop does the floating-point operations of the numpy expressions it replaced
(kept in tests/test_closing.py), in the same order, so its results are bit for bit the
same; the owner's score is `behaviour.case_satisfaction`, the model's one form of it.
Compiled once and cached on disk (`cache=True`).
"""

from __future__ import annotations

import numba
import numpy as np

from sim import behaviour, fmath, passes
from sim.records import HOTLINE
from sim.stages import people
from sim.state import MAX_ATTEMPTS, D

# the log's columns the pass reads, in the order of its `problems` tuple
PROBLEM_COLUMNS = (
    "street_office", "channel", "known_h", "responded_h", "contact_deadline_h", "expected_h",
    "attempts",
)  # fmt: skip
# the draws it reads: exemption, explanation, the lift, and the rating of each attempt
DRAW_COLUMNS = np.array(
    [D["u_exempt"], D["u_explain"], D["u_lift"], D["u_rated"]]
    + [D[f"u_rated_{k}"] for k in range(2, MAX_ATTEMPTS + 1)],
    np.int64,
)


@numba.njit(cache=True, nogil=True)
def closing(ids, when_h, solved, problems, draws, columns, pressure_by_street, rates, weights):
    """For each closing case (ids, closing hour, solved): (exempt, explanation added by
    pressure, score, called, rated resolved, rated satisfied, lifted). `rates`: exemption
    share, base explanation prob, explanation effort share, explained-accept prob, rating
    lift share.

    Only hotline orders are ranked, so only unsolved ones can be exempted; under 考核 a
    share of the rest of the hotline orders is explained (政策解释), rising with the street
    office's pressure. The callback calls hotline orders not exempted; `answer` is the
    honest one (solved, or unsolved but the explanation accepted), and persuasion lifts
    both answers only where the honest answer would be "no". Draws are compared in float64
    with the float64 thresholds, as numpy compared them with arrays; `u_explain` with the
    base explanation prob in float32, as numpy compared it with a Python float."""
    street, channel, known_h, responded_h, deadline_h, expected_h, attempts = problems
    exemption, base, effort_share, accept, lift_share = rates
    base32 = np.float32(base)
    n = len(ids)
    exempt, explained, added = np.empty(n, np.bool_), np.empty(n, np.bool_), np.empty(n, np.bool_)
    score = np.empty(n)
    called, resolved = np.empty(n, np.bool_), np.empty(n, np.bool_)
    satisfied, lifted = np.empty(n, np.bool_), np.empty(n, np.bool_)
    for i in range(n):
        p = ids[i]
        pressure, hotline = pressure_by_street[street[p]], channel[p] == HOTLINE
        u_exempt, u_explain = np.float64(draws[p, columns[0]]), np.float64(draws[p, columns[1]])
        u_lift = np.float64(draws[p, columns[2]])
        u_rated = np.float64(draws[p, columns[2 + attempts[p]]])
        known, responded, deadline = known_h[p], responded_h[p], deadline_h[p]
        expected = expected_h[p]
        exempt[i] = (not solved[i]) and hotline and u_exempt < exemption * pressure
        explain_prob = base + (1.0 - base) * (effort_share * pressure * (1.0 if hotline else 0.0))
        explained[i] = u_explain < explain_prob
        added[i] = explained[i] and draws[p, columns[1]] >= base32
        on_time = (responded - known) <= deadline
        score[i] = behaviour.case_satisfaction(
            solved[i], when_h[i] - known, expected, on_time, explained[i], weights
        )
        answer = solved[i] or u_explain < explain_prob * accept
        called[i] = hotline and not exempt[i]
        happy = u_rated < score[i]
        lifted[i] = called[i] and not (answer and happy) and u_lift < lift_share * pressure
        resolved[i], satisfied[i] = answer or lifted[i], happy or lifted[i]
    return exempt, added, score, called, resolved, satisfied, lifted


# the log's columns `record` writes, in the order of its `columns` tuple
RECORD_COLUMNS = (
    "status", "closed_h", "reason", "exempted", "rated_resolved", "rated_satisfied", "n_calls",
    "frequent_caller",
)  # fmt: skip


@numba.njit(cache=True, nogil=True)
def record(ids, when_h, solved, reason, exempt, rating, columns, u_repeat, codes, repeat_prob):
    """Log closed cases (`closure.close`'s writes, one pass): status (`codes`: solved,
    closed unsolved), hour, reason (none if solved, `codes[2]` if exempted), the callback's
    answers where it called, and a repeat call by an owner it left unhappy (not satisfied,
    and a frequent caller or `u_repeat` below `repeat_prob`, compared in float32 as numpy
    compared the float32 draws with a Python float: the cast is here). Returns how many
    were solved and who calls again."""
    (status, closed_h, reason_column, exempted, rated_resolved, rated_satisfied, n_calls,
     frequent) = columns  # fmt: skip
    called, resolved, satisfied, _ = rating
    unhappy, repeat32 = np.zeros(len(ids), np.bool_), np.float32(repeat_prob)
    n_solved = 0
    for i in range(len(ids)):
        p = ids[i]
        status[p] = codes[0] if solved[i] else codes[1]
        closed_h[p] = when_h[i]
        reason_column[p] = codes[2] if exempt[i] else (-1 if solved[i] else reason[i])
        exempted[p] = exempt[i]
        n_solved += 1 if solved[i] else 0
        if called[i]:
            rated_resolved[p] = 1 if resolved[i] else 0
            rated_satisfied[p] = 1 if satisfied[i] else 0
            unhappy[i] = not satisfied[i] and (frequent[p] or u_repeat[p] < repeat32)
            n_calls[p] += 1 if unhappy[i] else 0
    return n_solved, unhappy


# the draws `solvable` reads: outside any policy, and the solve draw of each attempt
SOLVE_DRAW_COLUMNS = np.array(
    [D["u_outside"], D["u_solve"]] + [D[f"u_solve_{k}"] for k in range(2, MAX_ATTEMPTS + 1)],
    np.int64,
)


@numba.njit(cache=True, nogil=True, error_model="numpy")  # 0 / 0 is NaN, as numpy's
def solvable(ids, pool, problems, draws, kinds, pools, factor, codes):
    """`closure._solvable` of each case (ids, pool) in one pass: whether this attempt solves
    it, and why not (`codes`: outside policy, outside authority, unresolved). `problems` is
    the log's (kind, needs_department, attempts, solved_before), `kinds` (outside-policy
    share, its policy gap factor, solve prob), `pools` (solve multiplier, is a department),
    `factor` each case's failure factor (empty: no learning). The floating-point operations
    are numpy's of the vector form, in its order; draws are compared in float64, as numpy
    compared them with float64 arrays."""
    kind, needs_department, attempts, solved_before = problems
    outside_share, gap_factor, solve_prob = kinds
    multiplier, is_department = pools
    columns = SOLVE_DRAW_COLUMNS
    solved, reason = np.empty(len(ids), np.bool_), np.empty(len(ids), np.int64)
    for i in range(len(ids)):
        p, q = ids[i], pool[i]
        k = kind[p]
        omega = outside_share[k]
        outside = np.float64(draws[p, columns[0]]) < omega * gap_factor[k]
        no_power = needs_department[p] and not is_department[q]
        success = fmath.minimum(solve_prob[k] * multiplier[q] / (1.0 - omega), 1.0)
        if len(factor):
            success = fmath.maximum(1.0 - (1.0 - success) * factor[i], 0.0)
        attempt = np.float64(draws[p, columns[attempts[p]]]) < success
        solved[i] = (not outside and not no_power and attempt) or solved_before[p]
        reason[i] = codes[0] if outside else (codes[1] if no_power else codes[2])
    return solved, reason


@numba.njit(cache=True, nogil=True)
def end_unhandled(ids, when_h, codes, columns):
    """Log endings without handling (`closure.terminate`'s writes, one pass): status, hour
    and reason (`codes`: status, reason, the latent status), and no response where the
    contact would have come after the ending. `columns` is the log's (status, closed_h,
    reason, responded_h). Every test reads the values before any write (numpy's order).
    Returns how many of them were latent."""
    new_status, new_reason, latent = codes
    status, closed_h, reason, responded_h = columns
    n = len(ids)
    was_latent, late = np.empty(n, np.bool_), np.empty(n, np.bool_)
    for i in range(n):
        was_latent[i] = status[ids[i]] == latent
        late[i] = responded_h[ids[i]] > when_h[i]
    for i in range(n):
        p = ids[i]
        status[p], closed_h[p], reason[p] = new_status, when_h[i], new_reason
    for i in range(n):
        if late[i]:
            responded_h[ids[i]] = np.nan
    return int(was_latent.sum())


ENTITLEMENT_DRAW, CONSENT_DRAW = D["u_entitlement"], D["u_consent"]


@numba.njit(cache=True, nogil=True, error_model="numpy")
def verdicts(ids, pool, draws, solving, entitlements, consent):
    """`closure._verdicts` of each case (ids, pool) in one pass: (solved, reason, blocked
    by owners' consent). `solving` is `solvable`'s arguments after the draws; `entitlements`
    (each kind's entitlement code, each group's barrier, the log's group column, and the
    slots left, used and used today by code: taken here in order, each once); `consent`
    (each kind's need of consent, its block prob, and whether blocked cases wait for
    meetings: then they are left as they are). The numpy form's operations, in its order:
    the entitlement draw against the group's barrier in float64 (numpy's of a float32 and a
    float64 array), the consent draw against the block prob in float32 (numpy's of a float32
    array and a Python float: the cast is here)."""
    problems, kinds, pools, factor, codes = solving
    code_of_kind, barrier, group, slots, used, used_today = entitlements
    needs_consent, block_prob, to_meetings = consent
    block32 = np.float32(block_prob)
    solved, reason = solvable(ids, pool, problems, draws, kinds, pools, factor, codes)
    kind, n = problems[0], len(ids)
    entitled, blocked = solved.copy(), np.empty(n, np.bool_)
    for i in range(n):
        p = ids[i]
        code = code_of_kind[kind[p]]
        if code > 0 and np.float64(draws[p, ENTITLEMENT_DRAW]) < barrier[group[p]]:
            if entitled[i] and slots[code] > 0:
                slots[code] -= 1
                used[code] += 1
                used_today[code] += 1
            else:
                entitled[i] = False
        if solved[i] and not entitled[i]:
            reason[i] = codes[0]  # 户籍 barrier, no slot: outside policy
        blocked[i] = needs_consent[kind[p]] and draws[p, CONSENT_DRAW] < block32
        if not to_meetings:
            if entitled[i] and blocked[i]:
                reason[i] = codes[0]  # no owners' consent
            entitled[i] = entitled[i] and not blocked[i]
    return entitled, reason, blocked


@numba.njit(cache=True, nogil=True)
def settle(ids, when_h, solved, verdict, recording, feeling, learning):
    """`closure.close`'s last steps in one call: `record` (`verdict` is each case's reason,
    exemption, score and the callback's answers; `recording` its columns, repeat draws,
    codes and repeat prob), then the owners' feelings (`passes.feel`, where `feeling` =
    (behaviour on, its columns)), then their expectations (`people.learn` of the hours from
    known to closed; `learning` = (known_h, its columns)). Returns (solved, unhappy)."""
    reason, exempt, score, rating = verdict
    columns, u_repeat, codes, repeat_prob = recording
    n_solved, unhappy = record(
        ids, when_h, solved, reason, exempt, rating, columns, u_repeat, codes, repeat_prob
    )
    feels, feel_columns = feeling
    if feels and len(ids):
        passes.feel(ids, score, *feel_columns)
    known_h, learn_columns = learning
    actual_h = np.empty(len(ids))
    for i in range(len(ids)):
        actual_h[i] = when_h[i] - known_h[ids[i]]
    people.learn(ids, actual_h, *learn_columns)
    return n_solved, unhappy


VERIFY_DRAW = D["u_verify"]


@numba.njit(cache=True, nogil=True)
def to_rework(ids, reworks, draws, fail_prob):
    """Which handled cases fail their verification (`u_verify` below `fail_prob`, compared
    in float32 as numpy compared a float32 draw with a Python float: the cast is here), each
    once at most (no rework yet)."""
    fail32 = np.float32(fail_prob)
    rework = np.empty(len(ids), np.bool_)
    for i in range(len(ids)):
        rework[i] = reworks[ids[i]] == 0 and draws[ids[i], VERIFY_DRAW] < fail32
    return rework


@numba.njit(cache=True, nogil=True)
def given_up(problem, abandon_at_h, t1):
    """Which queued jobs are of problems whose owner's patience ran out by `t1` (problem
    -1: not a problem)."""
    gone = np.zeros(len(problem), np.bool_)
    for i in range(len(problem)):
        gone[i] = problem[i] >= 0 and abandon_at_h[problem[i]] <= t1
    return gone
