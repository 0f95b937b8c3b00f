"""The `govsim` command's entry point. Before the heavy imports of `sim.cli` (Hydra, the
model: about 2 s), a parallel sweep starts the server that forks its workers
(`cli_process.start_worker_server`), so that the server's own imports run on the other core
meanwhile; then `sim.cli.main` does the rest. Ctrl-C during those imports is one line."""

from __future__ import annotations

import os
import sys


def main() -> None:
    from sim import cli_process as lifeline

    command, rest = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command in lifeline.EXPERIMENTS:
        rest = [f"experiment={lifeline.EXPERIMENTS[command]}", *rest]
    if command == "run" or command in lifeline.EXPERIMENTS:
        os.environ[lifeline.MAIN_PID_ENV] = str(os.getpid())  # as `sim.cli` sets it
        lifeline.quiet_helpers()
        lifeline.start_worker_server(rest)
    try:
        from sim.cli import main as run_command
    except KeyboardInterrupt:  # Ctrl-C while starting: nothing has run
        print("govsim: interrupted", file=sys.stderr)
        lifeline.exit_now(130)
    run_command()
