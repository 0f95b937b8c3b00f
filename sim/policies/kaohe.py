"""考核排名 kaohe: the monthly three-rate ranking of street offices and the pressure it sets.

Mechanisms: `accountability.rating_lift_share`, `exemption_share`, `persuasion_contact_h`
and `explanation_effort_share` become the levers'; the callback now sends an order rated
unresolved back to its handler (退回重办) up to `callback_rework_limit` times (the scenario's
own limit, 0 before the reform, if higher).
Pressure (0 none .. 1 full) reallocates staff time: it moves up to
`casework_shift_share` of the street office's and its communities' other-duty time (admin,
campaigns, top-down tasks) to the office's casework as a whole (`staffing.pressed_capacity`),
gives pressed hotline orders queue priority (a separate draw), has handlers explain more
hotline orders before the callback (政策解释: `explanation_effort_share` of the unexplained at
pressure 1, each a contact of street staff time; an explained, unsolved case may be rated
resolved by a caller who accepts it, §7.12), and, only if their levers are set, sends
persuasion contacts before callbacks and exempts unsolved hotline orders. Real
outcomes are never set.
Calendar hook, end of day (order 10), on days 29, 59, 89, …: every street office is scored
on its hotline orders closed in the past 30 days (response rate: contacted within the
contact deadline; rated resolution and satisfaction rates from callbacks, exempted orders
left out), weighted by the three normalised weights; pressure rises with the score's gap
below `target_score_share` (full at `full_pressure_gap_share`), and the `summoned_offices`
worst-ranked are summoned (约谈), adding `summons_pressure_share` for the next month. Reads
`district.log`,
writes `district.pressure` and `district.staffing.pressed_capacity`.
A duty rota ("5+2, 白+黑": weekends and evenings) extends the street offices' and communities'
casework to `duty_days_per_week` days until `duty_close_h` (`staff.duty_…`, their clocks),
for every office from the start: the ranking's rule, not one office's pressure.
Cost entries: (order 15) the other duties' hours displaced; (order 16) the staff-days the duty
rota works beyond office hours; both shadow-priced at the staff's wage (`Ledger.shadow`,
unpaid, apart from spending). No intensity.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import numpy as np
from pydantic import Field, model_validator

from sim.clock import DAYS_PER_MONTH
from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Hours, Share, Weight10
from sim.handlers import H_COMMUNITY, clock_of
from sim.mechanisms import Mechanisms
from sim.policies.base import CostEntry, Hook, LeverNote, Policy
from sim.records import HOTLINE, ProblemLog


class KaoheLevers(Frozen):
    response_weight: Weight10  # relative weights, normalised in use
    resolution_weight: Weight10
    satisfaction_weight: Weight10
    rating_lift_share: Share
    exemption_share: Share
    persuasion_contact_h: Hours
    explanation_effort_share: Share  # of unexplained orders explained at pressure 1
    target_score_share: Share  # the weighted score every street office is held to
    full_pressure_gap_share: Annotated[
        float, Field(gt=0.0, le=1.0)
    ]  # gap below target at pressure 1
    summoned_offices: Annotated[int, Field(ge=0, le=1000)]  # worst-ranked summoned each month
    summons_pressure_share: Share  # pressure added for the month after a summons
    casework_shift_share: Share  # share of other-duty time moved to casework at pressure 1
    callback_rework_limit: Annotated[int, Field(ge=0, le=2)]  # 退回重办 of orders rated unresolved
    duty_days_per_week: Annotated[int, Field(ge=0, le=7)]  # 5+2: casework days (0: office's)
    duty_close_h: Annotated[float, Field(ge=0.0, le=24.0)]  # 白+黑: casework until (0: office's)

    @model_validator(mode="after")
    def _some_weight(self) -> KaoheLevers:
        if self.response_weight + self.resolution_weight + self.satisfaction_weight <= 0:
            raise ValueError("the three rate weights must not all be 0")
        return self


def change(mech: Mechanisms, levers: KaoheLevers, scenario: CityScenario) -> Mechanisms:
    accountability = replace(
        mech.accountability,
        rating_lift_share=levers.rating_lift_share,
        exemption_share=levers.exemption_share,
        persuasion_contact_h=levers.persuasion_contact_h,
        explanation_effort_share=levers.explanation_effort_share,
        callback_rework_limit=max(
            mech.accountability.callback_rework_limit, levers.callback_rework_limit
        ),
    )
    staff = replace(
        mech.staff,
        duty_days_per_week=levers.duty_days_per_week,
        duty_close_h=levers.duty_close_h,
    )
    return replace(mech, accountability=accountability, staff=staff)


def monthly_rates(log: ProblemLog, n_streets: int, t0_h: float, t1_h: float) -> np.ndarray:
    """(n_streets x 3) response, rated resolution and rated satisfaction rates; NaN if none."""
    closed = log.closed_h
    month = (log.channel == HOTLINE) & (closed > t0_h) & (closed <= t1_h)
    ids = np.flatnonzero(month)
    street = log.street_office[ids]
    on_time = (log.responded_h[ids] - log.known_h[ids]) <= log.contact_deadline_h[ids]
    called = log.rated_resolved[ids] >= 0
    rates = np.full((n_streets, 3), np.nan)
    for s in range(n_streets):
        here = street == s
        if here.any():
            rates[s, 0] = on_time[here].mean()
        rated = here & called
        if rated.any():
            rates[s, 1] = (log.rated_resolved[ids][rated] == 1).mean()
            rates[s, 2] = (log.rated_satisfied[ids][rated] == 1).mean()
    return rates


def scores(rates: np.ndarray, weights: tuple[float, float, float]) -> np.ndarray:
    """Weighted score per street office; a missing rate takes the mean over offices."""
    filled = np.where(np.isnan(rates), np.nanmean(rates, axis=0, keepdims=True), rates)
    filled = np.nan_to_num(filled, nan=0.0)
    # term by term, not `@`: a BLAS dot product adds in an order that depends on the CPU
    return sum(filled[:, i] * w for i, w in enumerate(weights))


def pressure_from_scores(score: np.ndarray, levers: KaoheLevers) -> np.ndarray:
    """Pressure from the gap below the target, plus a summons for the worst-ranked."""
    gap = np.clip((levers.target_score_share - score) / levers.full_pressure_gap_share, 0.0, 1.0)
    worst = np.argsort(score, kind="stable")[: levers.summoned_offices]
    gap[worst] += levers.summons_pressure_share
    return np.minimum(gap, 1.0)


def pressed_capacity(district, levers: KaoheLevers) -> np.ndarray:
    """Servers moved from other duties to casework, per pool: own staff (not those moved down,
    whose time the policy moving them sets) x the other-duty share in force (after
    responsibility sinking or burden reduction) x `casework_shift_share` x pressure of the
    pool's street office."""
    handlers, layout = district.world.handlers, district.world.layout
    pressed = np.zeros(handlers.n)
    own = handlers.staff - handlers.moved_staff
    shift = levers.casework_shift_share * district.pressure
    pools = handlers.street_pool
    pressed[pools] = own[pools] * district.mech.staff.street_admin_time_share * shift
    pools = handlers.community_pool
    street = layout.street_office[layout.community_site]
    pressed[pools] = own[pools] * district.mech.staff.community_admin_time_share * shift[street]
    return pressed


