"""The page's plotly figures: the map of a city and the live charts, labelled in one language.

Sized for a projector: large fonts, few colours, legends under the plots.
"""

from __future__ import annotations

import numpy as np

from sim.city import LAND_USES
from sim.page.i18n import tr
from sim.page.session import City
from sim.population import MIGRANT

LAYERS = ("land_use", "open_problems", "satisfaction", "migrant_share", "unmet_needs")
LAND_COLOURS = ("#b0724a", "#9ecae1", "#e6550d", "#fdd0a2", "#74c476")  # LAND_USES order
FONT = {"size": 16, "family": "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"}
SIDES = ("#1f77b4", "#d62728")  # left city, right city


def cell_values(city: City, layer: str) -> np.ndarray:
    """One value per cell (flat index x * height + y) for a map layer."""
    state, layout = city.model.state, city.model.world.layout
    pop, n = city.model.population, layout.n_cells
    if layer == "land_use":
        return layout.land_use.astype(float)
    if layer in ("open_problems", "unmet_needs"):
        ids = state.open_ids if layer == "open_problems" else state.latent_ids
        return np.bincount(state.log.cell[ids], minlength=n).astype(float)
    here = np.bincount(pop.cell[pop.present], minlength=n)
    if layer == "satisfaction":
        total = np.bincount(pop.cell[pop.present], pop.satisfaction[pop.present], minlength=n)
    else:
        total = np.bincount(pop.cell[pop.present & (pop.group == MIGRANT)], minlength=n)
    return np.where(here > 0, total / np.maximum(here, 1), np.nan)


def _boundaries(street: np.ndarray, w: int, h: int) -> tuple[list, list]:
    """Line segments between cells of different street offices (None-separated)."""
    grid = street.reshape(w, h)
    xs: list = []
    ys: list = []
    for x, y in zip(*np.nonzero(grid[1:, :] != grid[:-1, :]), strict=True):
        xs += [x + 0.5, x + 0.5, None]
        ys += [y - 0.5, y + 0.5, None]
    for x, y in zip(*np.nonzero(grid[:, 1:] != grid[:, :-1]), strict=True):
        xs += [x - 0.5, x + 0.5, None]
        ys += [y + 0.5, y + 0.5, None]
    return xs, ys


def _today(city: City, column: str) -> np.ndarray:
    """Cells of problems whose `column` hour fell on the last day run."""
    log, t0 = city.model.state.log, city.model.origin_h + 24.0 * (city.model.day - 1)
    hours = getattr(log, column)
    return log.cell[(hours >= t0) & (hours < t0 + 24.0)]


def _heatmap(city: City, layer: str, lang: str) -> dict:
    layout = city.model.world.layout
    z = cell_values(city, layer).reshape(layout.width, layout.height).T
    if layer == "land_use":
        n = len(LAND_USES)
        scale = [[b / n, LAND_COLOURS[i]] for i in range(n) for b in (i, i + 1)]
        names = np.array([tr(u.value, lang) for u in LAND_USES])
        return {"type": "heatmap", "z": z.tolist(), "zmin": -0.5, "zmax": n - 0.5,
                "colorscale": scale, "showscale": False, "text": names[z.astype(int)].tolist(),
                "hovertemplate": "%{text}<extra></extra>"}  # fmt: skip
    return {"type": "heatmap", "z": np.where(np.isnan(z), None, z).tolist(),
            "colorscale": "YlOrRd" if layer != "satisfaction" else "RdYlGn",
            "colorbar": {"title": {"text": tr(layer, lang)}, "len": 0.8},
            "hovertemplate": tr(layer, lang) + ": %{z:.2f}<extra></extra>"}  # fmt: skip


def _points(x, y, name: str, marker: dict, mode: str = "markers", line=None) -> dict:
    as_list = lambda a: a.tolist() if isinstance(a, np.ndarray) else a  # noqa: E731
    trace = {"type": "scatter", "x": as_list(x), "y": as_list(y), "mode": mode, "name": name,
             "hoverinfo": "name", "marker": marker}  # fmt: skip
    return {**trace, "line": line} if line else trace


