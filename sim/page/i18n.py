"""Every label, legend, tooltip and message of the page, in English and Chinese.

Governance terms follow ../shared/domain.md. `tr(key, lang)` looks a label up,
`lever_label` a slider's lever; policy names come from the catalogue (`sim.policies`),
units from `lever_unit`.
"""

from __future__ import annotations

import re

from sim.policies import POLICIES
from sim.policies.base import lever_label as catalogue_label

LANGS = ("en", "zh")

TEXT: dict[str, tuple[str, str]] = {  # key -> (English, 中文)
    "title": ("govsim · a district's grassroots governance", "govsim · 城市基层治理模拟"),
    "language": ("Language", "语言"),
    "scenario": ("Scenario", "情景"),
    "policies": ("Policies in force", "实施的政策"),
    "compare": ("Side by side: compare with", "并排对比: 另一组政策"),
    "side_by_side": ("Side by side (same city, same seed)", "并排对比 (同一城市, 同一随机种子)"),
    "seed": ("Seed", "随机种子"),
    "speed": ("Speed (days per second)", "速度 (天/秒)"),
    "play": ("Play", "播放"),
    "pause": ("Pause", "暂停"),
    "step": ("Step one day", "前进一天"),
    "reset": ("Reset", "重置"),
    "shock": ("Shock", "冲击"),
    "start_shock": ("Start now", "立即发生"),
    "layer": ("Map colour", "地图着色"),
    "levers": ("Levers (act from the next day on)", "政策杠杆 (次日起生效)"),
    "explain": ("What it changes in the model", "它在模型中改变什么"),
    "error": ("Input not accepted; the city runs on as before:", "输入无效, 城市按原设定继续运行:"),
    "projector_share": ("Share my city as the projector view", "将我的城市设为投影共享视图"),
    "projector_watch": ("Watch the projector view", "观看投影共享视图"),
    "projector_none": ("No one is sharing a projector view yet.", "尚无人共享投影视图。"),
    "left": ("Left", "左"),
    "right": ("Right", "右"),
    "difference": ("Difference (right − left), today", "差异 (右 − 左), 当日"),
    "measure": ("Measure", "指标"),
    "needs_arisen": ("Needs arisen so far", "累计产生的诉求"),
    # map layers and legend
    "land_use": ("Land use", "土地用途"),
    "open_problems": ("Open problems", "未办结问题"),
    "satisfaction": ("Satisfaction", "满意度"),
    "migrant_share": ("Migrant share", "流动人口比例"),
    "unmet_needs": ("Unmet needs (never reported)", "未诉需求 (沉默的诉求)"),
    "street_office": ("Street office", "街道办事处"),
    "social_org": ("Social organisation", "社会组织"),
    "jurisdiction": ("Street-office jurisdiction", "街道辖区"),
    "new_problems": ("Today's new problems", "当日新增问题"),
    "closures": ("Today's closures", "当日办结"),
    "old_town": ("Old town (老旧小区)", "老旧小区"),
    "estate": ("Commodity estate", "商品房小区"),
    "urban_village": ("Urban village", "城中村"),
    "commercial": ("Commercial", "商业区"),
    "public": ("Parks and public", "公园及公共用地"),
    # charts
    "hours_contact": (
        "Hours to first contact (median of the day)",
        "首次响应用时 (当日中位数, 小时)",
    ),
    "hours_close": ("Hours to close (median of the day)", "办结用时 (当日中位数, 小时)"),
    "satisfaction_groups": ("Satisfaction by group", "分群体满意度"),
    "open_latent": ("Open and latent problems", "未办结与未诉问题"),
    "volunteers": ("Volunteers active", "活跃志愿者"),
    "spending": ("Spending to date (million yuan)", "累计财政支出 (百万元)"),
    "resident": ("Residents", "户籍居民"),
    "migrant": ("Migrants", "流动人口"),
    "open": ("Open", "未办结"),
    "latent": ("Latent", "未诉"),
    "hours": ("hours", "小时"),
    # scenarios and shocks
    "default": ("Default district", "默认城区"),
    "epidemic": ("Epidemic", "疫情"),
    "flood": ("Flood", "洪涝"),
    "arrival_wave": ("Arrival wave", "外来人口涌入"),
    "topic_wave": ("Topic wave", "热点诉求潮"),
    "new_district": ("New district", "新城区"),
}

# pydantic's and the schema's phrases in messages, for the Chinese page
_PHRASES = (
    (r"must be <= ", "必须 ≤ "),
    (r"must be >= ", "必须 ≥ "),
    (r"must be > ", "必须 > "),
    (r" and ", " 且 "),
    (r"invalid configuration:", "配置无效:"),
    (r"unknown key", "未知参数"),
    (r"not a policy of the mix", "不是所选政策之一"),
)


def tr(key: str, lang: str) -> str:
    """The label of `key` in `lang` (the key itself if it has none)."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "zh" else pair[0]


POLICY_BY_NAME = {policy.name: policy for policy in POLICIES}


def lever_label(policy: str, lever: str, lang: str) -> str:
    """A lever's name on its slider: the catalogue's (as `govsim policies` and the README's
    exercises write it), in Chinese the policy's own lever note's name."""
    return catalogue_label(POLICY_BY_NAME[policy], lever, lang)


def day_label(day: int, lang: str) -> str:
    return f"第 {day} 天" if lang == "zh" else f"Day {day}"


def message(text: str, lang: str) -> str:
    """An error message from the model, with its common phrases in the page's language."""
    if lang != "zh":
        return text
    for pattern, zh in _PHRASES:
        text = re.sub(pattern, zh, text)
    return text