def rank_streets(district, levers: KaoheLevers, day: int) -> None:
    if (day + 1) % DAYS_PER_MONTH != 0:
        return
    t1 = 24.0 * (district.day + 1)  # the district's clock
    rates = monthly_rates(district.log, len(district.pressure), t1 - 24.0 * DAYS_PER_MONTH, t1)
    raw = (levers.response_weight, levers.resolution_weight, levers.satisfaction_weight)
    score = scores(rates, tuple(w / sum(raw) for w in raw))
    district.pressure[:] = pressure_from_scores(score, levers)
    district.staffing.pressed_capacity[:] = pressed_capacity(district, levers)


def book_displaced_hours(ledger, district, levers: KaoheLevers) -> None:
    """Other duties' staff-days displaced to casework today, at each office's wage; a
    shadow price, apart from spending."""
    handlers = district.world.handlers
    pressed = district.staffing.pressed_today
    for pool in np.flatnonzero(pressed > 0):
        item = (
            "displaced_community_staff"
            if handlers.kind[pool] == H_COMMUNITY
            else ("displaced_street_staff")
        )
        ledger.shadow(
            handlers.payer[pool], item, pressed[pool], handlers.wage_yuan_per_staff_day[pool]
        )


def book_duty_overtime(ledger, district, levers: KaoheLevers) -> None:
    """Street and community staff-days worked beyond office hours by the duty rota today
    (servers × extra hours ÷ the office's day), at their wage; unpaid, so a shadow price."""
    handlers, scenario = district.world.handlers, district.scenario
    weekday = district.day % 7
    for pools, spec, item in (
        (handlers.street_pool, scenario.street_office, "duty_overtime_street"),
        (handlers.community_pool, scenario.community, "duty_overtime_community"),
    ):
        office = clock_of(spec.office_hours)
        duty = handlers.pools.clocks[pools[0]]
        extra_h = _open_h(duty, weekday) - _open_h(office, weekday)
        if extra_h <= 0:
            continue
        servers = float(sum(handlers.pools.capacity(int(p)) for p in pools))
        staff_days = servers * extra_h / office.open_per_day_h
        ledger.shadow(handlers.payer[pools[0]], item, staff_days, spec.wage_yuan_per_staff_day)


