"""The compiled pass of a closing case (`sim.stages.closing`) gives what the numpy
expressions of `closure.close` it replaced give, bit for bit, on varied inputs: exemption,
explanation, the owner's score and the callback's answers."""

from __future__ import annotations

import numpy as np
from conftest import EDGE, straddling
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sim import fmath, passes
from sim.records import HOTLINE
from sim.stages import closing, people
from sim.state import DRAWS, MAX_ATTEMPTS, D


def attempt_draws(draws: np.ndarray, attempts: np.ndarray, name: str) -> np.ndarray:
    """Each problem's draw `name` for its current attempt (1: `name`, k: `name_k`)."""
    cols = np.array([D[name]] + [D[f"{name}_{k}"] for k in range(2, MAX_ATTEMPTS + 1)])
    return draws[np.arange(len(attempts)), cols[attempts.astype(np.int64) - 1]]


def case_satisfaction(solved, actual_h, expected_h, on_time, explained, weights):
    """`behaviour.case_satisfaction`'s numpy form, as the model had it before it was compiled."""
    disconfirmation = np.clip((expected_h - actual_h) / np.maximum(expected_h, 1e-9), -1.0, 1.0)
    score = (
        weights[0]
        + weights[1] * solved
        + weights[2] * disconfirmation
        + weights[3] * on_time
        + weights[4] * explained
    )
    return fmath.sigmoid(score)


def _numpy_form(ids, when_h, solved, problems, draws, pressure_by_street, rates, weights):
    """`closure.close`'s expressions before they were one pass."""
    street, channel, known_h, responded_h, deadline_h, expected_h, attempts = problems
    exemption, base, effort_share, accept, lift_share = rates
    draws, pressure = draws[ids], pressure_by_street[street[ids]]
    hotline = channel[ids] == HOTLINE
    exempt = ~solved & hotline & (draws[:, D["u_exempt"]] < exemption * pressure)
    on_time = (responded_h[ids] - known_h[ids]) <= deadline_h[ids]
    explain_prob = base + (1.0 - base) * (effort_share * pressure * hotline)
    explained = draws[:, D["u_explain"]] < explain_prob
    added = explained & (draws[:, D["u_explain"]] >= base)
    score = case_satisfaction(
        solved.astype(float), when_h - known_h[ids], expected_h[ids], on_time.astype(float),
        explained.astype(float), weights,
    )  # fmt: skip
    answer = solved | (~solved & (draws[:, D["u_explain"]] < explain_prob * accept))
    called = hotline & ~exempt
    satisfied = attempt_draws(draws, attempts[ids], "u_rated") < score
    lifted = called & ~(answer & satisfied) & (draws[:, D["u_lift"]] < lift_share * pressure)
    return exempt, added, score, called, answer | lifted, satisfied | lifted, lifted


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 30), st.integers(0, 2**32 - 1))
def test_closing_is_the_numpy_form(n, seed):
    rng = np.random.default_rng(seed)
    size = n + 4
    known_h = rng.random(size) * 100.0
    expected_h = np.where(rng.random(size) < 0.1, np.nan, rng.random(size) * 200.0)
    expected_h[rng.random(size) < 0.1] = 0.0  # below the floor of the disconfirmation
    responded_h = np.where(rng.random(size) < 0.2, np.nan, known_h + rng.random(size) * 30.0)
    deadline_h = rng.random(size) * 20.0
    at_limit = rng.random(size) < 0.2  # contacted exactly at the limit: on time
    responded_h[at_limit] = known_h[at_limit] + deadline_h[at_limit]
    problems = (
        rng.integers(0, 3, size).astype(np.int16), rng.integers(0, 3, size).astype(np.int8),
        known_h, responded_h, deadline_h, expected_h,
        rng.integers(1, 4, size).astype(np.int8),
    )  # fmt: skip
    draws = rng.random((size, len(DRAWS))).astype(np.float32)
    ids = rng.integers(0, size, n)
    when_h = known_h[ids] + rng.random(n) * 300.0
    solved = rng.random(n) < 0.5
    pressure = rng.random(3)
    rates = tuple(float(r) for r in rng.random(5))
    rates = (rates[0], float(rng.choice([EDGE, rates[1]])), *rates[2:])  # the base prob
    draws[rng.random(size) < 0.3, D["u_explain"]] = np.float32(rates[1])  # >= it in float32
    weights = tuple(float(w) for w in rng.normal(0.0, 2.0, 5))
    want = _numpy_form(ids, when_h, solved, problems, draws, pressure, rates, weights)
    got = closing.closing(
        ids, when_h, solved, problems, draws, closing.DRAW_COLUMNS, pressure, rates, weights
    )
    for name, a, b in zip(("exempt", "added", "score", "called", "resolved", "satisfied",
                           "lifted"), got, want, strict=True):  # fmt: skip
        assert np.array_equal(a, b, equal_nan=True), name


