"""The first owner of a problem (compiled) is the numpy form it replaced, on varied inputs."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.city import REGIMES
from sim.config.scenario import Route
from sim.handlers import ROUTES, _first_pools, pools_by_place


def _numpy_form(handlers, route, department, street, community, regime) -> np.ndarray:
    pool = np.empty(len(route), np.int64)
    by_route = {
        Route.community: handlers.community_pool[community],
        Route.street_office: handlers.street_pool[street],
        Route.social_org: handlers.social_pool[street],
        Route.department: department,
    }
    for r, target in by_route.items():
        here = route == ROUTES.index(r)
        pool[here] = target[here]
    prop = route == ROUTES.index(Route.property)
    pm, vc = handlers.pm_pool[community], handlers.vc_pool[community]
    choice = np.where(
        (regime == REGIMES.index("property_manager")) & (pm >= 0),
        pm,
        np.where(
            (regime == REGIMES.index("village_collective")) & (vc >= 0),
            vc,
            handlers.community_pool[community],
        ),
    )
    pool[prop] = choice[prop]
    return pool


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 80), st.integers(0, 2**32 - 1))
def test_first_handler_is_the_numpy_form(n, seed):
    rng = np.random.default_rng(seed)
    n_communities, n_streets = 6, 3
    handlers = SimpleNamespace(
        community_pool=rng.integers(0, 50, n_communities),
        street_pool=rng.integers(0, 50, n_streets),
        social_pool=rng.integers(0, 50, n_streets),
        pm_pool=np.where(rng.random(n_communities) < 0.6, rng.integers(0, 50, n_communities), -1),
        vc_pool=np.where(rng.random(n_communities) < 0.5, -1, rng.integers(0, 50, n_communities)),
    )
    route = rng.integers(0, len(ROUTES), n).astype(np.int8)
    department = rng.integers(-1, 50, n)
    street, community = rng.integers(0, n_streets, n), rng.integers(0, n_communities, n)
    regime = rng.integers(0, len(REGIMES), n).astype(np.int8)
    args = (route, department, street, community, regime)
    got = _first_pools(*args, pools_by_place(handlers))
    assert np.array_equal(got, _numpy_form(handlers, *args))
