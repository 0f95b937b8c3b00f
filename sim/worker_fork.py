"""Imported only by the server that forks a multirun's workers (its preload list,
`cli_process.start_worker_server`). The server dies with the command, and each worker it
forks follows the command from its first moment, before any job: an idle worker exits with
the command too, even when the command is killed or left unreaped."""

from __future__ import annotations

import os

from sim.cli_process import MAIN_PID_ENV, die_with_parent, follow_parent

die_with_parent()
if os.getppid() != int(os.environ.get(MAIN_PID_ENV, "0") or 0):
    os._exit(1)  # the command is gone already
os.register_at_fork(after_in_child=follow_parent)