def _record_numpy(columns, ids, when_h, solved, reason, exempt, rating, u_repeat, prob):
    """`closure.close`'s writes (record_closed, the exemption, the callback's) as they were;
    a frequent caller left unsatisfied always calls again."""
    (status, closed_h, reason_column, exempted, rated_resolved, rated_satisfied, n_calls,
     frequent) = columns  # fmt: skip
    called, resolved, satisfied, _ = rating
    status[ids] = np.where(solved, 2, 3)
    closed_h[ids] = when_h
    reason_column[ids] = np.where(solved, -1, reason)
    exempted[ids] = exempt
    reason_column[ids[exempt]] = 9
    rated_resolved[ids[called]] = resolved[called]
    rated_satisfied[ids[called]] = satisfied[called]
    unhappy = called & ~satisfied & (frequent[ids] | (u_repeat[ids] < prob))  # float32 draws
    n_calls[ids[unhappy]] += 1
    return int(solved.sum()), unhappy


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 40), st.integers(0, 2**32 - 1), st.sampled_from([0.0, 0.3, EDGE, 1.0]))
@example(40, 0, EDGE)
def test_recording_a_closing_is_the_numpy_form(n, seed, prob):
    rng = np.random.default_rng(seed)
    size = 60
    ids = rng.choice(size, n, replace=False)
    when_h, reason = rng.random(n) * 100.0, rng.integers(0, 8, n)
    solved, exempt = rng.random(n) < 0.5, rng.random(n) < 0.2
    rating = tuple(rng.random(n) < 0.5 for _ in range(4))
    u_repeat = rng.random(size).astype(np.float32)
    u_repeat[:5] = np.float32(prob)  # a draw equal to the probability as float32
    dtypes = (np.int8, float, np.int8, bool, np.int8, np.int8, np.int32)
    columns = (*(np.zeros(size, dtype) for dtype in dtypes), rng.random(size) < 0.1)
    expected = tuple(c.copy() for c in columns)
    want = _record_numpy(expected, ids, when_h, solved, reason, exempt, rating, u_repeat, prob)
    got = closing.record(
        ids, when_h, solved, reason, exempt, rating, columns, u_repeat, (2, 3, 9), prob
    )
    assert got[0] == want[0] and np.array_equal(got[1], want[1])
    for column, wanted in zip(columns, expected, strict=True):
        assert np.array_equal(column, wanted)


def _solvable_numpy(ids, pool, problems, draws, kinds, pools, factor):
    """`closure._solvable`'s expressions before they were one pass (codes 0, 1, 2)."""
    kind, needs_department, attempts, solved_before = problems
    outside_share, gap_factor, solve_prob = kinds
    multiplier, is_department = pools
    k = kind[ids]
    omega = outside_share[k]
    outside = draws[ids, D["u_outside"]] < outside_share[k] * gap_factor[k]
    no_power = needs_department[ids] & ~is_department[pool]
    with np.errstate(divide="ignore", invalid="ignore"):
        success = np.minimum(solve_prob[k] * multiplier[pool] / (1.0 - omega), 1)
    if factor is not None:
        success = np.maximum(1.0 - (1.0 - success) * factor, 0.0)
    attempt = attempt_draws(draws[ids], attempts[ids], "u_solve") < success
    solved = (~outside & ~no_power & attempt) | solved_before[ids]
    return solved, np.where(outside, 0, np.where(no_power, 1, 2))


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 40), st.integers(0, 2**32 - 1), st.booleans())
def test_solvable_is_the_numpy_form(n, seed, learning):
    rng = np.random.default_rng(seed)
    size, n_kinds, n_pools = 50, 4, 5
    ids, pool = rng.permutation(size)[:n], rng.integers(0, n_pools, n)
    problems = (
        rng.integers(0, n_kinds, size).astype(np.int16), rng.random(size) < 0.4,
        rng.integers(1, MAX_ATTEMPTS + 1, size).astype(np.int8), rng.random(size) < 0.1,
    )  # fmt: skip
    draws = rng.random((size, len(DRAWS))).astype(np.float32)
    omega = np.where(rng.random(n_kinds) < 0.2, 1.0, rng.random(n_kinds) * 0.3)  # 1: all out
    gap = rng.random(n_kinds) * 1.5
    probe = ids[:n_kinds]  # of kinds 0, 1, ...: some kinds straddle their `u_outside` draws
    problems[0][probe], edge = np.arange(len(probe)), rng.random(len(probe)) < 0.3
    omega_at, gap_at = straddling(draws[probe, D["u_outside"]], rng)
    omega[: len(probe)][edge], gap[: len(probe)][edge] = omega_at[edge], gap_at[edge]
    kinds = (omega, gap, np.where(rng.random(n_kinds) < 0.2, 0.0, 0.9))
    pools = (rng.random(n_pools) * 2.0, rng.random(n_pools) < 0.3)
    factor = rng.random(n) * 3.0 if learning else None
    want = _solvable_numpy(ids, pool, problems, draws, kinds, pools, factor)
    got = closing.solvable(
        ids, pool, problems, draws, kinds, pools, np.empty(0) if factor is None else factor,
        (0, 1, 2),
    )  # fmt: skip
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


