"""The page's labels exist in both languages: every slider's lever has a Chinese name."""

from __future__ import annotations

from sim.page.i18n import LEVERS_ZH, lever_label
from sim.page.session import CHOOSABLE, sliders


def test_every_slider_lever_has_a_chinese_name_and_keeps_its_catalogue_name_in_english():
    shown = {lever for policy in CHOOSABLE for lever, *_ in sliders(policy)}
    assert shown == set(LEVERS_ZH)  # no lever without a name, no name without a slider
    assert lever_label("staff_moved_share", "zh") == "职能部门人员下沉比例"
    assert lever_label("staff_moved_share", "en") == "staff_moved_share"
