"""Needs arise: the kinds of candidates are numpy's `Generator.choice`, draw for draw."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.stages.arise import choose


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 40), st.integers(0, 300), st.integers(0, 2**32 - 1))
def test_choose_is_generators_choice(n_kinds, n, seed):
    weights = np.random.default_rng(seed).random(n_kinds)
    weights[weights < 0.2] = 0.0  # kinds that never arise
    weights[0] += 1e-3
    p = weights / weights.sum()
    ours, numpys = np.random.default_rng(seed + 1), np.random.default_rng(seed + 1)
    assert np.array_equal(choose(ours, p, n), numpys.choice(n_kinds, size=n, p=p))
    assert ours.random() == numpys.random()  # the stream is left where choice leaves it


class _TopUniform:
    """A generator whose uniforms are all the largest float below 1."""

    def random(self, n):
        return np.full(n, np.nextafter(1.0, 0.0))


def test_choose_never_picks_past_the_last_kind():
    """Ten weights of 0.1 sum to a hair under 1: without normalising the cumulative sum, the
    top uniform would pick kind 10 of 10."""
    assert choose(_TopUniform(), np.full(10, 0.1), 3).max() == 9