def _entitled_numpy(ids, solved, kind, group, draws, entitlements):
    """`closure._entitlements` before it was compiled: slots given in order, each once."""
    code_of_kind, barrier, slots, used = entitlements
    code = code_of_kind[kind[ids]]
    blocked = (code > 0) & (draws[ids, D["u_entitlement"]] < barrier[group[ids]])
    solved = solved.copy()
    for case in np.flatnonzero(blocked).tolist():
        if solved[case] and slots[code[case]] > 0:
            slots[code[case]] -= 1
            used[code[case]] += 1
        else:
            solved[case] = False
    return solved


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 40), st.integers(0, 2**32 - 1), st.booleans(), st.integers(0, 4))
@example(40, 1, False, 2)
def test_verdicts_are_the_numpy_form(n, seed, to_meetings, n_slots):
    """Solvable, then 户籍 entitlement slots, then owners' consent, as `finish_handled` had
    them in numpy: draws at the float32 of a probability above it (`EDGE`) are below the
    group's barrier (float64 arrays compared) but not below the consent block prob (a
    float32 draw against a Python float compares in float32)."""
    rng = np.random.default_rng(seed)
    size, n_kinds, n_pools = 50, 4, 5
    ids, pool = rng.permutation(size)[:n], rng.integers(0, n_pools, n)
    kind = rng.integers(0, n_kinds, size).astype(np.int16)
    problems = (
        kind, rng.random(size) < 0.4, rng.integers(1, MAX_ATTEMPTS + 1, size).astype(np.int8),
        rng.random(size) < 0.1,
    )  # fmt: skip
    draws = rng.random((size, len(DRAWS))).astype(np.float32)
    kinds = (rng.random(n_kinds) * 0.3, rng.random(n_kinds) * 1.5, rng.random(n_kinds))
    pools = (rng.random(n_pools) * 2.0, rng.random(n_pools) < 0.3)
    group, code_of_kind = rng.integers(0, 2, size).astype(np.int8), rng.integers(0, 3, n_kinds)
    barrier, consent_prob = np.array([EDGE, rng.random()]), float(rng.choice([EDGE, rng.random()]))
    at_edge = rng.random(size) < 0.3
    draws[at_edge, D["u_entitlement"]] = draws[at_edge, D["u_consent"]] = np.float32(EDGE)
    needs_consent = rng.random(n_kinds) < 0.5
    slots = np.array([0, n_slots, n_slots // 2])
    solved, reason = _solvable_numpy(ids, pool, problems, draws, kinds, pools, None)
    want_slots, want_used = slots.copy(), np.zeros(3, np.int64)
    entitled = _entitled_numpy(
        ids, solved, kind, group, draws, (code_of_kind, barrier, want_slots, want_used)
    )
    reason = np.where(solved & ~entitled, 0, reason)
    blocked = needs_consent[kind[ids]] & (draws[ids, D["u_consent"]] < consent_prob)
    if not to_meetings:
        reason = np.where(entitled & blocked, 0, reason)
        entitled = entitled & ~blocked
    used, used_today = np.zeros(3, np.int64), np.zeros(3, np.int64)
    got = closing.verdicts(
        ids, pool, draws, (problems, kinds, pools, np.empty(0), (0, 1, 2)),
        (code_of_kind, barrier, group, slots, used, used_today),
        (needs_consent, consent_prob, to_meetings),
    )  # fmt: skip
    for got_column, wanted in zip(got, (entitled, reason, blocked), strict=True):
        assert np.array_equal(got_column, wanted)
    assert np.array_equal(slots, want_slots) and np.array_equal(used, want_used)
    assert np.array_equal(used_today, want_used)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 25), st.integers(0, 2**32 - 1), st.booleans())
