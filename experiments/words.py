"""How conditions, keys, values and numbers read in English and Chinese: one place for
every word of a report that is not an outcome label (those come from `sim/outcomes.py`)."""

from __future__ import annotations

import math

import pandas as pd

from sim import outcomes
from sim.policies import title

SHOCKS_ZH = {
    "epidemic": "疫情",
    "flood": "洪涝",
    "arrival_wave": "人口流入潮",
    "topic_wave": "热点诉求潮",
}
KEYS = {  # a swept key as a reader sees it; other keys by their last dotted part
    "en": {"shock": "shock", "budget_yuan_per_year": "budget", "scenario": "scenario"},
    "zh": {"policy": "政策", "shock": "冲击", "budget_yuan_per_year": "预算", "scenario": "情景",
           "volunteer_stipend_yuan_per_h": "志愿者补贴 (元/小时)"},
}  # fmt: skip
DIGITS = {"count": 0, "yuan": 0}  # decimals of a printed change (one for every other unit)


def key_label(key: str, lang: str) -> str:
    last = key.rsplit(".", 1)[-1]
    return KEYS[lang].get(key, KEYS[lang].get(last, last))


def money(yuan: float, lang: str, per_year: bool = False, sign: bool = False) -> str:
    """Yuan as a reader counts it: millions in English, 万元 in Chinese."""
    plus = "+" if sign else ""
    if lang == "zh":
        return f"{yuan / 1e4:{plus},.0f} 万元" + ("/年" if per_year else "")
    return f"{yuan / 1e6:{plus},.2f} M yuan" + ("/year" if per_year else "")


def value_text(key: str, value: object, lang: str) -> str:
    """One value of a swept key: shock names and budgets in the reader's words."""
    if key == "policy":
        return title(str(value), lang)
    if key == "shock" and lang == "zh":
        return "+".join(SHOCKS_ZH.get(s, s) for s in str(value).split("+"))
    if key.endswith("_yuan_per_year") and _number(value):
        return money(float(value), lang, per_year=True)
    if _number(value):
        number = float(value)
        return f"{int(number):,}" if number.is_integer() else f"{number:g}"
    return str(value)


def _number(value: object) -> bool:
    try:
        return not math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def condition_label(condition: dict | pd.Series, keys: list[str], lang: str = "en") -> str:
    """A condition in a few words: the policy mix, then its other keys (`shock=flood`,
    `冲击=洪涝`)."""
    others = [
        f"{key_label(key, lang)}={value_text(key, condition[key], lang)}"
        for key in keys
        if key != "policy"
    ]
    return " · ".join([value_text("policy", condition["policy"], lang), *others])


def reference_label(reference: str, lang: str) -> str:
    """summary.csv's `reference` ("baseline" or "key=value") in the reader's words."""
    if reference == "baseline":
        return title("baseline", lang)
    key, _, value = reference.partition("=")
    return f"{key_label(key, lang)}={value_text(key, value, lang)}"


def change(metric: str, value: float, lang: str, sign: bool = True) -> str:
    """A change in the table's units (hours, points …), without the unit."""
    if pd.isna(value):
        return "–"
    scale, _ = outcomes.change_unit(metric, lang)
    digits = DIGITS.get(outcomes.of_column(metric)[0].unit, 1)
    return f"{scale * value:{'+' if sign else ''},.{digits}f}"


def unit(metric: str, lang: str) -> str:
    return outcomes.change_unit(metric, lang)[1]


def level(metric: str, value: float) -> str:
    """A level as the run table prints it (56.1%, 37.1, 1,234)."""
    if pd.isna(value):
        return "–"
    return outcomes.UNITS[outcomes.of_column(metric)[0].unit].level_format.format(value)


def num(metric: str, field: str, value: float, lang: str, sign: bool = True) -> str:
    """A number of summary.csv as HTML, tagged with where it comes from, so a test (or a
    reader of the source) can check it against summary.csv."""
    return (
        f"<span class='num' data-metric='{metric}' data-field='{field}'>"
        f"{change(metric, value, lang, sign)}</span>"
    )
