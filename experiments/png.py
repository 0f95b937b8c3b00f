"""PNG copies of a report's figures, through kaleido and the system's Chromium: one browser
for all figures, started while the runs are still going (`warm_browser`), so the report at
the end does not wait ~3 s for it to launch."""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import plotly.graph_objects as go

PNG_SIZE = (1600, 900)  # a slide: every figure must read at this size


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
    at its start); `write_pngs` then finds it running. Nothing when PNGs are off."""
    if not _wanted():
        return
    try:
        import kaleido

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kaleido.start_sync_server(silence_warnings=True)
    except Exception:  # the report says why when it tries again
        return


def write_pngs(figs: dict[str, go.Figure], out: Path) -> None:
    """Write each figure as `out/<name>.png` at slide size, then close the browser.
    Without a browser they are skipped with one line (kaleido would wait forever);
    GOVSIM_PNG=0 skips them silently (tests that do not look at them save ~5 s a report)."""
    if os.environ.get("GOVSIM_PNG") == "0":
        return
    if _browser_path() is None:
        print("PNG figures skipped: no Chromium found (install chromium for them)", file=sys.stderr)
        return
    try:
        import kaleido

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kaleido.start_sync_server(silence_warnings=True)  # running already if warmed
            try:
                for name, fig in figs.items():
                    height = max(PNG_SIZE[1], fig.layout.height or 0)
                    fig.write_image(out / f"{name}.png", width=PNG_SIZE[0], height=height)
            finally:
                kaleido.stop_sync_server(silence_warnings=True)
    except Exception as exc:
        print(f"PNG figures skipped ({type(exc).__name__}: {exc})", file=sys.stderr)
