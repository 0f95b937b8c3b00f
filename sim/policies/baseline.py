"""基线 baseline: no reform, the reference every policy is compared with.

12345 exists and its orders are relayed through the district to handlers; no monthly
ranking, no whistle. Mechanisms: the scenario's own (`sim.mechanisms.baseline`). No calendar
hook, no budget intensity. Cost entries: none of its own; the standing costs every run books
(staff and grid wages, family service centre contracts, volunteer stipends) are in
`sim.costs`.
"""

from __future__ import annotations

from sim.config.types import Frozen
from sim.policies.base import LeverNote, Policy


class BaselineLevers(Frozen):
    pass


NOTES: dict[str, LeverNote] = {}


POLICY = Policy(
    name="baseline",
    levers=BaselineLevers,
    title_zh="基线",
    mechanism_en="12345 exists; orders relayed through the district; no ranking, no whistle",
    mechanism_zh="有12345热线, 工单经区级转派; 无考核排名, 无吹哨",
    costs_en="wages, contracts",
    costs_zh="工资, 合同",
    lever_notes=NOTES,
)
