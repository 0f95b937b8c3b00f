"""The register of outcomes: every number a comparison reports, declared once.

Each `Outcome` names a column of runs.parquet (and a metric of summary.csv), its unit, which
direction is better, its English and Chinese labels, whether it is a headline, whether it
exists per group (then the columns are `<name>_resident` and `<name>_migrant`), and where
it comes from: a dotted path into summary.json, or, for the resilience outcomes, the run's
daily table. The computing lives in `sim/summary.py`; this module only says where to read.
Aggregation, statistics, figures, the report and the CLI's run table all read this list, so
adding an outcome is one entry in `OUTCOMES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

GROUPS = ("resident", "migrant")
GROUP_LABELS = {
    "en": {"resident": "residents", "migrant": "migrants"},
    "zh": {"resident": "户籍居民", "migrant": "流动人口"},
}


class Better(StrEnum):
    """Which direction of change is an improvement."""

    HIGHER = "higher"
    LOWER = "lower"
    ZERO = "closer to zero"  # gaps: a negative gap (residents worse) is unequal too
    NEUTRAL = "neutral"  # counts and spending: inputs or scale, not good or bad in themselves


@dataclass(frozen=True)
class Unit:
    symbol_en: str
    symbol_zh: str
    level_format: str  # how one value is printed (the CLI's run table)
    change_scale: float  # a change is printed times this ...
    change_unit_en: str  # ... in this unit
    change_unit_zh: str


UNITS = {
    "h": Unit("h", "小时", "{:.1f}", 1.0, "h", "小时"),
    "share": Unit("0–1", "0–1", "{:.1%}", 100.0, "pts", "个百分点"),
    "score": Unit("0–1", "0–1", "{:.3f}", 100.0, "pts", "个百分点"),
    "count": Unit("count", "件/人", "{:,.0f}", 1.0, "", ""),
    "yuan": Unit("yuan", "元", "{:,.0f}", 1.0, "yuan", "元"),
    "days": Unit("days", "天", "{:.0f}", 1.0, "days", "天"),
    "ratio": Unit("×", "倍", "{:.2f}", 1.0, "×", "倍"),
}

SUMMARY = "sim.summary.summarise"
GROUP_METRICS = "sim.summary.group_metrics"
RESILIENCE = "sim.summary.resilience"


@dataclass(frozen=True)
class Outcome:
    name: str  # column of runs.parquet, metric of summary.csv
    unit: str  # a key of UNITS
    better: Better
    en: str
    zh: str
    definition: str  # one line; ODD.md §8 has the details
    source: str | None  # dotted path in summary.json; None: computed from daily.parquet
    computed_by: str = GROUP_METRICS
    overall: bool = True  # a column for everyone
    by_group: bool = False  # columns `<name>_resident`, `<name>_migrant`
    group_source: str = "by_group.{group}.{name}"
    headline: bool = False  # in the report's headline table and forest plots
    run_table: bool = False  # a row of the summary table `govsim run` prints

    def columns(self) -> list[str]:
        overall = [self.name] if self.overall else []
        return overall + ([f"{self.name}_{g}" for g in GROUPS] if self.by_group else [])

    def path(self, group: str | None = None) -> str | None:
        """Where the value sits in summary.json (for everyone, or for one group)."""
        if group is None:
            return self.source if self.overall else None
        return self.group_source.format(group=group, name=self.name) if self.by_group else None


def _grouped(name, unit, better, en, zh, definition, **flags) -> Outcome:
    return Outcome(name, unit, better, en, zh, definition, name, by_group=True, **flags)


def _cost(item: str, en: str, zh: str) -> Outcome:
    return Outcome(
        f"cost_{item}_yuan", "yuan", Better.NEUTRAL, en, zh,
        f"government spending over the run: {en}", f"cost_yuan.{item}", SUMMARY,
    )  # fmt: skip


def _resilience(name, unit, en, zh, definition) -> Outcome:
    return Outcome(name, unit, Better.LOWER, en, zh, definition, None, RESILIENCE)


H, L, Z, N = Better.HIGHER, Better.LOWER, Better.ZERO, Better.NEUTRAL

OUTCOMES: tuple[Outcome, ...] = (
    _grouped("problems", "count", N, "problems arisen", "产生的问题",
             "needs that arose during the run", run_table=True),
    _grouped("known_share_arisen", "share", H, "known to the system", "进入系统的比例",
             "known / arisen", run_table=True),
    _grouped("median_contact_h", "h", L, "median hours to first contact", "首次联系时间中位数",
             "Kaplan–Meier median of first contact − known, dispatched problems",
             run_table=True),
    _grouped("p90_contact_h", "h", L, "90th percentile hours to first contact",
             "首次联系时间第90百分位", "Kaplan–Meier 90th percentile of first contact − known"),
    _grouped("median_close_h", "h", L, "median hours to close", "办结时间中位数",
             "Kaplan–Meier median of closed − known; open problems censored",
             headline=True, run_table=True),
    _grouped("median_arise_to_close_h", "h", L, "median hours from need to close",
             "诉求产生至办结时间中位数",
             "Kaplan–Meier median of closed − arisen, every need; latent and open ones "
             "censored at the end, self-resolved and lapsed ones where they ended",
             headline=True),
    _grouped("p90_close_h", "h", L, "90th percentile hours to close", "办结时间第90百分位",
             "Kaplan–Meier 90th percentile of closed − known"),
    _grouped("response_rate", "share", H, "contacted within limit", "按时联系率",
             "dispatched problems past their contact deadline: share contacted in time",
             headline=True, run_table=True),
    _grouped("on_time_closure_rate", "share", H, "closed within limit", "按时办结率",
             "dispatched problems past their closure deadline: share closed in time"),
    _grouped("solved_share_known", "share", H, "solved share of known", "已知问题解决比例",
             "solved / known (real, not rated)", run_table=True),
    _grouped("solved_share_arisen", "share", H, "solved share of all needs", "诉求解决比例",
             "solved / arisen (real, not rated)", headline=True),
    _grouped("unmet_needs", "count", L, "unmet needs", "未满足的诉求",
             "needs due by the end (closure limit passed) that were not solved",
             headline=True),
    _grouped("resolution_rate", "share", H, "rated resolution rate", "回访解决率",
             "rated resolved / callbacks", headline=True, run_table=True),
    _grouped("real_resolution_rate", "share", H, "real resolution rate", "实际解决率",
             "solved / callbacks (the same orders as the rated rate, real outcome)"),
    _grouped("rated_real_gap", "share", Z, "rated minus real resolution", "回访解决率与实际之差",
             "rated resolution rate − real resolution rate (persuasion; 0 without gaming)"),
    _grouped("satisfaction_rate", "share", H, "rated satisfaction rate", "回访满意率",
             "rated satisfied / callbacks", headline=True, run_table=True),
    Outcome("satisfaction_mean", "score", H, "mean satisfaction at the end", "期末平均满意度",
            "mean satisfaction of present people on the last day", None, SUMMARY,
            overall=False, by_group=True, group_source="satisfaction_mean.{group}"),
    Outcome("trust_mean", "score", H, "mean trust at the end", "期末平均信任度",
            "mean trust in government of present people on the last day", None, SUMMARY,
            overall=False, by_group=True, group_source="trust_mean.{group}"),
    Outcome("reporting_gap", "share", Z, "reporting gap (+ = migrants worse)",
            "报告差距 (正=流动人口差)", "known_share_arisen, resident − migrant",
            "equity_gaps.reporting_gap", SUMMARY, headline=True),
    Outcome("service_gap", "share", Z, "service gap (+ = migrants worse)",
            "服务差距 (正=流动人口差)",
            "on-time closure, resident − migrant, within kind × channel strata",
            "equity_gaps.service_gap", "sim.summary.service_gap"),
    Outcome("outcome_gap", "share", Z, "outcome gap (+ = migrants worse)",
            "结果差距 (正=流动人口差)", "solved by deadline / arisen, resident − migrant",
            "equity_gaps.outcome_gap", SUMMARY),
    Outcome("volunteers_active_mean", "count", H, "volunteers active per day",
            "日均活跃志愿者", "mean over days of active volunteers", "volunteers_active_mean",
            SUMMARY),
    Outcome("calls_total", "count", N, "hotline calls and consultations", "热线来电与咨询",
            "logged calls + consultations at the end", "calls_total", SUMMARY),
    Outcome("shadow_cost_yuan", "yuan", N, "shadow cost of unpaid party and lent time",
            "党员与共建单位无偿时间影子成本",
            "party members' hours × shadow wage + lent unit staff × community wage; not spending",
            "shadow_cost_yuan", SUMMARY),
    _cost("total", "total", "合计"),
    _cost("wages", "wages", "工资"),
    _cost("stipends", "stipends", "补贴"),
    _cost("contracts", "contracts", "购买服务合同"),
    _cost("capital", "capital", "资本支出"),
    _cost("operating", "operating", "运营支出"),
    _cost("entitlements", "entitlements", "公共服务待遇"),
    _cost("city", "paid by the city", "市级支付"),
    _cost("district", "paid by the district", "区级支付"),
    _cost("street", "paid by street offices", "街道支付"),
    _resilience("peak_open", "count", "peak open problems from the shock on", "冲击后在办问题峰值",
                "max of open from the first shock's start"),
    _resilience("peak_open_ratio", "ratio", "peak open / normal open", "峰值/常态在办比",
                "peak_open / mean open over the 30 days before the shock"),
    _resilience("recovery_days", "days", "days to recover after the shock", "冲击后恢复天数",
                "first day after the last shock ends with open ≤ 1.1 × normal, minus its end"),
    _resilience("satisfaction_dip", "score", "satisfaction dip in the shock", "冲击期间满意度下降",
                "mean satisfaction over the 30 days before − its minimum from the shock on"),
)  # fmt: skip

# Numbers summary.json records per run that are deliberately not outcomes of a comparison
# (counts behind a rate, programme activity, fixed inputs). tests/test_outcomes.py fails
# on a new summary.json number that is neither registered above nor listed here.
RECORDED_ONLY = (
    "known", "callbacks", "solved_by_deadline_share_arisen", "consultations_total",
    "volunteer_hours_total", "calls", "persuasion_contacts", "explanation_contacts",
    "grid_workers", "staff_moved_to_streets",
    "funds_moved_yuan_per_year", "owners_private_cost_yuan", "unpaid_hours", "handler_work_h",
    "programmes", "seed", "days", "shadow_cost_parts_yuan",
)  # fmt: skip

BY_NAME = {o.name: o for o in OUTCOMES}
HEADLINE = tuple(o.name for o in OUTCOMES if o.headline)
RUN_TABLE = tuple(o.name for o in OUTCOMES if o.run_table)


def columns() -> list[str]:
    """Every outcome column of runs.parquet, in register order."""
    return [column for o in OUTCOMES for column in o.columns()]


def lookup(summary: dict, path: str | None) -> float | None:
    """The number at a dotted path of a summary.json dict (None where absent)."""
    if path is None:
        return None
    value = summary
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return None if value is None else float(value)


def from_summary(summary: dict) -> dict[str, float | None]:
    """One run's outcome columns read from its summary.json (resilience ones are None)."""
    row = {}
    for outcome in OUTCOMES:
        if outcome.overall:
            row[outcome.name] = lookup(summary, outcome.path())
        for group in GROUPS if outcome.by_group else ():
            row[f"{outcome.name}_{group}"] = lookup(summary, outcome.path(group))
    return row


