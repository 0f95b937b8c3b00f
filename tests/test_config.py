"""The parameter schema: names, ranges, one-line errors, and ODD.md coverage."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from sim import load_params
from sim.config.params import PolicyMix
from sim.config.scenario import CityScenario, TextbookScenario
from sim.config.shocks import ShockMix
from sim.config.types import ConfigError
from sim.policies import POLICY_NAMES

ROOT = Path(__file__).resolve().parents[1]
YAMLS = sorted((ROOT / "scenarios").rglob("*.yaml"))


def _fields(model: type[BaseModel], prefix=""):
    """(dotted name, annotation, metadata) for every leaf field of a schema."""
    for name, field in model.model_fields.items():
        annotation = field.annotation
        args = typing.get_args(annotation)
        nested = [
            a for a in (annotation, *args) if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        if nested:
            yield from _fields(nested[0], f"{prefix}{name}.")
            continue
        if typing.get_origin(annotation) is dict:
            value = args[1]
            if isinstance(value, type) and issubclass(value, BaseModel):
                yield from _fields(value, f"{prefix}{name}.*.")
                continue
        yield f"{prefix}{name}", annotation, field.metadata


def _bounds(metadata) -> tuple[float | None, float | None]:
    lo = hi = None
    for m in metadata:
        lo = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else lo
        lo = getattr(m, "gt", None) if getattr(m, "gt", None) is not None else lo
        hi = getattr(m, "le", None) if getattr(m, "le", None) is not None else hi
        hi = getattr(m, "lt", None) if getattr(m, "lt", None) is not None else hi
    return lo, hi


SCHEMAS = [
    CityScenario,
    TextbookScenario,
    *[typing.get_args(PolicyMix.model_fields[n].annotation)[0] for n in POLICY_NAMES],
    *[typing.get_args(f.annotation)[0] for f in ShockMix.model_fields.values()],
]
LEAVES = [leaf for schema in SCHEMAS for leaf in _fields(schema)]


@pytest.mark.parametrize(
    ("name", "annotation", "metadata"), LEAVES, ids=[leaf[0] for leaf in LEAVES]
)
def test_fractions_say_share_or_prob_and_staff_counts_say_staff(name, annotation, metadata):
    leaf = name.split(".")[-1]
    lo, hi = _bounds(metadata)
    if annotation is float and lo == 0.0 and hi == 1.0:
        assert "share" in leaf or "prob" in leaf, f"{name} is a 0-1 fraction"
    if "share" in leaf or "prob" in leaf:
        assert annotation is float and lo is not None and lo >= 0 and hi is not None and hi <= 1, (
            name
        )
    if "staff" in leaf and "per" not in leaf and "wage" not in leaf:
        assert annotation in (int, float), name


def _yaml_leaves(node, out: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "defaults":
                continue
            if isinstance(value, dict) and value:
                out.add(str(key)) if key not in ("hydra",) else None
                _yaml_leaves(value, out)
            elif key != "hydra":
                out.add(str(key))


def test_every_yaml_key_is_documented_in_odd():
    odd = (ROOT / "ODD.md").read_text(encoding="utf-8")
    keys: set[str] = set()
    for path in YAMLS:
        tree = yaml.safe_load(path.read_text()) or {}
        tree.pop("hydra", None)
        _yaml_leaves(tree, keys)
    missing = sorted(k for k in keys if f"`{k}`" not in odd)
    assert not missing, f"ODD.md lacks rows for {missing}"


def test_issue_named_leaves_occur_once():
    text = {p.name: p.read_text() for p in YAMLS}
    textbook = text["textbook_queue.yaml"]
    for leaf in ("arrival_rate_per_h", "service_rate_per_h", "servers"):
        assert len(re.findall(rf"^{leaf}:", textbook, flags=re.M)) == 1
    stipend = sum(len(re.findall(r"volunteer_stipend_yuan_per_h:", t)) for t in text.values())
    assert stipend == 1
    params = load_params(
        policy=["volunteer_pay"],
        overrides=["policies.volunteer_pay.volunteer_stipend_yuan_per_h=0"],
    )
    assert params.policies.volunteer_pay.volunteer_stipend_yuan_per_h == 0


@settings(max_examples=25, deadline=None)
@given(
    st.sampled_from(
        [
            ("scenario.population.people", 0),
            ("scenario.dispatch.misroute_prob", 1.01),
            ("scenario.community.admin_time_share", -0.1),
            ("scenario.grid.hours_per_day", 25),
            ("sim.days", 0),
            ("seed", -1),
        ]
    ),
    st.floats(0, 1),
)
def test_out_of_range_values_name_key_value_and_range(case, _noise):
    key, value = case
    with pytest.raises(ConfigError) as err:
        load_params(overrides=[f"{key}={value}"])
    message = str(err.value)
    assert key in message and str(value) in message and ("<" in message or ">" in message)


def test_cross_field_checks():
    with pytest.raises(ConfigError, match="time shares sum"):
        load_params(overrides=["scenario.grid.patrol_time_share=0.9"])
    with pytest.raises(ConfigError, match="cell_share values sum"):
        load_params(overrides=["scenario.city.land_use.public.cell_share=0.5"])
    with pytest.raises(ConfigError, match="department"):
        load_params(overrides=["scenario.kinds.care.needs_department_prob=0.5"])
    with pytest.raises(ConfigError, match="powers_moved_kinds"):
        load_params(
            policy=["resource_sinking"],
            overrides=["policies.resource_sinking.powers_moved_kinds=[flying]"],
        )


def test_params_are_frozen_and_name_the_mix():
    params = load_params(policy=["volunteer_pay", "hotline"])
    assert params.policy_mix == "hotline+volunteer_pay"
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises its own frozen error
        params.seed = 3


def test_a_scenario_without_type_is_told_to_build_on_the_default():
    from sim.config.load import compose_config, job_tree
    from sim.config.params import validate

    tree = job_tree(compose_config("default", ["baseline"]))
    tree["scenario"] = {"name": "mine", "city": tree["scenario"]["city"]}
    with pytest.raises(ConfigError, match=r"scenario 'mine'.*defaults: \[default, _self_\]"):
        validate(tree)


def test_load_params_takes_one_name_or_a_list_under_the_cli_names():
    from sim import load_params

    one = load_params("default", "hotline", ["sim.days=5"], shock="flood")
    assert one.policy_mix == "hotline" and one.sim.days == 5
    assert one.shocks.flood is not None
    listed = load_params(policy=["hotline", "grid_management"], shock=["flood", "epidemic"])
    assert listed.policy_mix == "hotline+grid_management"
    assert listed.shocks.flood is not None and listed.shocks.epidemic is not None
    with pytest.warns(DeprecationWarning, match="policy="):
        assert load_params(policies=["whistle"]).policy_mix == "whistle"
