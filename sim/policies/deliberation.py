"""议事厅 / 协商议事 deliberation (the 116 method): shared-facility problems that stall without
the owners' consent (lifts, parking, property fees) go to a residents' meeting.

Mechanisms: `services.consent_cases_to_meetings` on: the engine queues a blocked consent case
(and whether handling would have solved it) in `district.programmes.awaiting_deliberation` and
`district.programmes.deliberation_would_solve` instead of closing it.
Calendar hook, start of day (order 40), every `meeting_interval_days` (day 0 included): each
community with waiting cases meets at 19:00 and takes its `cases_per_meeting` oldest;
attendees are drawn without replacement (the `behaviour` stream) from present non-child
residents (and migrants if `migrants_take_part`); a case is solved if its blocking consent
draw, rescaled, is below min(1, `base_success_prob` + `participation_effect` × attendees /
eligible) and handling would have solved it, else closed unsolved (`sim.stages.closure.close`,
which calls it back); attendees' trust moves `participant_trust_gain_share` of the way to 1.
Adds to `district.programmes.meetings_total` and `.meeting_hours_total` (unpaid hours).
No cost entry, no intensity.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import numpy as np
from pydantic import Field

from sim.config.scenario import CityScenario
from sim.config.types import Frozen, PositiveHours, Share
from sim.mechanisms import Mechanisms
from sim.policies.base import Hook, LeverNote, Policy
from sim.stages import closure
from sim.state import D


class DeliberationLevers(Frozen):
    meeting_interval_days: Annotated[int, Field(ge=1, le=365)]
    cases_per_meeting: Annotated[int, Field(ge=1, le=1000)]
    attendees_per_meeting: Annotated[int, Field(ge=1, le=10_000)]
    hours_per_meeting: PositiveHours
    base_success_prob: Share
    participation_effect: Annotated[float, Field(ge=0.0, le=100.0)]
    participant_trust_gain_share: Share
    migrants_take_part: bool


def change(mech: Mechanisms, levers: DeliberationLevers, scenario: CityScenario) -> Mechanisms:
    return replace(mech, services=replace(mech.services, consent_cases_to_meetings=True))


def deliberate(district, levers: DeliberationLevers, day: int) -> None:
    """Each community's meeting takes its oldest consent cases; success rises with
    participation; participants' trust rises whatever the outcome (procedural legitimacy)."""
    if day % levers.meeting_interval_days != 0:
        return
    log, pop = district.log, district.world.population
    waiting = np.asarray(district.programmes.awaiting_deliberation, np.int64)
    if len(waiting) == 0:
        return
    would_solve = np.asarray(district.programmes.deliberation_would_solve, bool)
    still_open = log.status[waiting] == 1  # owners may have left meanwhile
    waiting, would_solve = waiting[still_open], would_solve[still_open]
    community = log.community[waiting]
    taken, solved = [], []
    eligible = pop.present & ((pop.group == 0) | levers.migrants_take_part) & (pop.age_band != 0)
    for c in np.unique(community).tolist():
        here = np.flatnonzero(community == c)[: levers.cases_per_meeting]
        unblocked = _meeting(district, levers, waiting[here], eligible & (pop.community == c))
        taken.extend(waiting[here].tolist())
        solved.extend((unblocked & would_solve[here]).tolist())
    left = ~np.isin(waiting, taken)
    district.programmes.awaiting_deliberation = waiting[left].tolist()
    district.programmes.deliberation_would_solve = would_solve[left].tolist()
    ids = np.asarray(taken, np.int64)
    when_h = 24.0 * district.day + 19.0  # an evening meeting (the district's clock)
    closure.close(district, ids, np.full(len(ids), when_h), np.asarray(solved, bool))


def _meeting(district, levers: DeliberationLevers, cases, eligible) -> np.ndarray:
    """One community's meeting: who attends, their trust, and which cases it unblocks."""
    pop, rng = district.world.population, district.streams["behaviour"]
    people = np.flatnonzero(eligible)
    attendees = (
        rng.choice(people, size=min(levers.attendees_per_meeting, len(people)), replace=False)
        if len(people)
        else people
    )
    participation = len(attendees) / max(len(people), 1)
    success = min(1.0, levers.base_success_prob + levers.participation_effect * participation)
    # the consent draw that blocked the case, rescaled, decides the meeting's outcome
    block = district.scenario.dispatch.consent_block_prob
    u = district.log.draws[cases, D["u_consent"]] / max(block, 1e-12)
    gain = levers.participant_trust_gain_share
    pop.trust[attendees] = np.minimum(1.0, pop.trust[attendees] + gain * (1 - pop.trust[attendees]))
    district.programmes.meetings_total += 1
    district.programmes.meeting_hours_total += len(attendees) * levers.hours_per_meeting
    return u < success


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "meeting_interval_days": LeverNote(
        "议事会间隔天数",
        "Days between residents' meetings (议事会) in each community; cases stalled on owners' con"
        "sent wait for the next",
        "各社区居民议事会的间隔天数; 卡在业主同意上的事项等下一次议事",
    ),
    "cases_per_meeting": LeverNote(
        "每次议题数",
        "Oldest waiting consent cases (lifts, parking, fees) one community meeting takes up",
        "每次议事会处理的最早排队事项数 (加装电梯、停车、物业费等)",
    ),
    "attendees_per_meeting": LeverNote(
        "每次参会人数",
        "Residents attending; more participation (attendees ÷ eligible) raises the chance of"
        " agreement",
        "参会居民人数; 参与度 (参会人数÷有资格居民) 越高, 越易达成一致",
    ),
    "hours_per_meeting": LeverNote(
        "每次会议时长",
        "Unpaid hours each attendee gives; reported, not priced",
        "每位参会居民投入的无偿时长; 只统计, 不计价",
    ),
    "base_success_prob": LeverNote(
        "基础议成概率",
        "Chance a meeting unblocks a case before participation counts; only cases handling would"
        " solve end solved",
        "不计参与度时议事会疏通事项的概率; 只有办理本可解决的事项才算解决",
    ),
    "participation_effect": LeverNote(
        "参与度效应",
        "Rise in that chance per unit of participation (attendees ÷ eligible residents)",
        "参与度 (参会人数÷有资格居民) 每增加1, 议成概率的提高",
    ),
    "participant_trust_gain_share": LeverNote(
        "参会信任提升",
        "Attendees' trust in government moves this share of the way to full, whatever the outcome",
        "参会居民对政府的信任向满值靠近的比例, 无论议事结果如何",
    ),
    "migrants_take_part": LeverNote(
        "流动人口参与议事",
        "Whether non-hukou residents may attend the community's meetings",
        "非户籍居民是否可参加社区议事",
    ),
}


POLICY = Policy(
    name="deliberation",
    levers=DeliberationLevers,
    title_zh="议事厅·协商议事",
    mechanism_en="blocked shared-facility cases go to residents' meetings",
    mechanism_zh="需业主同意的公共事务进入居民议事会协商",
    costs_en="none (unpaid hours)",
    costs_zh="无 (无偿时长)",
    change=change,
    start_of_day=Hook(order=40, run=deliberate),
    lever_notes=NOTES,
)
