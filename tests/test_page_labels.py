"""The page's labels exist in both languages: every slider's lever has a Chinese name."""

from __future__ import annotations

import re

from sim.page.i18n import lever_label
from sim.page.session import CHOOSABLE, sliders


def test_every_slider_lever_has_a_chinese_name_and_keeps_its_catalogue_name_in_english():
    for policy in CHOOSABLE:
        for lever, *_ in sliders(policy):
            assert re.search(r"[\u4e00-\u9fff]", lever_label(policy, lever, "zh")), lever
            assert lever_label(policy, lever, "en") == lever
