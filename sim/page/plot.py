"""A plotly figure on the page without plotly's widget (which needs anywidget's front end,
fetched from the web): a small Vue component draws it with the plotly.js that plotly's
Python package ships, which `govsim demo` serves as a local asset.

Figures are plain dicts (plotly's figure objects are slow to build, compare and serialise)
passed as JSON text: Solara then compares and sends a string, not a tree of numbers. A
figure's `today` traces are drawn over its own: the same figure with new `today` traces
sends only those to the browser, which updates the plot in place (`Plotly.react`).
"""

from __future__ import annotations

import json

import solara


def as_json(figure: dict | list) -> str:
    """A figure or traces as JSON (no NaN: the browser's JSON.parse refuses it)."""
    return json.dumps(figure, allow_nan=False)


@solara.component_vue("plotly.vue", vuetify=False)
def _PlotlyVue(figure: str, today: str, css_class: str = ""):
    pass


@solara.component
def Plot(figure: str, today: str = "[]", css_class: str = ""):
    """Draw `figure` (JSON of {"data", "layout", "config"}) with the `today` traces on top."""
    _PlotlyVue(figure=figure, today=today, css_class=css_class)
