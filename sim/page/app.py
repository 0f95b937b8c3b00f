"""The classroom page (Solara): a live city a trainer steers, in Chinese or English.

Each browser tab gets its own `Session` (`solara.use_memo(..., [])`: a model made at module
level would be shared by every browser); it is freed with the tab. The only module-level
state is the opt-in projector view: a weak reference to the session a trainer shares.
Start it with `govsim demo`.
"""

from __future__ import annotations

import threading
import time
import weakref

import ipyvuetify as v
import solara

from sim.page.figures import LAYERS, charts_figure, map_base, map_today
from sim.page.i18n import day_label, lever_label, message, tr
from sim.page.memory import free_after_close
from sim.page.plot import Plot, as_json
from sim.page.session import CHOOSABLE, SCENARIOS, SHOCKS, Session, mix_levers, sliders
from sim.policies import POLICIES
from sim.policies.base import lever_unit

POLICY = {p.name: p for p in POLICIES}
_projector: dict[str, weakref.ref] = {}  # "shared" -> the session a trainer shares
solara.lifecycle.on_kernel_start(free_after_close)  # a closed tab's model is freed at once
_days = solara.reactive(0)  # days stepped in this tab (per tab): only the city view reads it


def advance(session: Session) -> None:
    """Step one day and redraw the city view (not the controls)."""
    with session.lock:
        session.step()
    _days.value += 1


def policy_label(name: str, lang: str) -> str:
    return POLICY[name].title_zh if lang == "zh" else name.replace("_", " ")


def _select(label, items, value, on_value, multiple=False, classes=()):
    """A vuetify select whose items show translated text but keep their value."""
    return v.Select.element(
        label=label, items=items, v_model=value, multiple=multiple, chips=multiple,
        on_v_model=on_value, class_=" ".join(classes), hide_details=True,
    )  # fmt: skip


@solara.component
def LeverSliders(session: Session, lang: str, redraw, on_explain, version: int):
    """Each chosen policy's main levers, with units and ranges from the catalogue."""
    for policy in session.policies:
        solara.Text(policy_label(policy, lang), style={"font-weight": "bold"})
        values = mix_levers((policy,), session.levers)[policy]
        for lever, lo, hi, integer in sliders(policy):
            unit = lever_unit(lever, lang)

            def change(value, policy=policy, lever=lever):
                with session.lock:
                    session.set_lever(policy, lever, value)
                on_explain(policy)
                redraw()

            name = lever_label(policy, lever, lang)
            label = f"{name} ({unit}, {lo:g}–{hi:g})" if unit else f"{name} ({lo:g}–{hi:g})"
            kind = solara.SliderInt if integer else solara.SliderFloat
            step = 1 if integer or hi - lo > 100 else (hi - lo) / 100  # presets stay reachable
            kind(label, value=values[lever], min=lo, max=hi, step=step, on_value=change,
                 thumb_label="always")  # fmt: skip


@solara.component
def RunControls(session: Session, lang: str, redraw, playing, set_playing, speed, set_speed):
    """Play, pause, step, reset and speed."""

    def step():
        advance(session)

    def reset():
        with session.lock:
            session.reset()
        redraw()

    with solara.Row():
        label = tr("pause" if playing else "play", lang)
        solara.Button(label, color="primary", on_click=lambda: set_playing(not playing),
                      classes=["govsim-play"])  # fmt: skip
        solara.Button(tr("step", lang), on_click=step, classes=["govsim-step"])
        solara.Button(tr("reset", lang), on_click=reset, classes=["govsim-reset"])
    solara.SliderInt(tr("speed", lang), value=speed, min=1, max=10, on_value=set_speed)


