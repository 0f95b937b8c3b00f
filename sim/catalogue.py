"""The policy catalogue: names in the fixed order that names a mix, bundles, and descriptions.

Levers (with units and ranges) come from the schema in `sim.config`; here is what a person
reads: one line on the mechanism and the cost categories, in English and Chinese.
"""

POLICY_NAMES: tuple[str, ...] = (
    "baseline",
    "hotline_merge",
    "direct_dispatch",
    "kaohe",
    "whistle",
    "resource_sinking",
    "responsibility_sinking",
    "grid_management",
    "volunteer_pay",
    "volunteer_honour",
    "volunteer_points",
    "purchase_services",
    "smart_platform",
    "migrant_inclusion",
    "migrant_entitlement",
    "deliberation",
    "party_building",
    "proactive_governance",
    "burden_reduction",
)

# Presets made of other options; a mix holding all parts of a bundle is named by the bundle.
BUNDLES: dict[str, tuple[str, ...]] = {
    "reform_2019": ("hotline_merge", "direct_dispatch", "kaohe", "whistle"),
    "hotline": ("hotline_merge", "direct_dispatch", "kaohe"),
}


def mix_name(names: list[str]) -> str:
    """The mix as one string: bundles first (largest first), then the rest, joined by '+'."""
    rest = [n for n in POLICY_NAMES if n in names]
    parts = []
    for bundle, members in BUNDLES.items():
        if all(m in rest for m in members):
            parts.append(bundle)
            rest = [n for n in rest if n not in members]
    return "+".join(parts + rest) or "baseline"


# name -> (中文, mechanism in English, mechanism in Chinese, cost categories)
DESCRIPTIONS: dict[str, tuple[str, str, str, str]] = {
    "baseline": (
        "基线",
        "12345 exists; orders relayed through the district; no ranking, no whistle",
        "有12345热线, 工单经区级转派; 无考核排名, 无吹哨",
        "wages, contracts",
    ),
    "hotline_merge": (
        "一号受理",
        "40+ lines merged: fewer returned orders, more people know the number",
        "40多条热线合并: 退单减少, 知晓率提高",
        "operating",
    ),
    "direct_dispatch": (
        "直派街道·首接负责",
        "orders go straight to street offices; the first receiver keeps them",
        "工单直派街道, 首接负责",
        "none (reallocation)",
    ),
    "kaohe": (
        "考核排名",
        "monthly three-rate ranking of streets; pressure buys priority, persuasion and exemptions",
        "每月三率排名; 压力带来优先处理、回访前说服与申请免考核",
        "staff time",
    ),
    "whistle": (
        "街乡吹哨、部门报到",
        "streets summon departments, which must turn up within a deadline",
        "街道吹哨, 部门限时报到",
        "street staff time",
    ),
    "resource_sinking": (
        "资源下沉",
        "department staff, listed powers and funds move to streets and communities",
        "部门人员、执法权与经费下沉到街道和社区",
        "wages move payer (reallocation)",
    ),
    "responsibility_sinking": (
        "责任下沉",
        "tasks and first responsibility pushed down without staff or powers",
        "任务与首责下压, 无人无权",
        "none (burden on staff)",
    ),
    "grid_management": (
        "网格化管理",
        "more grid workers who patrol and visit homes",
        "增加网格员, 巡查与入户",
        "wages",
    ),
    "volunteer_pay": (
        "志愿服务经济激励",
        "hourly stipend; small stipends crowd out volunteering",
        "按小时补贴; 小额补贴挤出志愿动机",
        "stipends",
    ),
    "volunteer_honour": (
        "志愿服务荣誉激励",
        "titles and recognition raise volunteering with little crowding out",
        "荣誉表彰提升志愿参与, 挤出小",
        "operating",
    ),
    "volunteer_points": (
        "积分制·时间银行",
        "points per hour, partly material, partly honour",
        "积分兑换, 部分物质部分荣誉",
        "stipends",
    ),
    "purchase_services": (
        "政府购买服务·三社联动",
        "contracts add social workers to family service centres",
        "购买服务增加家庭综合服务中心社工",
        "contracts",
    ),
    "smart_platform": (
        "一网统管",
        "better routing, automatic detection of public-space problems, data entry",
        "智能派单、公共空间问题自动发现、数据录入",
        "capital, operating",
    ),
    "migrant_inclusion": (
        "流动人口融合(渠道)",
        "outreach, evening hours, language: migrants reach channels",
        "外展、延时服务、语言支持: 提高流动人口渠道可及",
        "wages",
    ),
    "migrant_entitlement": (
        "基本公共服务均等化",
        "school places and housing for migrants, up to slots",
        "为流动人口提供学位与住房, 以名额为限",
        "entitlements",
    ),
    "deliberation": (
        "议事厅·协商议事",
        "blocked shared-facility cases go to residents' meetings",
        "需业主同意的公共事务进入居民议事会协商",
        "none (unpaid hours)",
    ),
    "party_building": (
        "党建引领·双报到",
        "party members give hours; unit staff; faster coordination",
        "党员双报到服务、驻区单位资源、协调更快",
        "none (unpaid hours)",
    ),
    "proactive_governance": (
        "主动治理·未诉先办",
        "monthly root-cause fixes for the biggest clusters",
        "每月对高频问题集中治理",
        "capital",
    ),
    "burden_reduction": (
        "减负",
        "less admin time for community and grid workers",
        "减少社区与网格员的行政事务",
        "none",
    ),
}


