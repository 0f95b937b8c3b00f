"""The mechanism values a run's engine works with, in parts, and their baseline values.

Each part is what one stage of a problem's life reads: who can reach which channel
(`access`), how a known problem reaches its first handler (`dispatch`), how it reaches a
department (`referral`), who staffs the offices (`staff`), what grid workers and sensors find
(`grid`), volunteers and party members (`volunteers`), what the monthly ranking's pressure
buys (`accountability`), and the services that contracts, meetings and fixes add
(`services`). `baseline(scenario)` reads the values a scenario starts from; policies
(`sim.policies`) replace parts with changed copies (`dataclasses.replace`). Nothing here
knows a policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.scenario import CityScenario

CHANNELS = ("hotline", "community", "social_org")


@dataclass(frozen=True)
class Access:
    channel_share: dict[str, dict[str, float]]  # group -> channel -> share who can use it
    elderly_hotline_loss_share: float = 0.0  # of the hotline share, lost by the elderly
    publicity_rate_per_year: float = 0.0  # a policy's publicity, added to the scenario's
    migrant_visit_rate_per_year: float = 0.0  # outreach visits per migrant: publicity for them


@dataclass(frozen=True)
class Dispatch:
    hotline_delay_h: float  # mean call-to-handler delay of a hotline order
    urgent_hotline_delay_h: float  # the same for urgent kinds
    misroute_prob: float  # an order goes to the wrong handler and is returned
    return_delay_h: float
    social_org_hotline_dispatch: bool = False  # 12345 dispatches straight to service centres
    accountable_kinds: tuple[str, ...] = ()  # kinds the street office answers for (责任下沉)
    extra_assessment_h: float = 0.0  # street staff time (inspection, ledgers) per such case
    data_entry_h_per_case: float = 0.0  # added to every service
    specialist_kinds: tuple[str, ...] = ()  # kinds of departments whose staff moved down
    specialist_work_share: float = 1.0  # their work at a unit holding moved specialists
    # kind -> share of its local referrals that a stationed officer of its department takes
    # at once (派驻 resource_sinking); a kind not listed goes up the chain
    stationed_share: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Referral:
    coordination_delay_h: float  # mean delay before a department takes an ordinary referral
    needs_department_prob: dict[str, float]  # kind -> share beyond local authority
    whistle: bool = False  # referrals become whistles, up to a monthly cap
    report_deadline_h: float = 0.0  # a summoned department reports within it
    street_evaluates_departments: bool = False  # a whistle goes first in the department's queue
    whistle_staff_h: float = 0.0  # street staff time per whistle
    max_whistles_per_month: int = 0  # per street office


@dataclass(frozen=True)
class Staff:
    street_staff_per_office: float
    community_staff_per_community: float
    community_admin_time_share: float
    street_admin_time_share: float
    department_staff: dict[str, int]  # department -> headcount
    unit_staff_per_community: float = 0.0  # lent by units in the area, unpaid by government
    street_moved_per_office: float = 0.0  # of which moved down from departments (资源下沉)
    community_moved_per_community: float = 0.0
    moved_casework_share: float = 1.0  # share of moved staff's time kept for casework
    contracted_per_office: float = 0.0  # full-time caseworkers bought with moved funds
    moved_to_streets: int = 0  # department staff now working at streets and communities
    moved_wages_yuan_per_day: float = 0.0  # what they keep earning at their department's wage
    funds_moved_yuan_per_year: float = 0.0  # budget moved from the district to the streets
    stationed_staff: float = 0.0  # department staff stationed in the streets (派驻)
    duty_days_per_week: int = 0  # street and community casework days a week (0: office hours)
    duty_close_h: float = 0.0  # and the hour their casework stops (0: office hours)


@dataclass(frozen=True)
class Grid:
    households_per_grid: float  # households per grid worker
    patrol_time_share: float  # the three shares split a grid worker's day
    home_visit_time_share: float
    admin_time_share: float
    report_quota_per_month: int = 0  # trivial reports each grid worker files
    trivial_report_h: float = 0.0  # community staff time per trivial report
    detection_rate_per_day: float = 0.0  # sensors' discovery hazard for visible problems


@dataclass(frozen=True)
class Volunteers:
    stipend_yuan_per_h: float = 0.0  # what volunteers feel as pay (crowding)
    paid_yuan_per_h: float = 0.0  # what the budget pays per volunteer hour
    honour_share: float = 0.0  # strength of recognition (0 none, 1 strongest)
    party_member_share: float = 0.0  # of employed adults, party members with required hours
    party_hours_per_member_month: float = 0.0


@dataclass(frozen=True)
class Accountability:
    rating_lift_share: float = 0.0  # callbacks persuaded at full pressure
    exemption_share: float = 0.0  # unsolved orders exempted at full pressure
    persuasion_contact_h: float = 0.0  # street staff time per persuasion or explanation contact
    explanation_effort_share: float = 0.0  # of unexplained hotline orders, explained at pressure 1
    callback_rework_limit: int = 0  # times a "no" at the callback sends an order back (退回重办)


@dataclass(frozen=True)
class Services:
    social_org_retry_limit: int = 0  # paid by outcome: a centre's further tries of a failed case
    consent_cases_to_meetings: bool = False  # stalled consent cases wait for residents' meetings
    fix_rate_cut_share: float = 0.0  # need-rate cut of a (kind, community) under a fix


@dataclass(frozen=True)
class Mechanisms:
    access: Access
    dispatch: Dispatch
    referral: Referral
    staff: Staff
    grid: Grid
    volunteers: Volunteers
    accountability: Accountability
    services: Services


def baseline(scenario: CityScenario) -> Mechanisms:
    """The mechanism values of a scenario with no policy in force (what only a policy sets
    has its default: off, zero or none)."""
    groups = {"resident": scenario.population.resident, "migrant": scenario.population.migrant}
    dispatch, grid = scenario.dispatch, scenario.grid
    channel_share = {
        name: {c: getattr(spec, f"{c}_access_share") for c in CHANNELS}
        for name, spec in groups.items()
    }
    return Mechanisms(
        access=Access(channel_share=channel_share),
        dispatch=Dispatch(
            hotline_delay_h=dispatch.relay_delay_h,
            urgent_hotline_delay_h=dispatch.relay_delay_h,  # relayed like any other order
            misroute_prob=dispatch.misroute_prob,
            return_delay_h=dispatch.return_delay_h,
        ),
        referral=Referral(
            coordination_delay_h=dispatch.coordination_delay_h,
            needs_department_prob={n: k.needs_department_prob for n, k in scenario.kinds.items()},
        ),
        staff=Staff(
            street_staff_per_office=scenario.street_office.staff_per_unit,
            community_staff_per_community=scenario.community.staff_per_unit,
            community_admin_time_share=scenario.community.admin_time_share,
            street_admin_time_share=scenario.street_office.admin_time_share,
            department_staff={name: d.staff for name, d in scenario.departments.items()},
        ),
        grid=Grid(
            households_per_grid=grid.households_per_grid,
            patrol_time_share=grid.patrol_time_share,
            home_visit_time_share=grid.home_visit_time_share,
            admin_time_share=grid.admin_time_share,
        ),
        volunteers=Volunteers(),
        accountability=Accountability(
            callback_rework_limit=scenario.dispatch.callback_rework_limit
        ),
        services=Services(),
    )