@solara.component
def CityControls(session: Session, lang: str, redraw, on_explain, version: int):
    """Scenario, seed, policies, side by side and the shock button."""
    shock, set_shock = solara.use_state(SHOCKS[0])

    def settings(scenario=None, seed=None):
        with session.lock:
            session.set_city(scenario or session.scenario, session.seed if seed is None else seed)
        redraw()

    def policies(names):
        with session.lock:
            session.set_policies(tuple(n for n in CHOOSABLE if n in names))
        if names:
            on_explain(names[-1])
        redraw()

    def compare(on, names=None):
        with session.lock:
            session.set_compare(tuple(names or ()) if on else None)
        redraw()

    def start_shock():
        with session.lock:
            session.start_shock(shock)
        redraw()

    items = [{"text": policy_label(n, lang), "value": n} for n in CHOOSABLE]
    _select(tr("scenario", lang), [{"text": tr(s, lang), "value": s} for s in SCENARIOS],
            session.scenario, lambda s: settings(scenario=s))  # fmt: skip
    solara.InputInt(tr("seed", lang), value=session.seed, on_value=lambda s: settings(seed=s))
    _select(tr("policies", lang), items, list(session.policies), policies, multiple=True,
            classes=["govsim-policies"])  # fmt: skip
    solara.Checkbox(label=tr("side_by_side", lang), value=session.compare is not None,
                    on_value=lambda on: compare(on))  # fmt: skip
    if session.compare is not None:
        _select(tr("compare", lang), items, list(session.compare),
                lambda names: compare(True, names), multiple=True)  # fmt: skip
    with solara.Row():
        _select(tr("shock", lang), [{"text": tr(s, lang), "value": s} for s in SHOCKS], shock,
                set_shock)  # fmt: skip
        solara.Button(tr("start_shock", lang), color="warning", on_click=start_shock,
                      classes=["govsim-shock"])  # fmt: skip


def mix_title(names: tuple[str, ...] | None, lang: str) -> str:
    if not names:
        return "基线" if lang == "zh" else "baseline"
    return " + ".join(policy_label(n, lang) for n in names)


@solara.component
def CityView(session: Session, lang: str, layer: str, version: int):
    """The map(s), the difference between the two cities, the charts. A day stepped redraws
    this view only (it reads `_days`), and sends each map only its day's traces."""
    _days.value  # noqa: B018  (subscribes: re-rendered when a day is stepped)
    with session.lock:
        cities = tuple(session.cities)
        names = [mix_title(session.policies, lang)]
        if session.right is not None:
            names.append(mix_title(session.compare, lang))
        sides = [tr(side, lang) for side in ("left", "right")] if len(cities) > 1 else [""]
        bases = solara.use_memo(
            lambda: [
                as_json(map_base(c, layer, lang, s)) for c, s in zip(cities, sides, strict=True)
            ],
            dependencies=[cities, layer, lang, tuple(sides)],
        )
        todays = [as_json(map_today(city, layer, lang)) for city in cities]
        charts = as_json(charts_figure(list(cities), lang, tuple(names)))
        diff = difference_table(session, lang) if session.right is not None else None
        day = session.day
    solara.Text(day_label(day, lang), classes=["govsim-day"],
                style={"font-size": "28px", "font-weight": "bold"})  # fmt: skip
    with solara.Columns([1] * len(cities)):
        for side, (base, today) in enumerate(zip(bases, todays, strict=True)):
            with solara.Div(classes=[f"govsim-map-{side}"]):
                solara.Text(names[side], style={"font-size": "20px"})
                Plot(base, today, css_class="govsim-plot")
    if diff:
        solara.HTML(tag="div", unsafe_innerHTML=diff, classes=["govsim-difference"])
    with solara.Div(classes=["govsim-charts"]):
        Plot(charts, css_class="govsim-plot")


def difference_table(session: Session, lang: str) -> str:
    """An HTML table: today's measures for both cities and their difference (solara's
    Markdown would fetch KaTeX from the web)."""
    rows = [
        ("needs_arisen", "arisen_total"),
        ("open", "open"),
        ("latent", "latent"),
        ("satisfaction", "satisfaction_resident"),
        ("satisfaction", "satisfaction_migrant"),
        ("volunteers", "volunteers_active"),
    ]
    left, right = session.left.model.daily_rows, session.right.model.daily_rows
    if not left:
        return ""
    cell = '<td style="text-align:right; padding:2px 12px">{}</td>'
    head = "".join(f"<th>{tr(k, lang)}</th>" for k in ("measure", "left", "right")) + "<th>Δ</th>"
    lines = [f"<b>{tr('difference', lang)}</b>", f"<table><tr>{head}</tr>"]
    for key, column in rows:
        a, b = left[-1][column], right[-1][column]
        group = column.rsplit("_", 1)[-1]
        label = f"{tr(key, lang)} · {tr(group, lang)}" if key == "satisfaction" else tr(key, lang)
        values = (_num(a), _num(b), _num(b - a, sign=True))
        lines.append(f"<tr><td>{label}</td>{''.join(cell.format(v) for v in values)}</tr>")
    return "\n".join([*lines, "</table>"])


