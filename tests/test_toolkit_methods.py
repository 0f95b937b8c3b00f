"""The toolkit's methods on problems with known answers: Sobol on Ishigami (analytic
indices), Morris ranking an ignored input last, PRIM recovering a planted box, a Pareto
front that is non-dominated, and the policy search finding a toy problem's optimum and
resuming without redoing trials."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.toolkit import design, discovery, pareto, search, sensitivity
from experiments.toolkit.problem import Discovery, Problem, Toolkit
from sim.config.load import compose_config, job_tree

ISHIGAMI_S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0, "ignored": 0.0}
ISHIGAMI_ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437, "ignored": 0.0}


def ishigami(frame: pd.DataFrame) -> np.ndarray:
    x1, x2, x3 = frame["x1"], frame["x2"], frame["x3"]
    return (np.sin(x1) + 7 * np.sin(x2) ** 2 + 0.1 * x3**4 * np.sin(x1)).to_numpy()


@pytest.fixture(scope="module")
def ishigami_indices() -> pd.DataFrame:
    """Both methods through the toolkit's own design and analysis (x4 is ignored)."""
    names = list(ISHIGAMI_S1)
    spec = Problem(
        uncertainties={n: {"key": n, "low": -np.pi, "high": np.pi} for n in names},
        outcomes=["median_close_h"],
    )
    settings = Toolkit(
        method="sensitivity", morris={"trajectories": 30}, sobol={"base_samples": 4096}
    )
    frame = design.design(spec, settings, seed=3)
    # baseline is Ishigami; policy and effect are flat, so they get a note, not indices
    responses = {f"median_close_h:{r}": 0.0 for r in sensitivity.RESPONSES}
    per_point = frame.assign(**{**responses, "median_close_h:baseline": ishigami(frame)})
    table = sensitivity.analyse(per_point, spec, settings, seed=3)
    assert table.loc[table["response"] != "baseline", "note"].eq("does not vary").all()
    return table[table["response"] == "baseline"].set_index("parameter")


def test_sobol_recovers_the_ishigami_indices_within_005(ishigami_indices):
    for name in ISHIGAMI_S1:
        assert ishigami_indices.loc[name, "S1"] == pytest.approx(ISHIGAMI_S1[name], abs=0.05)
        assert ishigami_indices.loc[name, "ST"] == pytest.approx(ISHIGAMI_ST[name], abs=0.05)
    assert (ishigami_indices["ST_conf"] > 0).all() or ishigami_indices.loc["ignored", "ST"] == 0


def test_morris_ranks_the_ignored_input_last_and_x3_above_it(ishigami_indices):
    ranked = ishigami_indices["mu_star"].sort_values(ascending=False).index.tolist()
    assert ranked[-1] == "ignored" and ishigami_indices.loc["ignored", "mu_star"] == 0
    assert set(ranked[:2]) == {"x1", "x2"}


def test_sentence_names_the_assumptions_that_matter(ishigami_indices):
    table = ishigami_indices.reset_index().assign(response="baseline")
    table = pd.concat([table.assign(response=r) for r in sensitivity.RESPONSES])
    sentence = sensitivity.sentences(table, "en")["median_close_h"]
    assert "x1 (ST 0.5" in sentence and "ignored" not in sentence


def test_prim_recovers_a_planted_box():
    rng = np.random.default_rng(7)
    x = pd.DataFrame(rng.uniform(0, 1, (600, 4)), columns=["a", "b", "c", "d"])
    planted = (x["a"] > 0.6) & (x["b"] < 0.3)
    effect = np.where(planted, -0.05, 0.05) + rng.normal(0, 0.01, len(x))
    per_point = x.assign(**{"satisfaction_rate_migrant:effect": effect})
    found = discovery.analyse(per_point, list(x.columns), Discovery(min_density=0.9))
    box = found["box"]
    assert found["failures"] == int(planted.sum())
    assert set(box["limits"]) == {"a", "b"}  # only the planted dimensions are restricted
    assert box["limits"]["a"][0] == pytest.approx(0.6, abs=0.05)
    assert box["limits"]["b"][1] == pytest.approx(0.3, abs=0.05)
    assert box["coverage"] > 0.85 and box["density"] >= 0.9


def test_the_pareto_front_is_non_dominated_and_dominates_the_rest():
    rng = np.random.default_rng(1)
    values = rng.uniform(0, 1, (200, 3))
    maximise = [False, True, True]
    front = pareto.non_dominated(values, maximise)
    signed = values * np.where(maximise, -1, 1)
    for i in range(len(values)):
        dominated = ((signed <= signed[i]).all(axis=1) & (signed < signed[i]).any(axis=1)).any()
        assert front[i] == (not dominated)
    assert 0 < front.sum() < len(values)


def toy_run(tree: dict, columns: list[str]) -> dict:
    """A stand-in for a run: satisfaction grows with the stipend, so does spending."""
    stipend = (tree["policies"].get("volunteer_pay") or {}).get("volunteer_stipend_yuan_per_h")
    stipend = 0.0 if stipend is None else stipend
    values = {"cost_total_yuan": 1000.0 * stipend, "satisfaction_rate_migrant": stipend / 30.0}
    return {c: values.get(c, 0.0) for c in columns}


def _search_tree(trials: int) -> dict:
    tree = job_tree(compose_config("default", ["volunteer_pay"], ["sim.days=5"]))
    lever = {
        "policy": "volunteer_pay",
        "lever": "volunteer_stipend_yuan_per_h",
        "low": 0,
        "high": 30,
    }
    return {
        **tree,
        "toolkit": {"method": "policy_search", "replications": 1,
                    "search": {"trials": trials, "workers": 1, "startup_trials": 6}},
        "problem": {"uncertainties": {}, "levers": {"stipend": lever},
                    "outcomes": ["satisfaction_rate_migrant", "cost_total_yuan"]},
        "target": {"satisfaction_rate_migrant": ">=0.5"},
    }  # fmt: skip


def _toy_search(tree: dict, folder, resume: bool) -> search.Search:
    study = search.Search(tree, folder, resume)
    study.run = toy_run
    return study


def test_search_finds_the_cheapest_stipend_that_meets_the_target(tmp_path):
    study = _toy_search(_search_tree(16), tmp_path, resume=False)  # 6 random, then TPE
    search.optimise(study)
    table = search.trials_table(study)
    best = table[table["number"] == search.chosen(table)].iloc[0]
    assert best["satisfaction_rate_migrant"] >= 0.5
    assert best["stipend"] == pytest.approx(15.0, abs=2.0)  # the optimum is 15 yuan/h
    assert table["pareto"].any() and not table[table["pareto"]]["mix"].eq("").any()


def test_search_resumes_without_redoing_finished_trials(tmp_path):
    first = _toy_search(_search_tree(4), tmp_path, resume=False)
    search.optimise(first)
    killed = first.study.ask()  # asked, never told: as if the process had been killed
    killed.suggest_categorical("use.volunteer_pay", [True, False])
    done = {t.number: t.datetime_complete for t in first.study.trials if t.state.is_finished()}
    with pytest.raises(Exception, match="resume=true"):
        _toy_search(_search_tree(6), tmp_path, resume=False)
    again = _toy_search(_search_tree(6), tmp_path, resume=True)
    search.optimise(again)
    trials = again.study.trials
    assert len(trials) == 6 and all(t.state.is_finished() for t in trials)
    assert {t.number: t.datetime_complete for t in trials if t.number in done} == done
    assert trials[killed.number].params["use.volunteer_pay"] == killed.params["use.volunteer_pay"]
