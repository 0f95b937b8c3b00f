"""Every threshold of `govsim validate`, with its source and what makes its check fail.

The one place to read or change a bound: the check functions take their numbers from here.
"""

from __future__ import annotations

from dataclasses import dataclass

BEIJING = (
    "Beijing municipal reports; Beijing Youth Daily (41.5 % 诉求 / 58.5 % 咨询); "
    "Beijing News / CGTN intake 6.96 M (2019) → 21.43 M (2023); domain.md"
)


@dataclass(frozen=True)
class Reference:
    """A check's bound: `low` ≤ value ≤ `high` (None: unbounded on that side; `strict`: < and
    >), or a relative `tolerance` around an analytic value computed at run time."""

    reference: str
    source: str
    fails_if: str
    low: float | None = None
    high: float | None = None
    tolerance: float | None = None
    strict: bool = False  # the bound itself fails (value must be > low or < high)
    informed_by: str | None = None  # what in the calibration used the same data, if anything

    def passed(self, value: float | None, target: float | None = None) -> bool:
        """Whether `value` meets the bound (against `target` for a relative tolerance)."""
        if value is None or value != value:  # no value (NaN): nothing to pass
            return False
        if self.tolerance is not None:
            return abs(value / target - 1.0) <= self.tolerance
        above = self.low is None or value > self.low or (not self.strict and value == self.low)
        below = self.high is None or value < self.high or (not self.strict and value == self.high)
        return above and below

    def bound(self, target: float | None = None) -> str:
        """The bound in a few characters, for the terminal table."""
        if self.tolerance is not None:
            return f"{target:.3g} ± {self.tolerance:.0%}"
        if self.low is not None and self.high is not None:
            return f"[{self.low:g}, {self.high:g}]"
        if self.low is not None:
            return f"{'>' if self.strict else '≥'} {self.low:g}"
        return f"{'<' if self.strict else '≤'} {self.high:g}"

    def result(
        self, name: str, section: str, value, target=None, detail=None, informed_by=None
    ) -> dict:
        """One entry of validation.json: the value, what it is compared with and why, and
        whether it passed (`target`: the analytic value a relative tolerance is around;
        `informed_by`: what in the calibration used the same data, so the check is not
        independent of it, where the bound's own `informed_by` does not say)."""
        value = None if value is None or value != value else float(value)
        return {
            "name": name,
            "section": section,
            "value": value,
            "reference": self.reference,
            "reference_value": None if target is None else float(target),
            "bound": self.bound(target),
            "source": self.source,
            "fails_if": self.fails_if,
            "passed": self.passed(value, target),
            "informed_by": informed_by or self.informed_by,
            "detail": detail or {},
        }


# what in the calibration (ODD.md §7.26) used the data of some checks
SATISFACTION_SPLIT = (
    "the calibration's targets for satisfaction among resolved callers (0.99, derived from "
    "this Beijing series) and for satisfaction in January 2019 (0.646, its first point)"
)
RESOLUTION_START = (
    "the calibration's target for resolution in January 2019 (0.531), this series' first point"
)
CONSULTATION_SHARE = (
    "the calibration's target for consultations' share of calls (0.585), the same Beijing "
    "Youth Daily figure"
)
PERFORMANCE_WEIGHT = (
    "the calibration's `performance_weight`, fitted to callbacks' satisfaction within a range of "
    "0.5-8: its sign is positive by construction, so this check tests the callbacks' pipeline"
)