def _num(x: float, sign: bool = False) -> str:
    """Counts with thousands separators, shares with three decimals."""
    spec = ",.0f" if abs(x) >= 10 or float(x).is_integer() else ".3f"
    return format(x, ("+" if sign else "") + spec)


@solara.component
def Explanation(policy: str | None, lang: str):
    """One or two sentences from the catalogue on what the chosen policy changes."""
    if policy is None:
        return
    p = POLICY[policy]
    text = p.mechanism_zh if lang == "zh" else p.mechanism_en
    with solara.Card(f"{tr('explain', lang)}: {policy_label(policy, lang)}"):
        solara.Text(text, classes=["govsim-explain"])


@solara.component
def Projector(session: Session, lang: str, version: int):
    """Opt-in: share this city with the class, or watch the one shared."""
    shared = _projector.get("shared")
    sharing = shared is not None and shared() is session

    def share(on: bool):
        if on:
            _projector["shared"] = weakref.ref(session)
        elif sharing:
            _projector.pop("shared", None)

    solara.Checkbox(label=tr("projector_share", lang), value=sharing, on_value=share)


def play_loop(session: Session, playing: bool, speed: int):
    """While playing: step, redraw, wait for the next tick (until cancelled)."""

    def loop(cancel: threading.Event):
        while playing and not cancel.is_set():
            started = time.perf_counter()
            advance(session)
            cancel.wait(max(0.0, 1.0 / speed - (time.perf_counter() - started)))

    return loop


def watch_loop(cancel: threading.Event):
    """The projector view refreshes once a second."""
    while not cancel.wait(1.0):
        _days.value += 1


@solara.component
def Page():
    session = solara.use_memo(Session, dependencies=[])
    lang, set_lang = solara.use_state("zh")
    version, set_version = solara.use_state(0)
    playing, set_playing = solara.use_state(False)
    speed, set_speed = solara.use_state(4)
    layer, set_layer = solara.use_state("land_use")
    explained, set_explained = solara.use_state(None)
    watching, set_watching = solara.use_state(False)

    def redraw():
        set_version(lambda n: n + 1)

    solara.use_thread(play_loop(session, playing, speed), [playing, speed],
                      intrusive_cancel=False)  # fmt: skip
    solara.use_thread(watch_loop if watching else (lambda cancel: None), [watching],
                      intrusive_cancel=False)  # fmt: skip
    solara.Title(tr("title", lang))
    shared = _projector.get("shared")
    shown = shared() if watching and shared is not None else None
    with solara.Columns([1, 3], style={"font-size": "16px"}):
        with solara.Column():
            solara.ToggleButtonsSingle(value=lang, values=["zh", "en"], on_value=set_lang,
                                       classes=["govsim-lang"])  # fmt: skip
            solara.Checkbox(label=tr("projector_watch", lang), value=watching,
                            on_value=set_watching)  # fmt: skip
            if not watching:
                Controls(session, lang, redraw, playing, set_playing, speed, set_speed,
                         set_explained, version)  # fmt: skip
                Projector(session, lang, version)
            _select(tr("layer", lang), [{"text": tr(k, lang), "value": k} for k in LAYERS],
                    layer, set_layer, classes=["govsim-layer"])  # fmt: skip
            Explanation(explained or (session.policies or (None,))[-1], lang)
        with solara.Column():
            if session.error and not watching:
                solara.Error(f"{tr('error', lang)} {message(session.error, lang)}",
                             classes=["govsim-error"])  # fmt: skip
            if watching and shown is None:
                solara.Info(tr("projector_none", lang))
            else:
                CityView(shown or session, lang, layer, version)


@solara.component
def Controls(session, lang, redraw, playing, set_playing, speed, set_speed, on_explain, version):
    """The controls of one's own city. `version` makes them redraw when the session changes
    (reacton skips a component whose props compare equal, and the session is one object)."""
    with solara.Card():
        RunControls(session, lang, redraw, playing, set_playing, speed, set_speed)
    with solara.Card():
        CityControls(session, lang, redraw, on_explain, version)
    if session.policies:
        with solara.Card(tr("levers", lang)):
            LeverSliders(session, lang, redraw, on_explain, version)