UNITS = (  # (suffix, English, Chinese) — the unit a lever's name ends with
    ("_yuan_per_h", "yuan/h", "元/小时"),
    ("_yuan_per_year", "yuan/year", "元/年"),
    ("_yuan_per_volunteer_year", "yuan/volunteer-year", "元/志愿者·年"),
    ("_yuan_per_social_worker_year", "yuan/worker-year", "元/社工·年"),
    ("_yuan", "yuan", "元"),
    ("_h", "hours", "小时"),
    ("_per_day", "per day", "每天"),
    ("_per_month", "per month", "每月"),
    ("_per_year", "per year", "每年"),
    ("_days", "days", "天"),
    ("_share", "share 0-1", "比例 0-1"),
    ("_prob", "probability 0-1", "概率 0-1"),
)


def lever_unit(name: str, lang: str = "en") -> str:
    for suffix, en, zh in UNITS:
        if name.endswith(suffix) or f"{suffix}_" in name:
            return zh if lang == "zh" else en
    return ""


COSTS_ZH = {
    "wages": "工资", "contracts": "合同", "operating": "运营", "stipends": "补贴",
    "capital": "资本", "entitlements": "公共服务名额", "staff time": "人员时间",
    "street staff time": "街道人员时间", "none": "无", "reallocation": "调配",
    "wages move payer": "工资支付方转移", "burden on staff": "人员负担", "unpaid hours": "无偿时长",
}  # fmt: skip


def costs_in(text: str, lang: str) -> str:
    if lang != "zh":
        return text
    for en, zh in sorted(COSTS_ZH.items(), key=lambda item: -len(item[0])):
        text = text.replace(en, zh)
    return text


def allowed_range(field) -> str:
    """A lever's allowed values as text: '10–100000', 'bool', 'list' or the type."""
    lo = hi = None
    for m in field.metadata:
        lo = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else lo
        lo = getattr(m, "gt", None) if getattr(m, "gt", None) is not None else lo
        hi = getattr(m, "le", None) if getattr(m, "le", None) is not None else hi
    annotation = getattr(field.annotation, "__name__", str(field.annotation))
    if lo is not None and hi is not None:
        return f"{lo:g}–{hi:g}"
    if annotation in ("bool", "list"):
        return annotation
    return str(field.annotation).replace("typing.", "")


def lever_rows(model, lang: str = "en") -> list[tuple[str, str, str]]:
    """(lever, unit, allowed range) for each field of a policy's schema."""
    return [
        (name, lever_unit(name, lang), allowed_range(field))
        for name, field in model.model_fields.items()
    ]