def _open_h(office, weekday: int) -> float:
    return office.open_per_day_h if weekday < office.days_per_week else 0.0


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "response_weight": LeverNote(
        "响应率权重",
        "Weight of the response rate (caller contacted within the time limit) in the monthly 三率"
        " score",
        "月度三率考核中响应率 (限时联系诉求人) 的权重",
    ),
    "resolution_weight": LeverNote(
        "解决率权重",
        "Weight of the rated resolution rate (from the 12345 callback) in the monthly score",
        "月度考核中回访解决率的权重",
    ),
    "satisfaction_weight": LeverNote(
        "满意率权重",
        "Weight of the rated satisfaction rate (from the 12345 callback) in the monthly score",
        "月度考核中回访满意率的权重",
    ),
    "rating_lift_share": LeverNote(
        "回访前说服比例",
        "Gaming (default 0): share of 'no' callbacks persuaded into a 'yes' at full pressure;"
        " real outcomes unchanged",
        "应付考核 (默认0): 满压力下回访前做诉求人工作、把不满意变成满意的比例; 实际结果不变",
    ),
    "exemption_share": LeverNote(
        "申请免考核比例",
        "Gaming (default 0): share of unsolved cases exempted from the ranking at full pressure;"
        " they get no callback",
        "应付考核 (默认0): 满压力下未解决工单申请免考核的比例; 免考核工单不回访",
    ),
    "persuasion_contact_h": LeverNote(
        "每次沟通工时",
        "Street-office staff hours of each contact before the callback: an added explanation, or"
        " persuasion (if lifting)",
        "回访前每次沟通(增加的政策解释, 或说服比例大于0时的做工作)占用的街道人员工时",
    ),
    "explanation_effort_share": LeverNote(
        "压力下解释比例",
        "Share of unexplained hotline orders explained at full pressure, a contact each; callers"
        " may accept them as resolved",
        "满压力下, 原本不作解释即办结的热线工单中补做政策解释的比例; 每次占一次沟通工时;"
        " 未解决但解释到位的工单, 来电人可能认可为已解决",
    ),
    "target_score_share": LeverNote(
        "考核目标分",
        "Weighted three-rate score every street office is held to; the further below it, the more"
        " pressure",
        "每个街道须达到的三率加权得分; 低于目标越多, 压力越大",
    ),
    "full_pressure_gap_share": LeverNote(
        "满压力差距",
        "Score gap below the target at which pressure is full; smaller means pressure bites sooner",
        "得分低于目标多少时压力达到满值; 越小, 压力来得越快",
    ),
    "summoned_offices": LeverNote(
        "每月约谈街道数",
        "Worst-scored street offices summoned by district leaders (约谈) each month",
        "每月被区领导约谈的排名末位街道数",
    ),
    "summons_pressure_share": LeverNote(
        "约谈追加压力",
        "Pressure added to a summoned street office for the following month (pressure at most 1)",
        "被约谈街道下个月追加的压力 (压力最高为1)",
    ),
    "casework_shift_share": LeverNote(
        "抽调办件比例",
        "Share of street and community staff's other-duty time (ledgers, campaigns) moved to"
        " casework at full pressure",
        "满压力下街道和社区人员从台账、专项活动等其他工作抽调到办件的时间比例",
    ),
    "callback_rework_limit": LeverNote(
        "退回重办次数",
        "Times an order rated 'not resolved' at the callback goes back to its handler for another"
        " attempt (退回重办)",
        "回访为未解决的工单退回原承办单位重新办理的最多次数 (退回重办)",
    ),
    "duty_days_per_week": LeverNote(
        "每周值班天数",
        "Days a week street offices and communities work cases under the duty rota (5+2); 0 keeps"
        " office days",
        "街道和社区值班办件的每周天数 (5+2); 0为保持原办公日",
    ),
    "duty_close_h": LeverNote(
        "值班截止钟点",
        "Hour street and community casework stops under the duty rota (白+黑); 0 keeps office hour"
        "s; overtime shadow-priced",
        "值班办件每天截止的钟点 (白+黑); 0为保持原下班时间; 加班按工资影子计价",
    ),
}


POLICY = Policy(
    name="kaohe",
    levers=KaoheLevers,
    title_zh="考核排名",
    mechanism_en=(
        "monthly three-rate score of streets against a target, summons of the worst; pressure"
        " moves staff time from other duties to casework and gives hotline orders priority;"
        " weekend and evening duty (5+2, 白+黑); orders rated unresolved sent back (退回重办)"
    ),
    mechanism_zh=(
        "每月三率得分对照目标, 约谈排名末位; 压力把人员从其他工作抽调到办件, 热线工单优先;"
        " 5+2、白+黑值班; 未解决工单退回重办"
    ),
    costs_en="staff time moved from other duties and unpaid duty overtime (shadow-priced at"
    " wages, apart from spending)",
    costs_zh="从其他工作抽调的人员时间和无偿值班加班 (按工资影子定价, 不计入支出)",
    change=change,
    end_of_day=Hook(order=10, run=rank_streets),
    costs=(
        CostEntry(order=15, book=book_displaced_hours),
        CostEntry(order=16, book=book_duty_overtime),
    ),
    lever_notes=NOTES,
)