def test_settle_is_record_then_feel_then_learn(n, seed, feels):
    """`closing.settle` leaves every column as `record`, `passes.feel` (when behaviour is
    on) and `people.learn` did one call at a time."""
    rng = np.random.default_rng(seed)
    size, n_people, n_cells = 40, 60, 6
    ids, when_h = rng.permutation(size)[:n], rng.random(min(n, size)) * 500.0
    m = len(ids)
    verdict = (rng.integers(0, 7, m), rng.random(m) < 0.2, rng.random(m), tuple(
        rng.random(m) < 0.5 for _ in range(4)))  # fmt: skip
    solved = rng.random(m) < 0.6
    cell_of_slot = rng.integers(0, n_cells, n_people)
    slots_by_cell = np.argsort(cell_of_slot, kind="stable")
    cell_start = np.searchsorted(cell_of_slot[slots_by_cell], np.arange(n_cells))
    present = rng.random(n_people) < 0.8
    slot = rng.integers(0, n_people, size)

    def columns():
        """Fresh copies of every column the steps touch (the same values each call)."""
        r = np.random.default_rng(seed + 1)
        record_columns = (
            np.zeros(size, np.int8), np.full(size, np.nan), np.full(size, -1, np.int8),
            np.zeros(size, bool), np.full(size, -1, np.int8), np.full(size, -1, np.int8),
            r.integers(0, 3, size).astype(np.int32), r.random(size) < 0.1,
        )  # fmt: skip
        problems = (
            slot,
            r.random(size) < 0.4,
            cell_of_slot[slot].astype(np.int32),
            r.integers(1, 15, size).astype(np.int32),
            r.random(size).astype(np.float32),
        )
        people = (present, r.random(n_people), r.random(n_people))
        cells = (slots_by_cell, cell_start, np.bincount(cell_of_slot[present], minlength=n_cells))
        feel = (problems, people, cells, (0.05, 0.1), np.full(size, np.nan))
        learn = ((slot, r.integers(0, 3, size)), (present, r.random(n_people)), 24.0 + r.random(3),
                 0.2)  # fmt: skip
        return record_columns, feel, learn, r.random(size) * 100.0

    record_columns, feel, learn, known_h = columns()
    recording = (record_columns, rng.random(size).astype(np.float32), (2, 3, 9), 0.4)
    got = closing.settle(ids, when_h, solved, verdict, recording, (feels, feel), (known_h, learn))
    want_columns, want_feel, want_learn, _ = columns()
    reason, exempt, score, rating = verdict
    want = closing.record(ids, when_h, solved, reason, exempt, rating, want_columns,
                          *recording[1:])  # fmt: skip
    if feels and m:
        passes.feel(ids, score, *want_feel)
    people.learn(ids, when_h - known_h[ids], *want_learn)
    assert got[0] == want[0] and np.array_equal(got[1], want[1])
    for a, b in zip(record_columns, want_columns, strict=True):
        assert np.array_equal(a, b, equal_nan=True)
    for a, b in ((feel[1], want_feel[1]), (learn[1], want_learn[1])):
        for x, y in zip(a, b, strict=True):
            assert np.array_equal(x, y, equal_nan=True)
    assert np.array_equal(feel[4], want_feel[4], equal_nan=True)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 40), st.integers(0, 2**32 - 1), st.floats(0.0, 1.0))
@example(40, 0, EDGE)
def test_reworks_are_the_numpy_form(n, seed, prob):
    """`closing.to_rework` compares as numpy did: a float32 draw with a Python float, in
    float32 (draws equal to the probability's float32 included)."""
    rng = np.random.default_rng(seed)
    ids, reworks = rng.integers(0, 50, n), rng.integers(0, 2, 50).astype(np.int8)
    draws = rng.random((50, len(DRAWS))).astype(np.float32)
    draws[rng.random(50) < 0.3, D["u_verify"]] = np.float32(prob)
    expected = (reworks[ids] == 0) & (draws[ids, D["u_verify"]] < prob)
    assert np.array_equal(closing.to_rework(ids, reworks, draws, prob), expected)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 40), st.integers(0, 2**32 - 1))
def test_given_up_is_the_numpy_form(n, seed):
    rng = np.random.default_rng(seed)
    problem = np.where(rng.random(n) < 0.3, -1, rng.integers(0, 20, n))
    abandon_at_h = np.where(rng.random(20) < 0.2, np.inf, rng.random(20) * 48.0)
    abandon_at_h[rng.random(20) < 0.2] = 24.0  # patience running out at t1: given up
    real = problem >= 0
    expected = real & (abandon_at_h[np.where(real, problem, 0)] <= 24.0)
    assert np.array_equal(closing.given_up(problem, abandon_at_h, 24.0), expected)
