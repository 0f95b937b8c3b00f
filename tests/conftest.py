"""Shared fixtures: small, fast runs through the Python API (the CLI has its own tests)."""

from __future__ import annotations

import pytest

from sim import CityModel, load_params
from sim.runner import simulate

SMALL = ["scenario.population.people=12000", "sim.progress=false"]


def run(policies=("baseline",), days=120, seed=0, overrides=(), scenario="default") -> CityModel:
    params = load_params(scenario, policies, [*SMALL, f"sim.days={days}", *overrides], seed=seed)
    return simulate(params)


ENDINGS = [
    "latent",
    "open",
    "solved_total",
    "closed_unsolved_total",
    "self_resolved_total",
    "abandoned_total",
]


def accounted_for(daily) -> bool:
    """Every problem that arose is in exactly one state, every day."""
    return bool((daily["arisen_total"] == daily[ENDINGS].sum(axis=1)).all())


@pytest.fixture(scope="session")
def baseline_run() -> CityModel:
    return run(days=240)


@pytest.fixture(scope="session")
def baseline_problems(baseline_run):
    return baseline_run.problems().to_pandas()
