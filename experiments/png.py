"""PNG copies of a report's figures, through kaleido and the system's Chromium: one browser
for all figures, started while the runs are still going (`warm_browser`), so the report at
the end does not wait ~3 s for it to launch, and drawing each figure while the report goes
on building the others and the page (`PngExport`)."""

from __future__ import annotations

import os
import queue
import sys
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import plotly.graph_objects as go

PNG_SIZE = (1600, 900)  # a slide: every figure must read at this size
NO_BROWSER = "PNG figures skipped: no Chromium found (install chromium for them)"


def _browser_path() -> str | None:
    """The Chromium kaleido would drive (BROWSER_PATH, or one on the PATH), if any."""
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return None
    return os.environ.get("BROWSER_PATH") or Chromium.find_browser(skip_local=False)


def _wanted() -> bool:
    return os.environ.get("GOVSIM_PNG") != "0" and _browser_path() is not None


def warm_browser() -> None:
    """Launch the browser in kaleido's own thread and return at once (a multirun calls this
    at its start); `PngExport` then finds it running. Nothing when PNGs are off."""
    if not _wanted():
        return
    try:
        _server("start_sync_server")
    except Exception:  # the report says why when it tries again
        return


class PngExport:
    """Writes figures as `out/<name>.png` at slide size in a thread of its own, while the
    caller goes on building the report (the browser draws out of process); leaving the
    `with` block waits for every file and closes the browser. Without a browser the PNGs
    are skipped with one line (kaleido would wait forever); GOVSIM_PNG=0 skips them silently
    (tests that do not look at them save ~5 s a report)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.queue: queue.Queue = queue.Queue()
        self.thread: threading.Thread | None = None
        self.error: str | None = None

    def __enter__(self) -> PngExport:
        if os.environ.get("GOVSIM_PNG") == "0":
            return self
        if _browser_path() is None:
            print(NO_BROWSER, file=sys.stderr)
            return self
        try:
            _server("start_sync_server")  # running already if warmed
        except Exception as exc:
            self.error = f"{type(exc).__name__}: {exc}"
            return self
        # plotly hands kaleido's running server options it ignores, and kaleido says so each
        # figure (`catch_warnings` would silence every thread while this one draws)
        warnings.filterwarnings("ignore", "The kopts argument is ignored", UserWarning)
        self.thread = threading.Thread(target=self._write, name="govsim-png", daemon=True)
        self.thread.start()
        return self

    def add(self, name: str, fig: go.Figure) -> None:
        """Queue a figure; what is drawn is the figure as it is now (a copy)."""
        if self.thread is not None:
            height = max(PNG_SIZE[1], fig.layout.height or 0)
            self.queue.put((name, fig.to_dict(), height))

    def __exit__(self, *exc) -> None:
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            try:
                _server("stop_sync_server")
            except Exception as exc:
                self.error = self.error or f"{type(exc).__name__}: {exc}"
        if self.error:
            print(f"PNG figures skipped ({self.error})", file=sys.stderr)

    def _write(self) -> None:
        import plotly.io as pio

        try:
            while (item := self.queue.get()) is not None:
                name, fig, height = item
                pio.write_image(
                    fig, self.out / f"{name}.png", width=PNG_SIZE[0], height=height, validate=False
                )
        except Exception as exc:
            self.error = f"{type(exc).__name__}: {exc}"


def _server(action: str) -> None:
    """Start or stop kaleido's browser (its own thread), without its warnings."""
    import kaleido

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        getattr(kaleido, action)(silence_warnings=True)
