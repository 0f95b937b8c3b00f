"""Mesa agent classes: thin views on the model's columns.

People are `Resident` and `Migrant` agents whose attributes read and write the population
columns; handler units are agents whose attributes read their server pool. The daily step
never loops over these objects; they exist for Mesa's tools, notebooks and the page.
"""

from __future__ import annotations

import mesa

from sim.city import LAND_USES
from sim.population import AGE_BANDS


def _column(name: str, doc: str, cast=float):
    def get(self):
        return cast(getattr(self.model.population, name)[self.slot])

    def set_(self, value):
        getattr(self.model.population, name)[self.slot] = value

    return property(get, set_, doc=doc)


class Person(mesa.Agent):
    """One person in one population slot."""

    def __init__(self, model, slot: int):
        super().__init__(model)
        self.slot = int(slot)

    person_id = property(lambda self: int(self.model.population.person_id[self.slot]))
    trust = _column("trust", "trust in government, 0..1 (a probability of being helped)")
    satisfaction = _column("satisfaction", "satisfaction with governance, 0..1")
    expectation_ratio = _column(
        "expectation_ratio", "expected time to close, as a share of the communicated limit"
    )
    employed = _column("employed", "in work", bool)
    owner = _column("owner", "owns the home (else rents)", bool)
    volunteer = _column("volunteer", "an active volunteer today", bool)

    @property
    def tenure(self) -> str:
        return "owner" if self.owner else "renter"

    @property
    def age_band(self) -> str:
        return AGE_BANDS[self.model.population.age_band[self.slot]]

    @property
    def housing(self) -> str:
        return LAND_USES[self.model.population.land_use[self.slot]].value

    @property
    def community(self) -> int:
        return int(self.model.population.community[self.slot])

    @property
    def home(self):
        """The grid cell (a block) the person lives in."""
        cell = int(self.model.population.cell[self.slot])
        return self.model.grid._celllist[cell]

    @property
    def willingness_to_report(self) -> float:
        return float(self.model.willingness_to_report(self.slot))

    @property
    def willingness_to_volunteer(self) -> float:
        return float(self.model.volunteer_propensity(self.slot))


class Resident(Person):
    """户籍居民: a registered resident."""


class Migrant(Person):
    """流动人口: a migrant (non-hukou resident); migrants come and go more often."""


class HandlerUnit(mesa.Agent):
    """A handler unit viewed through its server pool."""

    def __init__(self, model, pool: int):
        super().__init__(model)
        self.pool_index = int(pool)

    @property
    def _pools(self):
        return self.model.world.handlers.pools

    @property
    def name(self) -> str:
        return self._pools.names[self.pool_index]

    @property
    def staff(self) -> float:
        return float(self.model.world.handlers.staff[self.pool_index])

    @property
    def servers(self) -> int:
        return self._pools.servers(self.pool_index)

    @property
    def waiting(self) -> int:
        """Jobs not yet started (including cases still on their way)."""
        return self._pools.waiting(self.pool_index)


class StreetOffice(HandlerUnit):
    """街道办事处."""


class Community(HandlerUnit):
    """社区居委会."""


class SocialOrganization(HandlerUnit):
    """社会组织: a family service centre (家庭综合服务中心)."""


class PropertyManager(HandlerUnit):
    """物业 or village collective (村集体) of one community."""


class Department(HandlerUnit):
    """职能部门: a district-wide functional department."""


HANDLER_AGENT = {
    "community": Community,
    "street_office": StreetOffice,
    "social_org": SocialOrganization,
    "property_manager": PropertyManager,
    "village_collective": PropertyManager,
    "department": Department,
}
