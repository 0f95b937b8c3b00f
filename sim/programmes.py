"""Policy programmes that run on a calendar: yearly slots, monthly fixes and whistle caps,
contracts that ramp up and end, grid report quotas, and the platform's privacy exposure.

Each function reads the run's `Mechanisms` and changes mechanism state (servers, need-rate
multipliers, slot pools), never an outcome.
"""

from __future__ import annotations

import numpy as np

YEAR_DAYS = 365
MONTH_DAYS = 30


def start_of_day(district, day: int) -> None:
    policies = district.params.policies
    if day % YEAR_DAYS == 0 and (p := policies.migrant_entitlement) is not None:
        district.entitlement_slots[1] = p.school_places_per_year
        district.entitlement_slots[2] = p.housing_slots_per_year
    if day % MONTH_DAYS == 0:
        district.whistles_this_month[:] = 0
        if day > 0 and (p := policies.proactive_governance) is not None and p.fixes_per_month > 0:
            choose_fixes(district, day, p)
    if (p := policies.deliberation) is not None and day % p.meeting_interval_days == 0:
        deliberate(district, day, p)
    if (p := policies.purchase_services) is not None:
        contract_capacity(district, day, p)
    if (p := policies.grid_management) is not None and p.report_quota_per_month > 0:
        trivial_reports(district, day, p)
    if (p := policies.smart_platform) is not None and p.privacy_trust_loss_per_year > 0:
        pop = district.world.population
        pop.trust[pop.present] = np.maximum(
            0.0, pop.trust[pop.present] - p.privacy_trust_loss_per_year / YEAR_DAYS
        )


def choose_fixes(district, day: int, levers) -> None:
    """主动治理: last month's biggest (kind, community) clusters of known problems get a
    root-cause fix that lowers their need rate for `fix_effect_days`."""
    log = district.log
    t1, t0 = 24.0 * day, 24.0 * (day - MONTH_DAYS)
    known = (log.known_h > t0) & (log.known_h <= t1)
    n_communities = district.fix_until_day.shape[1]
    counts = np.bincount(
        log.kind[known].astype(np.int64) * n_communities + log.community[known],
        minlength=district.fix_until_day.size,
    )
    active = district.fix_until_day.ravel() > day
    counts[active] = 0  # a cluster already being fixed is not fixed twice
    top = np.argsort(-counts, kind="stable")[: levers.fixes_per_month]
    top = top[counts[top] > 0]
    district.fix_until_day.ravel()[top] = day + levers.effect_days
    district.fixes_today = len(top)
    district.fixes_total += len(top)


def deliberate(district, day: int, spec) -> None:
    """议事厅: each community's meeting takes its oldest consent cases. Success rises with
    participation; participants' trust rises whatever the outcome (procedural legitimacy)."""
    log, pop = district.log, district.world.population
    waiting = np.asarray(district.awaiting_deliberation, np.int64)
    if len(waiting) == 0:
        return
    would_solve = np.asarray(district.deliberation_would_solve, bool)
    still_open = log.status[waiting] == 1  # owners may have left meanwhile
    waiting, would_solve = waiting[still_open], would_solve[still_open]
    community = log.community[waiting]
    when = 24.0 * day + 19.0  # an evening meeting
    taken, solved = [], []
    rng = district.streams["behaviour"]
    eligible = pop.present & ((pop.group == 0) | spec.migrants_take_part) & (pop.age_band != 0)
    for c in np.unique(community).tolist():
        here = np.flatnonzero(community == c)[: spec.cases_per_meeting]
        cases = waiting[here]
        people = np.flatnonzero(eligible & (pop.community == c))
        attendees = (
            rng.choice(people, size=min(spec.attendees_per_meeting, len(people)), replace=False)
            if len(people)
            else people
        )
        participation = len(attendees) / max(len(people), 1)
        success = min(1.0, spec.base_success_prob + spec.participation_effect * participation)
        # the consent draw that blocked the case, rescaled, decides the meeting's outcome
        block = district.scenario.dispatch.consent_block_prob
        u = log.draws[cases, district.draw_index["u_consent"]] / max(block, 1e-12)
        taken.extend(cases.tolist())
        solved.extend(((u < success) & would_solve[here]).tolist())
        pop.trust[attendees] = np.minimum(
            1.0,
            pop.trust[attendees] + spec.participant_trust_gain_share * (1 - pop.trust[attendees]),
        )
        district.meetings_total += 1
        district.meeting_hours_total += len(attendees) * spec.hours_per_meeting
    left = ~np.isin(waiting, taken)
    district.awaiting_deliberation = waiting[left].tolist()
    district.deliberation_would_solve = would_solve[left].tolist()
    ids = np.asarray(taken, np.int64)
    district.close(ids, np.full(len(ids), when), np.asarray(solved, bool))


def contract_capacity(district, day: int, p) -> None:
    """政府购买服务: contracted social workers ramp up linearly, then leave when it ends;
    a share is borrowed by the street office for its own work."""
    h = district.world.handlers
    contracted = min(p.contract_yuan_per_year / p.yuan_per_social_worker_year, p.max_social_workers)
    if contracted == 0:
        return
    if day < p.contract_days:
        ramp = 1.0 if p.ramp_up_days == 0 else min(1.0, (day + 1) / p.ramp_up_days)
        workers = contracted * ramp
    else:
        workers = 0.0
    district.social_workers_today = workers
    per_street = workers / len(h.social_pool)
    lent = per_street * p.borrowed_staff_share
    planned, base = district.planned_servers, district.base_servers
    planned[h.social_pool] = base[h.social_pool] + round(per_street - lent)
    planned[h.street_pool] = base[h.street_pool] + round(lent)


def trivial_reports(district, day: int, p) -> None:
    """Assessment by report counts: grid workers file trivial reports to meet a quota."""
    h = district.world.handlers
    per_day = district.grid_workers * p.report_quota_per_month / MONTH_DAYS
    n_communities = len(h.community_pool)
    counts = np.full(n_communities, per_day / n_communities)
    whole = np.floor(counts).astype(int)
    rest = round(per_day) - int(whole.sum())
    whole[: max(rest, 0)] += 1  # deterministic apportionment
    pools = np.repeat(h.community_pool, whole)
    n = len(pools)
    if n:
        arrival = np.full(n, 24.0 * day + 9.0)
        district.enqueue_staff_time(pools, arrival, np.full(n, p.trivial_report_h))
    district.trivial_reports_total += n
