"""What `govsim validate` runs, and running it: fresh model runs in a process pool.

Each job returns only the tables its checks read, so results are computed from the current
model every time, never from stored numbers, and are the same for the same seeds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.policies import PRICED
from sim.validation.references import STIPENDS_YUAN_PER_H

SERVERS = 5  # the textbook queue's three load points: c = 5, μ = 1 / h, ρ = 0.6, 0.8, 0.9
SERVICE_RATE_PER_H = 1.0
ARRIVAL_RATES_PER_H = (3.0, 4.0, 4.5)
ARMS = ("baseline", "reform_2019")
_PROBLEM_COLUMNS = [
    "kind",
    "group",
    "channel",
    "handler",
    "status",
    "arisen_h",
    "known_h",
    "responded_h",
    "closed_h",
    "contact_deadline_h",
    "closure_deadline_h",
    "rated_resolved",
    "rated_satisfied",
]


@dataclass(frozen=True)
class Plan:
    """How much to run: seeds for the district runs, years of the Beijing comparison, days of
    the textbook and volunteer runs, and an optional smaller district (tests only)."""

    seeds: tuple[int, ...] = (0, 1, 2)
    years: int = 4
    textbook_seeds: int = 6
    textbook_days: int = 365
    volunteer_days: int = 120
    ledger_days: int = 90
    people: int | None = None


QUICK = Plan(seeds=(0,), textbook_seeds=3, volunteer_days=60, ledger_days=30)


@dataclass(frozen=True)
class Job:
    """One model run: what to run and which tables to bring back (`kind`)."""

    kind: str  # textbook | arm | pay | ledger
    key: tuple
    scenario: str
    policies: tuple[str, ...]
    seed: int
    overrides: tuple[str, ...] = ()


def jobs(plan: Plan) -> list[Job]:
    """Every run of a validation, in a fixed order."""
    size = () if plan.people is None else (f"scenario.population.people={plan.people}",)
    out = [
        Job(
            "textbook",
            (lam, seed),
            "textbook_queue",
            ("baseline",),
            seed,
            (
                f"scenario.arrival_rate_per_h={lam}",
                f"scenario.service_rate_per_h={SERVICE_RATE_PER_H}",
                f"scenario.servers={SERVERS}",
                f"sim.days={plan.textbook_days}",
            ),
        )
        for lam in ARRIVAL_RATES_PER_H
        for seed in range(plan.textbook_seeds)
    ]
    days = 365 * plan.years
    out += [
        Job("arm", (arm, seed), "default", (arm,), seed, (*size, f"sim.days={days}"))
        for arm in ARMS
        for seed in plan.seeds
    ]
    stipend = "policies.volunteer_pay.volunteer_stipend_yuan_per_h="
    out += [
        Job(
            "pay",
            (s, seed),
            "default",
            ("volunteer_pay",),
            seed,
            (*size, f"{stipend}{s}", f"sim.days={plan.volunteer_days}"),
        )
        for s in STIPENDS_YUAN_PER_H
        for seed in plan.seeds
    ]
    out.append(
        Job(
            "ledger",
            ("priced",),
            "default",
            PRICED,
            plan.seeds[0],
            (*size, f"sim.days={plan.ledger_days}"),
        )
    )
    return out


def run_job(job: Job) -> dict:
    """Run one job in this process; returns the tables its checks need."""
    from sim.config.load import load_params
    from sim.runner import run_summary, simulate

    overrides = [*job.overrides, "sim.progress=false"]
    params = load_params(job.scenario, list(job.policies), overrides, seed=job.seed)
    model = simulate(params)
    daily = model.daily()
    if job.kind == "pay":
        return {"volunteers_active_mean": float(daily["volunteers_active"].mean())}
    if job.kind == "ledger":
        return {
            "costs": model.costs(),
            "daily": daily,
            "summary_cost_yuan": run_summary(model, {})["cost_yuan"],
        }
    problems = model.problems()
    if job.kind == "textbook":
        return {
            "problems": problems[["arisen_h", "known_h", "responded_h", "closed_h"]],
            "daily": daily[["day", "open"]],
        }
    # what the owner expected (§7.12), a duration kept in the log only
    expected_h = model.state.log.expected_h[problems["problem_id"].to_numpy()]
    problems = problems[_PROBLEM_COLUMNS].copy()
    problems["expected_h"] = expected_h
    return {
        "problems": problems,
        "calls": model.calls(),
        "daily": daily[["day", "open", "calls_total", "consultations_total", "arisen_total"]],
    }


def run_all(plan: Plan, workers: int, tick=None) -> dict[tuple, dict]:
    """Every job of the plan on `workers` processes, keyed by (kind, *key)."""
    from joblib import Parallel, delayed

    todo = jobs(plan)
    results = Parallel(n_jobs=workers, return_as="generator")(delayed(run_job)(j) for j in todo)
    out = {}
    for job, result in zip(todo, results, strict=True):
        out[(job.kind, *job.key)] = result
        if tick is not None:
            tick()
    return out


def pooled(results: dict[tuple, dict], kind: str, name: str, first: object) -> pd.DataFrame:
    """One table over seeds: the `name` tables of every `kind` job whose key starts with
    `first`, with a `seed` column."""
    parts = [
        r[name].assign(seed=key[-1])
        for key, r in results.items()
        if key[0] == kind and key[1] == first
    ]
    return pd.concat(parts, ignore_index=True)


def seed_values(results: dict[tuple, dict], kind: str, first: object, name: str) -> np.ndarray:
    """A scalar result of every seed of one condition, in seed order."""
    keys = sorted(k for k in results if k[0] == kind and k[1] == first)
    return np.array([results[k][name] for k in keys])