def map_base(city: City, layer: str, lang: str, title: str = "") -> dict:
    """What of the map stays the same from day to day (sent to the browser once): layout,
    jurisdictions outlined, offices and social organisations, and the land-use colours."""
    layout = city.model.world.layout
    w, h = layout.width, layout.height
    bx, by = _boundaries(layout.street_office, w, h)
    sites = layout.street_site
    traces = [_heatmap(city, layer, lang)] if layer == "land_use" else []
    if layer == "land_use":  # a legend entry per land use
        traces += [
            _points([None], [None], tr(use.value, lang), {"symbol": "square", "size": 14,
                    "color": colour})
            for use, colour in zip(LAND_USES, LAND_COLOURS, strict=True)
        ]  # fmt: skip
    traces += [
        _points(bx, by, tr("jurisdiction", lang), {}, "lines", {"color": "black", "width": 3}),
        _points(sites // h, sites % h, tr("street_office", lang), {"symbol": "star", "size": 22,
                "color": "black", "line": {"color": "white", "width": 1}}),
        _points(sites // h + 0.35, sites % h + 0.35, tr("social_org", lang), {"symbol": "diamond",
                "size": 14, "color": "#6a3d9a", "line": {"color": "white", "width": 1}}),
    ]  # fmt: skip
    return {"data": traces, "layout": {
        "title": {"text": title}, "font": FONT, "height": 660,
        "margin": {"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        "legend": {"orientation": "h", "y": -0.02, "yanchor": "top", "font": {"size": 14}},
        "xaxis": {"visible": False, "range": [-0.5, w - 0.5], "constrain": "domain"},
        "yaxis": {"visible": False, "range": [-0.5, h - 0.5], "scaleanchor": "x"},
        "plot_bgcolor": "white",
    }, "config": {"displaylogo": False, "responsive": True}}  # fmt: skip


def map_today(city: City, layer: str, lang: str) -> list[dict]:
    """What of the map changes by day: the layer's colours (unless land use), the last
    day's new problems and closures."""
    h = city.model.world.layout.height
    new, closed = _today(city, "arisen_h"), _today(city, "closed_h")
    traces = [] if layer == "land_use" else [_heatmap(city, layer, lang)]
    return [
        *traces,
        _points(new // h - 0.2, new % h - 0.2, tr("new_problems", lang),
                {"symbol": "x", "size": 7, "color": "#08306b"}),
        _points(closed // h + 0.2, closed % h - 0.2, tr("closures", lang),
                {"symbol": "circle-open", "size": 8, "color": "#006d2c"}),
    ]  # fmt: skip


CHARTS = ("hours_contact", "hours_close", "satisfaction_groups", "open_latent", "volunteers",
          "spending")  # fmt: skip


def _series(city: City) -> dict[str, list[tuple[str, list]]]:
    """Per chart, (line key, values by day) for one city."""
    rows = city.model.daily_rows
    col = lambda key: [row[key] for row in rows]  # noqa: E731
    spend = np.cumsum(col("spend_total_yuan")) / 1e6 if rows else []
    return {
        "hours_contact": [("hours", city.contact_h)],
        "hours_close": [("hours", city.close_h)],
        "satisfaction_groups": [("resident", col("satisfaction_resident")),
                                ("migrant", col("satisfaction_migrant"))],
        "open_latent": [("open", col("open")), ("latent", col("latent"))],
        "volunteers": [("volunteers", col("volunteers_active"))],
        "spending": [("spending", [float(v) for v in spend])],
    }  # fmt: skip


def charts_figure(cities: list[City], lang: str, names: tuple[str, ...]) -> dict:
    """Six small charts by day (2 × 3), one colour per city, one dash per line of a chart."""
    layout: dict = {"font": {**FONT, "size": 13}, "height": 560, "plot_bgcolor": "#f7f7f7",
                    "margin": {"l": 30, "r": 10, "t": 30, "b": 30}, "annotations": []}  # fmt: skip
    traces = []
    for i, chart in enumerate(CHARTS):
        row, column = divmod(i, 3)
        x0, y0 = column / 3 + 0.04, 1 - (row + 1) / 2 + 0.1
        ax = "" if i == 0 else str(i + 1)
        layout[f"xaxis{ax}"] = {"domain": [x0, x0 + 0.26], "anchor": f"y{ax}", "fixedrange": True}
        layout[f"yaxis{ax}"] = {"domain": [y0, y0 + 0.3], "anchor": f"x{ax}", "fixedrange": True}
        layout["annotations"].append({"text": f"<b>{tr(chart, lang)}</b>", "x": x0 + 0.13,
                                      "y": y0 + 0.33, "xref": "paper", "yref": "paper",
                                      "showarrow": False, "font": {"size": 14}})  # fmt: skip
        for side, (city, name) in enumerate(zip(cities, names, strict=True)):
            for dash, (key, values) in zip(("solid", "dot"), _series(city)[chart], strict=False):
                traces.append({
                    "type": "scatter", "y": [None if v != v else float(v) for v in values],
                    "mode": "lines+markers" if len(values) < 3 else "lines",
                    "xaxis": f"x{ax}", "yaxis": f"y{ax}",
                    "line": {"color": SIDES[side], "dash": dash, "width": 3},
                    "name": f"{name} · {tr(key, lang)}", "showlegend": False,
                })  # fmt: skip
    # no zoom, no mode bar: half the time to redraw six small charts in a browser without GPU
    return {"data": traces, "layout": {**layout, "dragmode": False},
            "config": {"displayModeBar": False, "responsive": True}}  # fmt: skip
