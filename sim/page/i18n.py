"""Every label, legend, tooltip and message of the page, in English and Chinese.

Governance terms follow ../shared/domain.md. `tr(key, lang)` looks a label up,
`lever_label` a slider's lever; policy names come from the catalogue (`sim.policies`),
units from `lever_unit`.
"""

from __future__ import annotations

import re

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
    "new_district": ("New district", "新城区"),
}

LEVERS_ZH: dict[str, str] = {  # the sliders' levers: catalogue name (shown in English) -> 中文
    "misroute_prob": "工单派错概率",
    "awareness_gain_share": "热线知晓度提升",
    "operating_yuan_per_year": "年运行经费",
    "dispatch_delay_h": "派单延迟",
    "return_delay_h": "错派工单退回延迟",
    "rating_lift_share": "考核压力带来的评分抬升",
    "exemption_share": "不合理诉求申请剔除比例",
    "target_score_share": "考核目标分数",
    "report_deadline_h": "部门报到时限",
    "whistle_staff_h": "每次吹哨占用街道工时",
    "max_whistles_per_month": "每月吹哨上限",
    "staff_moved_share": "职能部门人员下沉比例",
    "authority_share": "下放街道的权限比例",
    "specialist_work_share": (
        "Specialists' time on their own field",
        "下沉专业人员从事本专业工作比例",
    ),
    "extra_admin_time_share": "新增台账填报时间比例",
    "extra_assessment_h": "每件督查与台账工时",
    "households_per_grid": "每网格户数",
    "patrol_time_share": "网格员巡查时间比例",
    "home_visit_time_share": "网格员入户走访时间比例",
    "volunteer_stipend_yuan_per_h": "志愿者补贴",
    "honour_share": "荣誉激励强度",
    "operating_yuan_per_volunteer_year": "每名志愿者年激励经费",
    "half_effect_yuan_per_volunteer_year": "达到一半效果的经费",
    "points_value_yuan_per_h": "每小时积分价值",
    "material_share": "积分兑换实物比例",
    "contract_yuan_per_year": "年购买服务金额",
    "yuan_per_social_worker_year": "每名社工年成本",
    "contract_days": "合同期限",
    "routing_gain_share": "智能派单减少错派比例",
    "detection_rate_per_day": "每日智能感知发现率",
    "data_entry_h_per_case": "每件数据录入工时",
    "hotline_access_share": "流动人口热线可及性",
    "community_access_share": "流动人口社区服务可及性",
    "social_org_access_share": (
        "Migrants' access to social organisations",
        "流动人口社会组织服务可及性",
    ),
    "school_places_per_year": "每年随迁子女入学名额",
    "housing_slots_per_year": "每年保障性住房名额",
    "yuan_per_school_place": "每个学位成本",
    "meeting_interval_days": "议事会间隔",
    "cases_per_meeting": "每次议事议题数",
    "attendees_per_meeting": "每次参会居民数",
    "member_share": "在职党员双报到比例",
    "hours_per_member_month": "每名党员每月服务时数",
    "unit_staff_per_community": "驻区单位每社区派驻人数",
    "fixes_per_month": "每月源头治理项目数",
    "rate_cut_share": "诉求发生率下降比例",
    "effect_days": "治理效果持续天数",
    "admin_time_cut_share": "减负: 行政事务时间削减比例",
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


def lever_label(lever: str, lang: str) -> str:
    """A lever's name on its slider: the catalogue's (as `govsim policies` and the README's
    exercises write it), in Chinese from `LEVERS_ZH`."""
    return LEVERS_ZH.get(lever, lever) if lang == "zh" else lever


def day_label(day: int, lang: str) -> str:
    return f"第 {day} 天" if lang == "zh" else f"Day {day}"


def message(text: str, lang: str) -> str:
    """An error message from the model, with its common phrases in the page's language."""
    if lang != "zh":
        return text
    for pattern, zh in _PHRASES:
        text = re.sub(pattern, zh, text)
    return text
