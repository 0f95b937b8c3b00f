"""The problem log: new rows hold what was written and their fields' fill values elsewhere,
across growth and the chunks filled ahead of use."""

from __future__ import annotations

import numpy as np

from sim import records
from sim.records import ProblemLog


def test_fields_not_given_keep_their_fill_values(monkeypatch):
    monkeypatch.setattr(records, "FILL_ROWS", 7)  # chunks smaller than the appends
    log = ProblemLog(n_draws=3, capacity=4)
    for n in (3, 0, 5, 9, 1, 20):
        start = log.size
        rows = log.reserve(n, np.full((n, 3), 0.5, np.float32))
        log.cols["kind"][rows], log.cols["slot"][rows] = np.arange(n), 7
        ids = log.extend(n)
        assert np.array_equal(ids, np.arange(start, start + n))
    assert log.size == 38
    assert np.array_equal(log.slot, np.full(38, 7))
    for name, (_, fill) in {**records.PUBLIC_FIELDS, **records.INTERNAL_FIELDS}.items():
        if name not in ("kind", "slot"):
            assert np.array_equal(log.column(name), np.full(38, fill), equal_nan=True), name
    assert np.all(log.draws[:38] == 0.5)
