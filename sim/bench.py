"""`govsim bench`: throughput and memory at sizes up to 1,000,000 agents.

Each size runs in a fresh process (so peak memory is its own) and prints one JSON line on
stdout; progress goes to stderr. Mesa's Schelling (100x100, density 0.8, radius 2) is
measured in the same process as the reference, before and after the run (the machine's
speed drifts when others share it): the ratio is to their mean. 40,000 people is the
default district itself.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time

DEFAULT_SIZES = (10_000, 40_000, 100_000, 1_000_000)
REFERENCE_PEOPLE = 40_000  # the default scenario's population, which sets the scaling


def scaled_overrides(agents: int, days: int) -> list[str]:
    """Overrides that scale the default district to `agents` people: offices, grid, staff."""
    factor = agents / REFERENCE_PEOPLE
    streets = max(1, round(5 * factor))
    side = max(4, round(24 * factor**0.5))
    overrides = [
        f"scenario.population.people={agents}",
        f"scenario.city.street_offices={streets}",
        f"scenario.city.width_cells={side}",
        f"scenario.city.height_cells={side}",
        f"sim.days={days}",
        "sim.progress=false",
    ]
    from sim.config.load import compose_config

    departments = compose_config().scenario.departments
    for name, dept in departments.items():
        overrides.append(f"scenario.departments.{name}.staff={max(1, round(dept.staff * factor))}")
    return overrides


def schelling_agent_steps_per_s(steps: int = 10) -> float:
    from mesa.examples.basic.schelling.model import Schelling, SchellingScenario

    model = Schelling(SchellingScenario(width=100, height=100, density=0.8, radius=2, rng=42))
    n = len(model.agents)
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    return n * steps / (time.perf_counter() - start)


def measure(agents: int, days: int, seed: int, queue) -> None:
    from sim import CityModel, load_params

    schelling_before = schelling_agent_steps_per_s()
    params = load_params(overrides=scaled_overrides(agents, days), seed=seed)
    start = time.perf_counter()
    model = CityModel(params)
    init_s = time.perf_counter() - start
    start = time.perf_counter()
    for day in range(days):
        model.step()
        if day % 30 == 29:
            print(f"  {agents:,} agents: day {day + 1}/{days}", file=sys.stderr, flush=True)
    run_s = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # before Schelling's again
    schelling_after = schelling_agent_steps_per_s()
    schelling = (schelling_before + schelling_after) / 2
    problems = model.state.log.size
    queue.put(
        {
            "agents": agents,
            "agents_present_at_end": int(model.population.present.sum()),
            "days": days,
            "init_s": round(init_s, 3),
            "run_s": round(run_s, 3),
            "seconds": round(init_s + run_s, 3),
            "agent_days_per_s": round(agents * days / run_s),
            "problems": problems,
            "problems_per_s": round(problems / run_s, 1),
            "peak_rss_mb": round(peak_kb / 1024, 1),
            "schelling_agent_steps_per_s": round(schelling),
            "schelling_before_after": [round(schelling_before), round(schelling_after)],
            "ratio_to_schelling": round(agents * days / run_s / schelling, 1),
        }
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="govsim bench", description=__doc__)
    parser.add_argument(
        "--agents",
        type=int,
        help="one size (people); default: 10k, 40k (the default district), 100k, 1M",
    )
    parser.add_argument("--days", type=int, default=365, help="simulated days (default 365)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.agents is not None and not 1 <= args.agents <= 5_000_000:
        parser.error(f"--agents = {args.agents}: must be between 1 and 5,000,000")
    if not 1 <= args.days <= 36_500:
        parser.error(f"--days = {args.days}: must be between 1 and 36,500")
    sizes = (args.agents,) if args.agents else DEFAULT_SIZES
    ctx = mp.get_context("spawn")
    for agents in sizes:
        print(f"bench: {agents:,} agents, {args.days} days", file=sys.stderr, flush=True)
        queue = ctx.Queue()
        proc = ctx.Process(target=measure, args=(agents, args.days, args.seed, queue))
        proc.start()
        row = queue.get()
        proc.join()
        print(json.dumps(row), flush=True)
    return 0
