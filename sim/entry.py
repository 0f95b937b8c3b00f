"""The `govsim` command's entry point. Before the heavy imports of `sim.cli` (Hydra, the
model: about 2 s), a parallel sweep starts the server that forks its workers
(`cli_process.start_worker_server`), so that the server's own imports run on the other core
meanwhile; then `sim.cli.main` does the rest. Ctrl-C during those imports is one line."""

from __future__ import annotations

import sys


def main() -> None:
    from sim import cli_process as lifeline

    command, rest = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command in lifeline.EXPERIMENTS:
        rest = [f"experiment={lifeline.EXPERIMENTS[command]}", *rest]
    lifeline.remember_ctrl_c()
    if command == "run" or command in lifeline.EXPERIMENTS:
        lifeline.begin(rest)
    try:
        from sim.cli import main as run_command
    except KeyboardInterrupt:
        lifeline.ctrl_c_pressed = True
    except Exception:  # Ctrl-C as compiled code loads or compiles: a SystemError caused by it
        if not lifeline.ctrl_c_pressed:
            raise
    if lifeline.ctrl_c_pressed:  # Ctrl-C while starting (raised, or dropped): nothing has run
        print("govsim: interrupted", file=sys.stderr)
        lifeline.exit_now(130)
    try:
        run_command()
    except SystemExit as done:
        if done.code not in (0, None):
            raise
    if lifeline.ctrl_c_dropped:  # a command that finished although Ctrl-C came
        print("govsim: interrupted", file=sys.stderr)
        lifeline.exit_now(130)