def of_column(column: str) -> tuple[Outcome, str | None]:
    """The outcome behind a runs.parquet column, and its group (None for everyone)."""
    if column in BY_NAME:
        return BY_NAME[column], None
    for group in GROUPS:
        outcome = BY_NAME.get(column.removesuffix(f"_{group}"))
        if column.endswith(f"_{group}") and outcome is not None and outcome.by_group:
            return outcome, group
    raise KeyError(f"{column!r} is not a registered outcome column (see sim/outcomes.py)")


def label(column: str, lang: str = "en", unit: bool = False) -> str:
    """A column's label in English or Chinese, with its group, and its unit if asked."""
    outcome, group = of_column(column)
    text = outcome.zh if lang == "zh" else outcome.en
    if group is not None:
        text += (
            f" ({GROUP_LABELS[lang][group]})"
            if lang == "en"
            else f"（{GROUP_LABELS[lang][group]}）"
        )
    if unit:
        symbol = UNITS[outcome.unit]
        text += f" ({symbol.symbol_zh if lang == 'zh' else symbol.symbol_en})"
    return text


def change_unit(column: str, lang: str = "en") -> tuple[float, str]:
    """How a change in this column is printed: multiply by the scale, then the unit."""
    unit = UNITS[of_column(column)[0].unit]
    return unit.change_scale, unit.change_unit_zh if lang == "zh" else unit.change_unit_en


def improved(column: str, baseline: float, change: float) -> bool | None:
    """Whether a change from baseline is an improvement (None: neither, by definition)."""
    better = of_column(column)[0].better
    if better is Better.HIGHER:
        return change > 0
    if better is Better.LOWER:
        return change < 0
    if better is Better.ZERO:
        return abs(baseline + change) < abs(baseline)
    return None
