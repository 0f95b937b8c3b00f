"""`govsim validate [--quick] [--seeds 0,1,2] [--out DIR] [--jobs N]`: run the checks from
fresh runs of the current model, write validation.json and validation.html, print a table,
and exit 1 if any check fails (2 for a usage mistake)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from sim.validation import beijing_checks, people_checks, queue_checks, runs
from sim.validation.references import STIPENDS_YUAN_PER_H


def evaluate(results: dict[tuple, dict], plan: runs.Plan) -> tuple[list[dict], dict]:
    """Every check from the runs' tables, and the tables the figures draw."""
    checks, waits = [], {}
    for lam in runs.ARRIVAL_RATES_PER_H:
        waits[lam] = queue_checks.waits_h(runs.pooled(results, "textbook", "problems", lam))
        checks += queue_checks.erlang_checks(waits[lam], lam, runs.SERVICE_RATE_PER_H, runs.SERVERS)
    middle = runs.ARRIVAL_RATES_PER_H[1]
    textbook = [
        (r["problems"], r["daily"]) for k, r in results.items() if k[:2] == ("textbook", middle)
    ]
    checks.append(queue_checks.little_check(textbook, f"textbook queue λ = {middle:g}/h"))
    baseline = [
        (r["problems"], r["daily"]) for k, r in results.items() if k[:2] == ("arm", "baseline")
    ]
    checks.append(queue_checks.little_check(baseline, "default district, baseline"))
    ledger = results[("ledger", "priced")]
    checks += queue_checks.ledger_checks(
        ledger["costs"], ledger["daily"], ledger["summary_cost_yuan"]
    )
    tables, problems, spread = {}, {}, {}
    for arm in runs.ARMS:
        problems[arm] = runs.pooled(results, "arm", "problems", arm)
        calls = runs.pooled(results, "arm", "calls", arm)
        daily = runs.pooled(results, "arm", "daily", arm)
        tables[arm] = beijing_checks.yearly(problems[arm], calls, daily, plan.years)
        spread[arm] = beijing_checks.seed_spread(problems[arm], plan.years)
    response = beijing_checks.response_in_year_one(problems["reform_2019"])
    checks += beijing_checks.beijing_checks(
        tables["baseline"], tables["reform_2019"], response, spread["reform_2019"]
    )
    checks += people_checks.equity_checks(problems["baseline"], 24.0 * 365 * plan.years)
    volunteers = {
        s: runs.seed_values(results, "pay", s, "volunteers_active_mean")
        for s in STIPENDS_YUAN_PER_H
    }
    checks += people_checks.pay_checks(volunteers)
    checks += people_checks.edt_checks(problems["baseline"])
    edt = people_checks.disconfirmation_table(problems["baseline"])
    figures = {"waits": waits, "yearly": tables, "spread": spread, "volunteers": volunteers}
    return checks, {**figures, "edt": edt}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govsim validate", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one seed, fewer textbook runs")
    parser.add_argument(
        "--seeds", help="comma-separated seeds of the district runs (default 0,1,2)"
    )
    parser.add_argument("--out", type=Path, help="output folder (default results/validate/<time>)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes")
    parser.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)  # tests only
    return parser


def plan_of(args: argparse.Namespace) -> runs.Plan:
    """The plan from the command line (a usage mistake exits with one line)."""
    plan = runs.QUICK if args.quick else runs.Plan()
    if args.tiny:  # a small district over one year: exercises every check, validates nothing
        plan = runs.Plan(
            seeds=(0,),
            years=1,
            textbook_seeds=1,
            textbook_days=40,
            volunteer_days=14,
            ledger_days=14,
            people=3000,
        )
    if args.seeds:
        try:
            seeds = tuple(int(s) for s in args.seeds.split(","))
        except ValueError:
            sys.exit(
                f"govsim validate: --seeds takes integers separated by commas, not {args.seeds!r}"
            )
        plan = replace(plan, seeds=seeds)
    return plan


def main(argv: list[str]) -> int:
    from sim.validation import report

    args = _parser().parse_args(argv)
    plan = plan_of(args)
    out = (args.out or Path("results") / "validate" / time.strftime("%Y-%m-%d_%H-%M-%S")).resolve()
    started = time.time()
    with report.progress(len(runs.jobs(plan))) as tick:
        results = runs.run_all(plan, max(1, args.jobs), tick)
    checks, figures = evaluate(results, plan)
    elapsed_s = time.time() - started
    report.write(out, checks, figures, plan, elapsed_s)
    report.print_table(checks, out, elapsed_s)
    return 0 if all(c["passed"] for c in checks) else 1
