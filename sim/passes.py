"""One pass over people's columns where numpy would take several: compiled loops (numba).

Each loop walks the slots in order and does, per slot, the same floating-point operations
as the numpy expressions it replaces, so its results are bit for bit the same (sums are
added in slot order, as `np.bincount` adds them). Compiled once and cached on disk
(`cache=True`): a run loads them, it does not compile them.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.clock import DAYS_PER_YEAR

N_GROUPS = 2  # resident, migrant


@numba.njit(cache=True, nogil=True)
def people_by_group(group, present, satisfaction, trust, aware):
    """For each group's present slots: how many, and their sums of satisfaction, trust and
    awareness (the daily table's means), in slot order."""
    count = np.zeros(N_GROUPS, np.int64)
    satisfied = np.zeros(N_GROUPS)
    trusting = np.zeros(N_GROUPS)
    aware_n = np.zeros(N_GROUPS)
    for i in range(len(group)):
        if present[i]:
            g = group[i]
            count[g] += 1
            satisfied[g] += satisfaction[i]
            trusting[g] += trust[i]
            aware_n[g] += aware[i]
    return count, satisfied, trusting, aware_n


@numba.njit(cache=True, nogil=True)
def due_between(times_h, t0_h, t1_h):
    """Slots whose time is in (t0_h, t1_h], in slot order (`np.flatnonzero` of the test):
    one pass, into room for all (only the pages written are touched)."""
    out = np.empty(len(times_h), np.int64)
    n = 0
    for i in range(len(times_h)):
        if t0_h < times_h[i] <= t1_h:
            out[n] = i
            n += 1
    return out[:n].copy()


@numba.njit(cache=True, nogil=True)
def due_among(slots, times_h, t0_h, t1_h):
    """The slots of `slots` whose time is in (t0_h, t1_h], sorted, each once (`np.unique`
    of those `slots`)."""
    due = np.empty(len(slots), np.int64)
    n = 0
    for s in slots:
        if t0_h < times_h[s] <= t1_h:
            due[n] = s
            n += 1
    due = np.sort(due[:n])
    m = 0
    for i in range(n):
        if i == 0 or due[i] != due[m - 1]:
            due[m] = due[i]
            m += 1
    return due[:m].copy()


@numba.njit(cache=True, nogil=True)
def take_places(slots, thresholds, start_hazard, columns):
    """Newcomers' awareness (`awareness._take_places`): threshold[slots] = `thresholds`,
    hazard[slots] = their group's `start_hazard`, aware[slots] = hazard ≥ threshold, each
    a pass in turn as numpy's (a slot taken twice keeps its last threshold). `columns` is
    people's (group, threshold, hazard, aware)."""
    group, threshold, hazard, aware = columns
    for i in range(len(slots)):
        threshold[slots[i]] = thresholds[i]
    for i in range(len(slots)):
        hazard[slots[i]] = start_hazard[group[slots[i]]]
    for i in range(len(slots)):
        aware[slots[i]] = hazard[slots[i]] >= threshold[slots[i]]


@numba.njit(cache=True, nogil=True)
def add_in_order(values, slot, change):
    """values[slot] += change, one by one in order (`np.add.at`, without its overhead)."""
    for i in range(len(slot)):
        values[slot[i]] += change[i]


@numba.njit(cache=True, nogil=True)
def keep_rows(keep, ids, a, b):
    """Move the rows where `keep` is true of `ids` and of the 2-d `a` and `b` up in place, in
    order (`x[keep]` of each, written over their first rows); returns how many."""
    n = 0
    for i in range(len(keep)):
        if keep[i]:
            ids[n] = ids[i]
            for j in range(a.shape[1]):
                a[n, j] = a[i, j]
            for j in range(b.shape[1]):
                b[n, j] = b[i, j]
            n += 1
    return n


@numba.njit(cache=True, nogil=True)
def set_present(present, present_by_cell, cell, slots, value):
    """present[slots] = value, each cell's count of those present following each change."""
    change = 1 if value else -1
    for s in slots:
        if present[s] != value:
            present[s] = value
            present_by_cell[cell[s]] += change


@numba.njit(cache=True, nogil=True)
def move_toward(values, slot, score, share):
    """values[slot] move a `share` of the way toward `score` (changes from the values before
    any move, added in order as `np.add.at` adds them), then clipped to 0..1; returns the
    changes."""
    change = np.empty(len(slot))
    for i in range(len(slot)):
        change[i] = share * (score[i] - values[slot[i]])
    for i in range(len(slot)):
        values[slot[i]] += change[i]
    for i in range(len(slot)):
        values[slot[i]] = min(max(values[slot[i]], 0.0), 1.0)
    return change


@numba.njit(cache=True, nogil=True, inline="always")
def kth_present(slots_by_cell, present, start, k):
    """The k-th (from 0) present person of `slots_by_cell` from position `start` on (the
    caller knows there are more than k)."""
    j = start
    while not present[slots_by_cell[j]] or k > 0:
        k -= present[slots_by_cell[j]]
        j += 1
    return slots_by_cell[j]


@numba.njit(cache=True, nogil=True)
def neighbours(slots_by_cell, present, start, n_present, others, first, owner):
    """For each problem i: the first `others[i]` present people of its cell other than its
    owner, counting from its `first[i]`-th present person on (wrapping around the cell);
    the cell's slots begin at start[i] in `slots_by_cell`. Returns (i, slot) pairs in
    order."""
    which = np.empty(others.sum(), np.int64)
    slot = np.empty(others.sum(), np.int64)
    here = np.empty(n_present.max() if len(n_present) else 0, np.int64)
    n = 0
    for i in range(len(start)):
        m, j = 0, start[i]
        while m < n_present[i]:  # the cell's present people, in slot order
            here[m] = slots_by_cell[j]
            m += present[slots_by_cell[j]]
            j += 1
        kept = 0
        for j in range(others[i] + 1):  # one spare in case the owner is among them
            if kept == others[i]:
                break
            person = here[(first[i] + j) % max(n_present[i], 1)]
            if person != owner[i]:
                which[n], slot[n] = i, person
                n, kept = n + 1, kept + 1
    return which[:n], slot[:n]


@numba.njit(cache=True, nogil=True)
def affected_neighbours(ids, problems, cells, present):
    """The present people of each shared problem's block it affected besides its owner:
    n_affected − 1 of them (at most all present), consecutive in slot order from a place
    set by the problem's own draw `u_affected` (common random numbers). `problems` is the
    log's (slot, cell, n_affected, u_affected) columns, `cells` (slots_by_cell, cell_start,
    present_by_cell: each cell's count of people present, kept as they come and go).
    Returns (index into `ids`, slot) pairs."""
    slot, cell, n_affected, u_affected = problems
    slots_by_cell, cell_start, present_by_cell = cells
    start, n_present = cell_start[cell[ids]], present_by_cell[cell[ids]]
    others = np.maximum(np.minimum(n_affected[ids] - 1, n_present - 1), 0)
    first = np.empty(len(ids), np.int64)
    for i in range(len(ids)):
        first[i] = np.int64(np.float64(u_affected[ids[i]]) * n_present[i])
    return neighbours(slots_by_cell, present, start, n_present, others, first, slot[ids])


@numba.njit(cache=True, nogil=True, inline="always")
def community_sums(community, present, x, y, n_communities):
    """For each community, over its present slots: how many, and the sums of x and of y, in
    slot order. Slots come in runs of one community: a run's sums are carried in registers
    and stored when it ends (the same additions in the same order as adding into the
    arrays slot by slot, at a third of the time)."""
    count = np.zeros(n_communities, np.int64)
    x_sum, y_sum = np.zeros(n_communities), np.zeros(n_communities)
    here, k, sx, sy = -1, 0, 0.0, 0.0
    for i in range(len(community)):
        if present[i]:
            c = community[i]
            if c != here:
                if here >= 0:
                    count[here], x_sum[here], y_sum[here] = k, sx, sy
                here, k, sx, sy = c, count[c], x_sum[c], y_sum[c]
            k += 1
            sx += x[i]
            sy += y[i]
    if here >= 0:
        count[here], x_sum[here], y_sum[here] = k, sx, sy
    return count, x_sum, y_sum


@numba.njit(cache=True, nogil=True)
def spread_awareness(
    community, group, present, aware, satisfaction, hazard, threshold, expectation_ratio,
    willing, rates, group_gain,
):  # fmt: skip
    """A day of hearing of the hotline over the present slots (`awareness.spread`): each
    community's aware share A_c and mean satisfaction S_c (sums in slot order), exposure
    H ← H × kept + (p + q × A_c × S_c) / 365 + g_group, awareness H ≥ threshold, and the
    expectation ratio of those aware pulled a share `pull` toward the promised one. `rates` is
    (communities, p per year, q per year, kept, pull, promised ratio); `group_gain` is g by
    group, a day (outreach visits to migrants; 0 adds nothing, bit for bit). Returns, by
    group, the present people, those aware, and the sum of their `willing` in slot order (the
    calls stage's hotline reach: nothing it reads changes later in the day)."""
    n_communities, publicity, word_of_mouth_rate, kept, pull, promised = rates
    people, aware_n, satisfied = community_sums(
        community, present, aware, satisfaction, n_communities
    )
    gain = np.empty(n_communities)
    for c in range(n_communities):
        n = max(people[c], 1)
        word_of_mouth = aware_n[c] / n * satisfied[c] / n
        gain[c] = (publicity + word_of_mouth_rate * word_of_mouth) / DAYS_PER_YEAR
    # the reach's sums by group (0 resident, 1 migrant) in registers, added without a branch
    # (a select adds +0.0, which changes no sum of values >= 0): 1/3 of the time of a pass
    people_0 = people_1 = aware_0 = aware_1 = 0
    willing_0 = willing_1 = 0.0
    for i in range(len(community)):
        if present[i]:
            g = group[i]
            hazard[i] = hazard[i] * kept + gain[community[i]] + group_gain[g]
            knows = hazard[i] >= threshold[i]
            aware[i] = knows
            ratio = expectation_ratio[i]
            pulled = ratio + pull * (promised - ratio)
            expectation_ratio[i] = pulled if knows else ratio  # a select, not a branch
            migrant = g == 1
            people_1 += migrant
            people_0 += not migrant
            knows_1 = knows and migrant
            knows_0 = knows and not migrant
            aware_1 += knows_1
            aware_0 += knows_0
            w = willing[i]
            willing_0 += w if knows_0 else 0.0
            willing_1 += w if knows_1 else 0.0
    return (
        np.array([people_0, people_1]), np.array([aware_0, aware_1]),
        np.array([willing_0, willing_1]),
    )  # fmt: skip


@numba.njit(cache=True, nogil=True)
def pull_to_community_mean(community, present, values, n_communities, share):
    """values of the present slots move a `share` of the way toward their community's mean
    over its present slots (sums in slot order, as `np.bincount` adds them, carried through
    each run of a community by `community_sums`; every move from the values before any)."""
    count, total, _ = community_sums(community, present, values, values, n_communities)
    mean = total / np.maximum(count, 1)
    for i in range(len(community)):
        if present[i]:
            values[i] += share * (mean[community[i]] - values[i])


@numba.njit(cache=True, nogil=True)
def volunteering(community, present, age_band, employed, draws, propensity, rates):
    """Who volunteers this week and the hours given (`staffing.update_volunteers`): present
    non-children whose `u_volunteer` is below their propensity, at the weekly hours of the
    employed or not over 7; in-service party members (present, employed, `u_party` below
    the share) at their hours a day. `draws` is (u_volunteer, u_party); `rates` is
    (communities, child code, weekly hours employed, not employed, party share, party hours
    a day). Returns (volunteer, hours, party hours, and by community: the hours of both in
    slot order, volunteers, present people)."""
    u_volunteer, u_party = draws
    n_communities, child, week_employed, week_other, party_share, party_day = rates
    n = len(community)
    volunteer = np.empty(n, np.bool_)  # every slot is written below
    hours, party = np.empty(n), np.empty(n)
    by_community = np.zeros(int(n_communities))
    volunteers = np.zeros(int(n_communities), np.int64)
    people = np.zeros(int(n_communities), np.int64)
    # a run of one community's slots adds in registers, stored when it ends (the same
    # additions in the same order as adding into the arrays slot by slot); the tests are
    # `&` of every term, not `and`, whose branches on random slots took half the time
    here, given, active, present_n = -1, 0.0, 0, 0
    for i in range(n):
        c = community[i]
        if c != here:
            if here >= 0:
                by_community[here], volunteers[here], people[here] = given, active, present_n
            here, given, active, present_n = c, by_community[c], volunteers[c], people[c]
        here_i = present[i]
        gives = here_i & (age_band[i] != child) & (u_volunteer[i] < propensity[i])
        weekly = week_employed if employed[i] else week_other
        hours_i = weekly / 7.0 if gives else 0.0
        member = here_i & employed[i] & (u_party[i] < party_share)
        party_i = party_day if member else 0.0
        volunteer[i], hours[i], party[i] = gives, hours_i, party_i
        given += hours_i + party_i
        active += gives
        present_n += here_i
    if here >= 0:
        by_community[here], volunteers[here], people[here] = given, active, present_n
    return volunteer, hours, party, by_community, volunteers, people


@numba.njit(cache=True, nogil=True)
def feel(ids, score, problems, people, cells, shares, satisfaction_change):
    """`people.feel` in one call: owners present move trust, then satisfaction, toward their
    case's `score` (`move_toward`), their satisfaction's change logged (NaN for the absent);
    then the neighbours each shared case affected (`neighbours`) move the same way.
    `problems` is the log's (slot, shared, cell, n_affected, u_affected) columns, `people`
    (present, trust, satisfaction), `cells` (slots_by_cell, cell_start, present_by_cell), `shares`
    (trust, satisfaction)."""
    slot, shared, cell, n_affected, u_affected = problems
    present, trust, satisfaction = people
    owner = slot[ids]
    here = np.empty(len(ids), np.bool_)
    for i in range(len(ids)):
        here[i] = present[owner[i]]
    move_toward(trust, owner[here], score[here], shares[0])
    change = move_toward(satisfaction, owner[here], score[here], shares[1])
    satisfaction_change[ids] = np.nan
    satisfaction_change[ids[here]] = change
    is_shared = shared[ids]
    if not is_shared.any():
        return
    which, neighbour = affected_neighbours(
        ids[is_shared], (slot, cell, n_affected, u_affected), cells, present
    )
    their_score = score[is_shared][which]
    move_toward(trust, neighbour, their_score, shares[0])
    move_toward(satisfaction, neighbour, their_score, shares[1])