ERLANG_MEAN = Reference(
    "Erlang C: E[Wq] = C(c, a) / (cμ − λ), within ±10 %",
    "Larson & Odoni, Urban Operations Research, ch. 4",
    "the simulated mean wait differs from Erlang C by more than 10 %",
    tolerance=0.10,
)
ERLANG_P90 = Reference(
    "Erlang C: P(Wq > t) = C e^(−(cμ − λ) t), so t90 = ln(C / 0.1) / (cμ − λ), within ±10 %",
    "Larson & Odoni, Urban Operations Research, ch. 4",
    "the simulated 90th percentile of waits differs from Erlang C's by more than 10 %",
    tolerance=0.10,
)
LITTLE = Reference(
    "L = λW: mean open problems (daily table) / (arrival rate × mean time open, problem log) "
    "= 1 ± 0.05",
    "Little (1961); Larson & Odoni ch. 4",
    "the daily table's open count and the problem log disagree by more than 5 %",
    low=0.95,
    high=1.05,
)
LEDGER_ROWS = Reference(
    "every ledger row: |quantity × unit cost − yuan| ≤ 1e-9 × |yuan|",
    "ODD.md §7.20 (the ledger)",
    "any row's yuan is not its quantity times its unit cost",
    high=1e-9,
)
LEDGER_SUMS = Reference(
    "ledger rows summed by day = daily spend_total = Σ categories = Σ payers; summary total "
    "= Σ daily total; largest discrepancy ≤ 0.01 yuan",
    "ODD.md §7.20, §8",
    "any day's categories, payers or ledger rows do not add up to its total, or summary.json's "
    "total is not the daily sum",
    high=0.01,
)
RESPONSE = Reference(
    "hotline orders contacted within the contact deadline ≥ 0.95 (days 183–365 of reform)",
    "Beijing municipal reports: response rate ~100 % since 2019",
    "under reform_2019, fewer than 95 % of hotline orders known in the second half of the "
    "first year are contacted within their limit",
    low=0.95,
)
RISES = Reference(
    "smallest year-on-year rise > 0 (higher every year than the year before)",
    "Beijing: 53.1 / 64.6 % (Jan 2019) → 89 / 92 (2021) → 94 / 95 (2022) → 97 / 97 (2024)",
    "any year's rate under reform_2019 is not above the year before",
    low=0.0,
    strict=True,
)
SAT_OVER_RES = Reference(
    "smallest yearly (satisfaction − resolution) ≥ 0",
    "Beijing: satisfaction above resolution in every published year 2019–24",
    "in any year under reform_2019 the rated satisfaction rate is below the resolution rate",
    low=0.0,
)
CALLS_GROWTH = Reference(
    "reform's calls in the last year / baseline's calls in year 1 in [2, 3] (4 years)",
    BEIJING,
    "calls grow less than 2× or more than 3×",
    low=2.0,
    high=3.0,
)
CALLS_FIRST_YEAR = Reference(
    "reform's calls in its first year / baseline's in year 1 in [1.1, 1.8]",
    "Beijing 12345: calls +28 % in 2019 over 2018 (the centre's 2019 figures, reported by "
    "Japion, Feb 2020; secondary); about 4 M a year before 2018 against 6.96 M in 2019 "
    "(CCTV, 2024; secondary): 1.28–1.74",
    "calls rise less than 10 % or more than 80 % in the reform's first year",
    low=1.1,
    high=1.8,
)
NEEDS_EQUAL = Reference(
    "needs arisen over the run, reform / baseline in [0.95, 1.05]",
    "domain.md: intake grew from easier reporting and trust, not more problems",
    "the reform changes how many needs arise by more than 5 %",
    low=0.95,
    high=1.05,
)
NON_CONSULTATION = Reference(
    "calls that are not consultations (reports, duplicates, repeats) / all calls in [0.35, 0.45]",
    "Beijing Youth Daily: 41.5 % 诉求 vs 58.5 % 咨询 (2019–21)",
    "the non-consultation share under reform_2019 is outside 35–45 %",
    low=0.35,
    high=0.45,
    informed_by=CONSULTATION_SHARE,
)
RATED_GAP = Reference(
    "rated − real resolution ≥ 0 in every year of both arms (the gap is shown, by arm and year)",
    "domain.md confounds: rates come from callbacks under ranking pressure, so the rated "
    "rate is an upper bound of the real one (issue 9: rated ≥ real always); gaming is off by "
    "default, so how much the ranking adds is a result, shown, not a bound",
    "in some year of either arm fewer callbacks are rated resolved than were really solved",
    low=0.0,
)
REPORTING_GAP = Reference(
    "known share of needs, residents − migrants ≥ 0.05",
    "Xie et al. 2024 (Social Forces); Kontokosta & Hong 2021; Hamel & Holliday (QJPS)",
    "migrants' needs become known nearly as often as residents' (gap < 0.05)",
    low=0.05,
)
SAME_SPEED = Reference(
    "migrant / resident median hours, same kind × channel, pooled: within a factor 1.25",
    "Hamel & Holliday (QJPS): same request type served about as fast across neighbourhoods",
    "the pooled ratio is below 0.8 or above 1.25",
    low=1 / 1.25,
    high=1.25,
)
MIN_CELL_CASES = 30  # cases per group for a kind × channel cell to be compared
PAY_DIP = Reference(
    "active volunteers at a small stipend / unpaid < 1 (G&R: 154 / 239 = 0.64)",
    "Gneezy & Rustichini 2000, QJE",
    "a small stipend does not lower volunteering",
    high=1.0,
    strict=True,
)
PAY_RISE = Reference(
    "active volunteers at a wage-level stipend / unpaid > 1",
    "Gneezy & Rustichini 2000 (pay enough); Beijing part-time minimum wage 26.4 yuan/h (2023)",
    "wage-level pay does not raise volunteering above unpaid",
    low=1.0,
    strict=True,
)
STIPENDS_YUAN_PER_H = (0.0, 3.0, 40.0)  # unpaid, small, wage-level (above 26.4 yuan/h)
EDT_DISCONFIRMATION = Reference(
    "logit coefficient of disconfirmation on rated satisfaction, performance held fixed: "
    "95 % CI above 0",
    "Van Ryzin 2004 (JPAM), 2006 (JPART)",
    "the coefficient's 95 % interval reaches 0 or below",
    low=0.0,
    strict=True,
)
EDT_PERFORMANCE = Reference(
    "logit coefficient of performance (solved) on rated satisfaction, disconfirmation held "
    "fixed: 95 % CI above 0",
    "Van Ryzin 2006; Grimmelikhuijsen & Porumbescu 2017",
    "the coefficient's 95 % interval reaches 0 or below",
    low=0.0,
    strict=True,
    informed_by=PERFORMANCE_WEIGHT,
)
