"""Every lever of every policy says, in English and Chinese, what it does to which mechanism,
and has a short Chinese name for slider labels (issue 9: the catalogue names each lever's
effect). The notes follow the schema: no lever without a note, no note without a lever."""

from __future__ import annotations

import re

import pytest

from sim.policies import POLICIES
from sim.policies.base import LeverNote, lever_label, lever_note

CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_EN = 120  # a catalogue table stays readable


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_notes_are_exactly_the_schema_fields(policy):
    assert set(policy.lever_notes) == set(policy.levers.model_fields)


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_every_note_is_complete_and_in_its_language(policy):
    for lever, note in policy.lever_notes.items():
        assert isinstance(note, LeverNote), lever
        assert note.en.strip() and note.zh.strip() and note.name_zh.strip(), lever
        assert CJK.search(note.zh) and CJK.search(note.name_zh), lever
        assert len(note.en) <= MAX_EN, (lever, len(note.en))
        assert note.en != note.zh, lever


def test_lookups_by_language():
    policy = next(p for p in POLICIES if p.name == "volunteer_pay")
    lever = "volunteer_stipend_yuan_per_h"
    assert lever_label(policy, lever, "zh") == "志愿者每小时补贴"
    assert lever_label(policy, lever, "en") == lever
    assert lever_note(policy, lever, "en") == policy.lever_notes[lever].en
    assert lever_note(policy, lever, "zh") == policy.lever_notes[lever].zh
    with pytest.raises(KeyError):
        lever_note(policy, "no_such_lever", "en")


def test_every_policy_with_levers_is_noted():
    noted = sum(len(p.lever_notes) for p in POLICIES)
    assert noted == sum(len(p.levers.model_fields) for p in POLICIES) > 90
