"""Give a closed tab's memory back to the system.

A tab's model lives in reference cycles (Mesa agents point at their model), so it is freed
only when the cyclic collector runs, which a quiet server may not do for a long time; and
glibc keeps freed heap for reuse unless asked to return it. Once a tab's kernel has closed
and no other has closed for `QUIET_S` (the closing calls, which still hold the tab, have
returned; a class leaving is one collection, not thirty), one worker thread runs
`gc.collect()` and `malloc_trim(0)`.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import threading

from solara.server import kernel_context

QUIET_S = 1.0
_wanted = threading.Event()
_worker: threading.Thread | None = None
_start = threading.Lock()


def free_memory() -> None:
    """Collect reference cycles, then hand glibc's free heap back (no-op without glibc)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _collect_when_wanted() -> None:
    while True:
        _wanted.wait()
        _wanted.clear()
        while _wanted.wait(QUIET_S):  # more tabs closing
            _wanted.clear()
        free_memory()


def _after_close(closed: threading.Event) -> None:
    closed.wait()
    _wanted.set()


def free_after_close():
    """For `solara.lifecycle.on_kernel_start`: once this tab's kernel has closed, free."""
    global _worker
    closed = kernel_context.get_current_context().closed_event  # not the context: it keeps the tab
    with _start:
        if _worker is None:
            _worker = threading.Thread(target=_collect_when_wanted, daemon=True, name="free")
            _worker.start()

    def cleanup():
        threading.Thread(target=_after_close, args=(closed,), daemon=True).start()

    return cleanup
