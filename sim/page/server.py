"""`govsim demo`: start the classroom page (a Solara server) and say where to open it.

Production mode with local front-end assets (solara-assets), no version check: the page
loads with no network. A closed tab's model is freed at once; a tab that only lost its
connection keeps its model for `SOLARA_KERNEL_CULL_TIMEOUT` (default here 30 s, not
Solara's 24 h, so that a class of thirty does not pile up models). The server allocates
with glibc's malloc rather than Python's own (`FREEABLE`): a closed tab's memory then goes
back to the system (Python's allocator keeps any 1 MB arena one live object still uses).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
CULL_TIMEOUT = "30s"
FREEABLE = {  # thirty tabs opened and closed: +8 % memory with these, +40 % without
    "PYTHONMALLOC": "malloc",  # small objects from glibc, whose malloc_trim frees any page
    "MALLOC_ARENA_MAX": "2",  # not an arena per thread, each holding freed memory
    "MALLOC_MMAP_THRESHOLD_": "131072",  # arrays over 128 kB always mmap'd, unmapped on free
}
PLOTLY_JS_DIR = Path(find_spec("plotly").origin).parent / "package_data"  # plotly.min.js


def lan_addresses() -> list[str]:
    """This machine's addresses others on the network may reach (best effort, no traffic)."""
    found = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(info[4][0])
    except OSError:
        pass
    try:  # the address of the default route (UDP connect sends no packet)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            found.add(s.getsockname()[0])
    except OSError:
        pass
    return sorted(a for a in found if not a.startswith("127."))


def announce(host: str, port: int) -> list[str]:
    """The lines `govsim demo` prints: the URL(s) to open and, beyond localhost, who can."""
    if host in LOCAL_HOSTS:
        return [f"govsim demo: open http://127.0.0.1:{port}/ (only this computer can reach it)"]
    hosts = lan_addresses() if host in ("0.0.0.0", "::") else [host]
    lines = [f"govsim demo: open http://{h}:{port}/" for h in hosts or [host]]
    lines.append(
        f"warning: bound to {host}: anyone who can reach this computer on port {port} "
        "(the classroom network, or wider if it is not firewalled) can open the page and "
        "run models here; there is no password. Use --host 127.0.0.1 to keep it private."
    )
    return lines


def command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "solara", "run", "sim.page.app", "--host", host,
            "--port", str(port), "--production", "--no-check-version", "--no-open"]  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="govsim demo", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (0.0.0.0: all)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536:
        print(f"govsim demo: --port {args.port}: must be 1-65535", file=sys.stderr)
        return 2
    for line in announce(args.host, args.port):
        print(line, flush=True)
    env = {
        "SOLARA_KERNEL_CULL_TIMEOUT": CULL_TIMEOUT,
        **FREEABLE,
        **os.environ,
        "SOLARA_ASSETS_EXTRA_LOCATIONS": str(PLOTLY_JS_DIR),  # plotly.min.js
    }
    try:
        return subprocess.call(command(args.host, args.port), env=env)
    except KeyboardInterrupt:
        return 0
