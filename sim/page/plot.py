"""A plotly figure on the page without plotly's widget (which needs anywidget's front end,
fetched from the web): a small Vue component draws it with the plotly.js that plotly's
Python package ships, which `govsim demo` serves as a local asset."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import solara


@solara.component_vue("plotly.vue", vuetify=False)
def _PlotlyVue(figure: dict, css_class: str = ""):
    pass


@solara.component
def Plot(fig: go.Figure, css_class: str = ""):
    """Draw `fig` (redrawn whenever a new figure is passed)."""
    _PlotlyVue(figure=json.loads(fig.to_json()), css_class=css_class)
