"""PNG copies of a report's figures (experiments/png.py): drawn in a thread of their own
while the report goes on, every queued figure written before the block ends, as it was when
queued; a failure is one line, not a traceback nor a hang."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from experiments import png


@pytest.fixture
def browser(monkeypatch):
    """A browser that is "there" without Chromium: the server calls do nothing."""
    monkeypatch.delenv("GOVSIM_PNG", raising=False)
    monkeypatch.setattr(png, "_browser_path", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(png, "_server", lambda action: None)


def test_every_figure_is_written_as_queued_before_the_block_ends(browser, monkeypatch, tmp_path):
    written = []
    monkeypatch.setattr(
        pio, "write_image", lambda fig, path, **kw: written.append((path.name, fig, kw["height"]))
    )
    tall = go.Figure(layout={"height": 1400, "title": {"text": "before"}})
    with png.PngExport(tmp_path) as pngs:
        pngs.add("a", go.Figure())
        pngs.add("b", tall)
        tall.update_layout(title_text="after")  # the report goes on; the PNG shows it as queued
    assert [(name, height) for name, _, height in written] == [("a.png", 900), ("b.png", 1400)]
    assert written[1][1]["layout"]["title"]["text"] == "before"


def test_a_failing_export_is_one_line(browser, monkeypatch, tmp_path, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("no renderer")

    monkeypatch.setattr(pio, "write_image", broken)
    with png.PngExport(tmp_path) as pngs:
        pngs.add("a", go.Figure())
        pngs.add("b", go.Figure())
    assert capsys.readouterr().err == "PNG figures skipped (RuntimeError: no renderer)\n"


def test_no_browser_and_png_off(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(png, "_browser_path", lambda: None)
    monkeypatch.delenv("GOVSIM_PNG", raising=False)
    with png.PngExport(tmp_path) as pngs:
        pngs.add("a", go.Figure())
    assert capsys.readouterr().err == png.NO_BROWSER + "\n"
    monkeypatch.setenv("GOVSIM_PNG", "0")
    with png.PngExport(tmp_path) as pngs:
        pngs.add("a", go.Figure())
    assert capsys.readouterr().err == "" and not list(tmp_path.iterdir())
