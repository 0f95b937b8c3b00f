"""A closed tab's model is freed: the page's session is rendered in a Solara virtual kernel
as the server does for a tab, the kernel is closed as when the tab closes, and a weak
reference to the tab's session dies. Automatic garbage collection is off, so it is the
page's clean-up that frees it (a model lives in reference cycles). In a subprocess: Solara's
server patches ipywidgets for the whole process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import gc, time, weakref
import solara
import solara.server.app  # noqa: F401  (patches widgets per kernel, as the server does)
from solara.server import kernel, kernel_context
import sim.page.app as app

gc.disable()
sessions = []
class Tracked(app.Session):
    def __init__(self):
        super().__init__()
        sessions.append(weakref.ref(self))
app.Session = Tracked

context = kernel_context.VirtualKernelContext(id="tab", session_id="s", kernel=kernel.Kernel())
with context:
    context.app_object = solara.render(app.Page(), handle_error=False)[1]
assert len(sessions) == 1 and sessions[0]() is not None
context.close(reason="page-close")
del context
deadline = time.monotonic() + 60
while sessions[0]() is not None and time.monotonic() < deadline:
    time.sleep(0.05)
print("freed" if sessions[0]() is None else "kept")
"""


def test_a_closed_tabs_model_is_freed():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", SCRIPT], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.stdout.strip().splitlines()[-1:] == ["freed"], out.stderr[-2000:]
