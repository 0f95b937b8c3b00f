"""Statistics that respect common random numbers: each condition is compared with baseline
(or, in a sweep without baseline, with the swept key's first value) paired by seed (mean
difference, 95 % t interval, paired t-test, relative change), with Holm's
correction across the conditions compared for each metric."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special


def mean_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and the t interval; the interval collapses to the mean for one value."""
    values = np.asarray(values, float)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return np.nan, np.nan, np.nan
    mean = float(values.mean())
    if len(values) < 2:
        return mean, np.nan, np.nan
    # Student's t quantile (scipy.stats.t.ppf's kernel, without its ~0.1 ms of wrapping)
    t = special.stdtrit(len(values) - 1, 0.5 + level / 2)
    half = t * values.std(ddof=1) / np.sqrt(len(values))
    return mean, mean - half, mean + half


def paired_test(differences: np.ndarray) -> float:
    """Two-sided paired t-test p-value of the differences. NaN where the test is undefined:
    fewer than two pairs, or every difference the same non-zero value (zero variance: the
    change is the same in every seed, e.g. a fixed cost, and a t-test cannot weigh it).
    Every difference zero gives 1: no difference at all."""
    diffs = np.asarray(differences, float)
    diffs = diffs[~np.isnan(diffs)]
    if len(diffs) < 2:
        return np.nan
    if np.all(diffs == diffs[0]):
        return 1.0 if diffs[0] == 0 else np.nan
    # the one-sample t-test of scipy.stats.ttest_1samp, computed directly (a report runs
    # thousands of them; the test file checks it against scipy)
    n = len(diffs)
    t = diffs.mean() / (diffs.std(ddof=1) / np.sqrt(n))
    return float(2.0 * special.stdtr(n - 1, -abs(t)))


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment (NaNs stay NaN and do not count)."""
    p = np.asarray(p_values, float)
    out = np.full(len(p), np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    m = len(valid)
    order = valid[np.argsort(p[valid], kind="stable")]
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out


def paired_change(paired: pd.DataFrame, metric: str, extra_cost_yuan, min_spend_yuan) -> dict:
    """The paired columns of one metric: `paired` holds a condition's runs merged by seed
    with its baseline's (columns `<metric>` and `<metric>_base`)."""
    diff = (paired[metric] - paired[f"{metric}_base"]).to_numpy(float)
    d_mean, d_lo, d_hi = mean_ci(diff)
    base_mean = float(paired[f"{metric}_base"].mean())
    spent = extra_cost_yuan is not None and extra_cost_yuan >= min_spend_yuan
    return {
        "baseline_mean": base_mean,
        "diff_mean": d_mean,
        "diff_ci_low": d_lo,
        "diff_ci_high": d_hi,
        "p_value": paired_test(diff),
        "n_pairs": int((~np.isnan(diff)).sum()),
        "relative_change": d_mean / base_mean if base_mean else np.nan,
        "extra_cost_yuan": extra_cost_yuan,
        "per_10k_yuan": d_mean / (extra_cost_yuan / 1e4) if spent else np.nan,
    }


def _tuple(values: object) -> tuple:
    """A groupby key as a tuple of its values, each keeping its type (numpy would turn
    ("a", 10) into two strings)."""
    return values if isinstance(values, tuple) else (values,)


def reference_key(ok: pd.DataFrame, keys: list[str]) -> str:
    """What a condition is compared against: `policy` (baseline) when baseline ran, else
    the first swept key that varies (a sweep without baseline: its first value)."""
    if (ok["policy"] == "baseline").any():
        return "policy"
    varying = [k for k in keys if k != "policy" and ok[k].nunique(dropna=False) > 1]
    return varying[0] if varying else "policy"


def first_value(values: pd.Series) -> object:
    """The first of a key's values: the smallest number, or the first text in sorted order."""
    present = values.dropna().unique().tolist()
    return sorted(present, key=lambda v: (isinstance(v, str), v))[0] if present else None


def reference_of(ok: pd.DataFrame, condition: dict, key: str) -> tuple[object, pd.DataFrame]:
    """The reference value of `key` and its runs with the same other keys as the condition
    (e.g. the same shock), except a lever of a policy the reference does not run (baseline
    against `policies.x.lever=1,2`: every value of the lever is paired with baseline)."""
    value = "baseline" if key == "policy" and (ok["policy"] == "baseline").any() else None
    value = first_value(ok[key]) if value is None else value
    base = ok[ok[key].astype(str) == str(value)]
    for other, level in condition.items():
        not_its_lever = other.startswith("policies.") and base[other].isna().all()
        if other == key or not_its_lever:
            continue
        if pd.isna(level):  # e.g. a shock's setting in the arms without that shock
            base = base[base[other].isna()]
        else:
            base = base[base[other].astype(str) == str(level)]
    return value, base


def compare_to_baseline(
    runs: pd.DataFrame,
    metrics: list[str],
    condition_keys: list[str],
    cost_key: str,
    min_spend_yuan: float,
) -> pd.DataFrame:
    """One row per (condition, metric): levels with CIs and, where a reference with the same
    other keys exists (baseline, or a sweep's first value), `reference` naming it, the paired
    difference, its CI, p, Holm-adjusted p, relative change and the change per 10,000 yuan
    of extra spending (above `min_spend_yuan`)."""
    ok = runs[runs["status"] == "ok"]
    key = reference_key(ok, condition_keys)
    rows = []
    for values, group in ok.groupby(condition_keys, dropna=False, sort=True):
        condition = dict(zip(condition_keys, _tuple(values), strict=True))
        value, base = reference_of(ok, condition, key)
        paired = None
        if len(base) and str(condition[key]) != str(value):
            paired = group.merge(base, on="seed", suffixes=("", "_base"))
            extra_cost_yuan = (paired[cost_key] - paired[f"{cost_key}_base"]).mean()
        for metric in metrics:
            mean, low, high = mean_ci(group[metric].to_numpy(float))
            n = int(group[metric].notna().sum())
            row = {**condition, "metric": metric, "n": n, "mean": mean}
            row.update(ci_low=low, ci_high=high)
            if paired is not None:
                row["reference"] = "baseline" if key == "policy" else f"{key}={value}"
                row.update(paired_change(paired, metric, extra_cost_yuan, min_spend_yuan))
            rows.append(row)
    table = pd.DataFrame(rows)
    if "p_value" in table:
        table["p_holm"] = np.nan
        for _metric, block in table.groupby("metric"):
            table.loc[block.index, "p_holm"] = holm(block["p_value"].to_numpy())
    return table
