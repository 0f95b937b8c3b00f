"""The grid city: land use, property regimes, communities and street-office jurisdictions.

Cells are blocks of homes, not single people. The layout is generated from the scenario and
the `city` stream: old town at the centre, urban villages in peripheral clusters, parks and
commercial blocks in patches, estates elsewhere; jurisdictions are Voronoi regions around
office sites, communities Voronoi regions inside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from mesa.discrete_space import OrthogonalMooreGrid
from scipy.ndimage import gaussian_filter

from sim.config.scenario import RESIDENTIAL, CitySpec, LandUse

LAND_USES: tuple[LandUse, ...] = tuple(LandUse)
REGIMES: tuple[str, ...] = ("none", "property_manager", "village_collective")


@dataclass
class CityLayout:
    """Per-cell columns (flat index = x * height + y) and unit sites."""

    width: int
    height: int
    cell_size_km: float
    land_use: np.ndarray  # int8 index into LAND_USES
    regime: np.ndarray  # int8 index into REGIMES
    community: np.ndarray  # int16
    street_office: np.ndarray  # int16
    street_site: np.ndarray  # flat cell index of each street office
    community_site: np.ndarray  # flat cell index of each community's office
    district_site: int  # where departments sit

    @property
    def n_cells(self) -> int:
        return self.width * self.height

    @cached_property  # a layout never changes once built
    def xy(self) -> np.ndarray:
        cells = np.arange(self.n_cells)
        return np.stack([cells // self.height, cells % self.height], axis=1).astype(float)

    @cached_property
    def residential(self) -> np.ndarray:
        codes = [LAND_USES.index(u) for u in RESIDENTIAL]
        return np.isin(self.land_use, codes)


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    field = gaussian_filter(rng.standard_normal(shape), sigma=sigma, mode="wrap")
    return (field - field.mean()) / (field.std() + 1e-12)


def _voronoi(points_xy: np.ndarray, sites_xy: np.ndarray) -> np.ndarray:
    d = ((points_xy[:, None, :] - sites_xy[None, :, :]) ** 2).sum(axis=2)
    return d.argmin(axis=1)


def generate_layout(spec: CitySpec, rng: np.random.Generator) -> CityLayout:
    w, h = spec.width_cells, spec.height_cells
    n = w * h
    xs, ys = np.meshgrid(np.arange(w), np.arange(h), indexing="ij")
    centre = np.array([(w - 1) / 2, (h - 1) / 2])
    dist = np.hypot(xs - centre[0], ys - centre[1]).ravel()
    dist = dist / (dist.max() + 1e-12)
    sigma = max(1.0, min(w, h) / 8)
    noise = {use: _smooth_noise(rng, (w, h), sigma).ravel() for use in LAND_USES}

    counts = {use: round(spec.land_use[use].cell_share * n) for use in LAND_USES}
    counts[LandUse.estate] = n - sum(c for u, c in counts.items() if u != LandUse.estate)
    land_use = np.full(n, LAND_USES.index(LandUse.estate), np.int8)
    free = np.ones(n, bool)
    scores = {
        LandUse.old_town: dist + 0.15 * noise[LandUse.old_town],
        LandUse.urban_village: -dist + 0.35 * noise[LandUse.urban_village],
        LandUse.public: noise[LandUse.public],
        LandUse.commercial: noise[LandUse.commercial] + 0.5 * dist,
    }
    for use, score in scores.items():
        take = max(0, min(counts[use], int(free.sum())))
        candidates = np.flatnonzero(free)
        chosen = candidates[np.argsort(score[candidates], kind="stable")[:take]]
        land_use[chosen] = LAND_USES.index(use)
        free[chosen] = False

    regime = _property_regimes(spec, land_use, rng)
    xy = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(float)
    street_site = rng.choice(n, size=spec.street_offices, replace=False)
    street = _voronoi(xy, xy[street_site]).astype(np.int16)
    community, community_site = _communities(spec, xy, street, rng)
    return CityLayout(
        width=w,
        height=h,
        cell_size_km=spec.cell_size_km,
        land_use=land_use,
        regime=regime,
        community=community,
        street_office=street,
        street_site=np.asarray(street_site, np.int64),
        community_site=np.asarray(community_site, np.int64),
        district_site=int(np.argmin(dist)),
    )


def _property_regimes(spec: CitySpec, land_use: np.ndarray, rng) -> np.ndarray:
    """Each block's property regime: a property manager, a village collective, or none."""
    u = rng.random(len(land_use))
    regime = np.zeros(len(land_use), np.int8)
    for code, use in enumerate(LAND_USES):
        spec_use = spec.land_use[use]
        here = land_use == code
        pm = here & (u < spec_use.property_manager_share)
        vc = here & ~pm & (u < spec_use.property_manager_share + spec_use.village_collective_share)
        regime[pm] = REGIMES.index("property_manager")
        regime[vc] = REGIMES.index("village_collective")
    return regime


def _communities(spec: CitySpec, xy: np.ndarray, street: np.ndarray, rng):
    """Communities as Voronoi cells of random sites within each street office's area."""
    community = np.empty(len(street), np.int16)
    community_site: list[int] = []
    for s in range(spec.street_offices):
        cells = np.flatnonzero(street == s)
        k = min(spec.communities_per_street_office, len(cells))
        sites = rng.choice(cells, size=k, replace=False)
        community[cells] = len(community_site) + _voronoi(xy[cells], xy[sites])
        community_site.extend(sites.tolist())
    return community, community_site


def build_grid(layout: CityLayout, random) -> OrthogonalMooreGrid:
    """The Mesa grid with the layout as property layers (for the page and for notebooks)."""
    grid = OrthogonalMooreGrid((layout.width, layout.height), torus=False, random=random)
    shape = (layout.width, layout.height)
    for name, values in (
        ("land_use", layout.land_use),
        ("regime", layout.regime),
        ("community", layout.community),
        ("street_office", layout.street_office),
    ):
        layer = grid.create_property_layer(name, default_value=0, dtype=int)
        layer.data[:] = values.reshape(shape)
    return grid
