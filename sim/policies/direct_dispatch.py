"""直派街道·首接负责 direct_dispatch: 12345 orders go straight to the street office, which
becomes the hub; a misrouted order still goes back (as often as before), but is re-dispatched
faster.

Mechanisms: `dispatch.hotline_delay_h` = `dispatch_delay_h` (no relay through the
district), and `urgent_dispatch_delay_h` for urgent kinds (the operator puts an emergency
through while the caller is on the line); `dispatch.return_delay_h` = its `return_delay_h`
(a returned order is re-dispatched faster). No calendar hook, no cost entry (a
reallocation), no intensity.
"""

from __future__ import annotations

from dataclasses import replace

from sim.config.scenario import CityScenario
from sim.config.types import Frozen, Hours
from sim.mechanisms import Mechanisms
from sim.policies.base import LeverNote, Policy


class DirectDispatchLevers(Frozen):
    dispatch_delay_h: Hours
    urgent_dispatch_delay_h: Hours
    return_delay_h: Hours


def change(mech: Mechanisms, levers: DirectDispatchLevers, scenario: CityScenario) -> Mechanisms:
    dispatch = replace(
        mech.dispatch,
        hotline_delay_h=levers.dispatch_delay_h,
        urgent_hotline_delay_h=levers.urgent_dispatch_delay_h,
        return_delay_h=levers.return_delay_h,
    )
    return replace(mech, dispatch=dispatch)


NOTES = {  # what each lever does to which mechanism (en, zh) and its Chinese name
    "dispatch_delay_h": LeverNote(
        "直派街道时长",
        "Mean time from a 12345 call to the street office holding the order, no longer relayed"
        " through the district",
        "12345工单不经区级转派、直接派到街道的平均时长",
    ),
    "urgent_dispatch_delay_h": LeverNote(
        "紧急诉求派单时长",
        "Mean time from a 12345 call to the handler for urgent kinds: the operator puts an"
        " emergency through on the call",
        "紧急类诉求(2小时联系时限)从来电到承办单位的平均时长: 话务员在通话中即转派",
    ),
    "return_delay_h": LeverNote(
        "退单重派时长",
        "Delay a misrouted order adds before it is re-dispatched (baseline 24 h); how often"
        " orders are misrouted is unchanged",
        "派错工单被退回后重新派出所增加的时长 (基线24小时); 派错比例不变",
    ),
}


POLICY = Policy(
    name="direct_dispatch",
    levers=DirectDispatchLevers,
    title_zh="直派街道·首接负责",
    mechanism_en="orders go straight to street offices; the first receiver keeps them",
    mechanism_zh="工单直派街道, 首接负责",
    costs_en="none (reallocation)",
    costs_zh="无 (调配)",
    change=change,
    lever_notes=NOTES,
)
