"""The problem log, the call log, the daily table, and atomic writing of Parquet and JSON.

The log is columnar: one numpy array per field, grown by doubling. Codes are small ints on
the hot path and become dictionary-encoded strings only when written.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

STATUSES = ("latent", "open", "solved", "closed_unsolved", "self_resolved", "abandoned")
LATENT, OPEN, SOLVED, CLOSED_UNSOLVED, SELF_RESOLVED, ABANDONED = range(6)
REASONS = (
    "outside_authority", "outside_policy", "exempted", "gave_up", "left_city", "lapsed",
    "unresolved",  # handled with the power to solve it, but the attempt failed
)  # fmt: skip
CHANNELS = ("hotline", "community", "social_org", "grid_worker", "volunteer")
HOTLINE, COMMUNITY, SOCIAL_ORG, GRID_WORKER, VOLUNTEER = range(5)
HANDLERS = (
    "community",
    "street_office",
    "social_org",
    "property_manager",
    "village_collective",
    "department",
    "grid_worker",
    "volunteer",
)
CALL_TYPES = ("report", "duplicate", "repeat")

# name -> (dtype, fill). Fields after "_internal" are working state, not written.
PUBLIC_FIELDS: dict[str, tuple[Any, Any]] = {
    "person_id": (np.int64, -1),
    "kind": (np.int16, -1),
    "shared": (bool, False),
    "n_affected": (np.int32, 1),
    "n_calls": (np.int32, 0),
    "category": (np.int8, -1),
    "group": (np.int8, -1),
    "frequent_caller": (bool, False),  # the owner calls the hotline often (高频来电人)
    "community": (np.int16, -1),
    "street_office": (np.int16, -1),
    "land_use": (np.int8, -1),
    "channel": (np.int8, -1),
    "handler": (np.int8, -1),
    "status": (np.int8, LATENT),
    "reason": (np.int8, -1),
    "arisen_h": (np.float64, np.nan),
    "known_h": (np.float64, np.nan),
    "responded_h": (np.float64, np.nan),
    "closed_h": (np.float64, np.nan),
    "contact_deadline_h": (np.float64, np.nan),
    "closure_deadline_h": (np.float64, np.nan),
    "escalated": (bool, False),
    "whistled": (bool, False),
    "escalated_h": (np.float64, np.nan),
    "department_start_h": (np.float64, np.nan),
    "returned": (np.int8, 0),
    "rated_resolved": (np.int8, -1),
    "rated_satisfied": (np.int8, -1),
    "exempted": (bool, False),
    "satisfaction_change": (np.float64, np.nan),
    "attempts": (np.int8, 1),  # handlings closed: 1 + orders sent back after the callback
    "first_closed_h": (np.float64, np.nan),  # the first attempt, if it was sent back
    "first_solved": (np.int8, -1),
    "first_rated_resolved": (np.int8, -1),
    "first_rated_satisfied": (np.int8, -1),
}
INTERNAL_FIELDS: dict[str, tuple[Any, Any]] = {
    "slot": (np.int64, -1),
    "cell": (np.int32, -1),
    "pool": (np.int32, -1),
    "in_service": (bool, False),
    "needs_department": (bool, False),
    "abandon_at_h": (np.float64, np.inf),
    "expected_h": (np.float64, np.nan),
    "reworks": (np.int8, 0),
    "solved_before": (bool, False),  # solved at an attempt sent back for dissatisfaction
    "duplicates_expected": (np.float64, 0.0),  # duplicate calls expected so far (calls.py)
}


FILL_ROWS = 4096  # rows of the problem log set to their fill values at a time


class ProblemLog:
    """Columns of every problem that ever arose, indexed by problem_id."""

    def __init__(self, n_draws: int, capacity: int = 1024):
        self.size = 0
        self._fields = {**PUBLIC_FIELDS, **INTERNAL_FIELDS}
        self.cols: dict[str, np.ndarray] = {}
        for name, (dtype, fill) in self._fields.items():
            self.cols[name] = np.full(capacity, fill, dtype=dtype)
        self.draws = np.zeros((capacity, n_draws), np.float32)
        self._filled = capacity  # rows before this hold their fields' fill values, or data
        self._tuples: dict[tuple[str, ...], tuple[np.ndarray, ...]] = {}
        self._views()

    def _views(self) -> None:
        """`log.<field>`: each column's first `size` rows, a view (plain attributes, set again
        whenever the size or the columns change: the hot path reads them ~200 times a day)."""
        for name, column in self.cols.items():
            setattr(self, name, column[: self.size])

    def columns(self, names: tuple[str, ...]) -> tuple[np.ndarray, ...]:
        """The whole columns of these fields, a tuple (kept until the columns change: a
        compiled pass's arguments, asked for ~20 times a day)."""
        found = self._tuples.get(names)
        if found is None:
            found = self._tuples[names] = tuple(self.cols[name] for name in names)
        return found

    def _grow(self, needed: int) -> None:
        """Room for `needed` rows. Rows past `size` are left unwritten (`reserve` fills them
        a chunk at a time), so memory holds only the rows in use; each old column goes as
        soon as it is copied."""
        capacity = len(self.cols["kind"])
        if needed <= capacity:
            return
        new, used = max(needed, capacity + capacity // 2), slice(0, self.size)  # x1.5
        for name, (dtype, _) in self._fields.items():
            col = np.empty(new, dtype=dtype)
            col[used] = self.cols[name][used]
            self.cols[name] = col
            setattr(self, name, col[used])
        self._tuples = {}
        grown = np.zeros((new, self.draws.shape[1]), self.draws.dtype)
        grown[used] = self.draws[used]
        self.draws = grown
        self._filled = self.size

    def make_room(self, rows: int) -> None:
        """Room for `rows` rows in all, at once (its memory is touched only as rows are
        used), so that the log need not grow, copying every column, as problems arise."""
        if rows > len(self.cols["kind"]):
            self._grow(rows)

    def _fill(self, end: int) -> None:
        """Rows up to at least `end` take their fields' fill values, `FILL_ROWS` at a time
        (one write per field for many days' problems, not one per field and day; memory
        is touched only a chunk ahead of the rows in use)."""
        stop = min(max(end, self._filled + FILL_ROWS), len(self.cols["kind"]))
        rows = slice(self._filled, stop)
        for name, (_, fill) in self._fields.items():
            self.cols[name][rows] = fill
        self._filled = stop

    def reserve(self, n: int, draws: np.ndarray) -> slice:
        """The rows of n new problems past the last, their draws written and every field at
        its fill value; the caller writes the fields it has, then `extend` counts them in."""
        start = self.size
        self._grow(start + n)
        if start + n > self._filled:
            self._fill(start + n)
        rows = slice(start, start + n)  # a slice: cheaper to write through than the ids
        self.draws[rows] = draws
        return rows

    def extend(self, n: int) -> np.ndarray:
        """Count in the n rows `reserve` gave; returns their ids."""
        start = self.size
        self.size = start + n
        self._views()
        return np.arange(start, start + n)

    def column(self, name: str) -> np.ndarray:
        return self.cols[name][: self.size]

    def kept(self, rows: np.ndarray) -> ProblemLog:
        """A log of only these rows (in this order), their ids renumbered 0, 1, …"""
        log = ProblemLog(self.draws.shape[1], capacity=max(len(rows), 1))
        for name in self.cols:
            log.cols[name][: len(rows)] = self.cols[name][rows]
        log.draws[: len(rows)] = self.draws[rows]
        log.size = len(rows)
        log._views()
        return log

    def __getstate__(self) -> dict:
        """Pickled without the views (a pickled view is a copy, cut off from its column)."""
        return {k: v for k, v in self.__dict__.items() if k not in self.cols and k != "_tuples"}

    def __setstate__(self, stored: dict) -> None:
        self.__dict__.update(stored)
        self._tuples = {}
        self._views()


class CallLog:
    """Hotline calls about problems (consultations are counted per day, not logged)."""

    def __init__(self):
        self._problem: list[np.ndarray] = []
        self._call_h: list[np.ndarray] = []
        self._type: list[np.ndarray] = []
        self.total = 0

    def add(self, problem: np.ndarray, call_h: np.ndarray, call_type: int) -> None:
        if len(problem) == 0:
            return
        self._problem.append(np.asarray(problem, np.int64))
        self._call_h.append(np.asarray(call_h, float))
        self._type.append(np.full(len(problem), call_type, np.int8))
        self.total += len(problem)

    def table(self, origin_h: float = 0.0) -> pa.Table:
        """The calls, their hours from the run's start `origin_h` on the district's clock."""
        join = lambda parts, dt: np.concatenate(parts) if parts else np.empty(0, dt)  # noqa: E731
        problem = join(self._problem, np.int64)
        call_h = join(self._call_h, float) - origin_h
        call_type = join(self._type, np.int8)
        order = np.lexsort((problem, call_h))
        return pa.table(
            {
                "problem_id": problem[order],
                "call_h": call_h[order],
                "call_type": _dictionary(call_type[order], CALL_TYPES),
            }
        )


def _dictionary(codes: np.ndarray, names: tuple[str, ...]) -> pa.DictionaryArray:
    codes = np.asarray(codes, np.int32)
    mask = codes < 0
    return pa.DictionaryArray.from_arrays(
        pa.array(np.where(mask, 0, codes), mask=mask, type=pa.int32()), pa.array(list(names))
    )


def _nullable(values: np.ndarray, null: np.ndarray) -> pa.Array:
    return pa.array(values, mask=null)


HOURS = ("arisen_h", "known_h", "responded_h", "closed_h", "escalated_h", "department_start_h",
         "first_closed_h")  # fmt: skip


def problems_table(
    log: ProblemLog, labels: dict[str, tuple[str, ...]], origin_h: float = 0.0
) -> pa.Table:
    """The problem log as written to problems.parquet: hours from the run's start `origin_h`
    on the district's clock (a need carried in from a warm start's burn-in arose before 0);
    a problem that ended before it is not the run's."""
    ran = ~(log.closed_h < origin_h)  # NaN: not ended
    c = {name: log.column(name)[ran] for name in PUBLIC_FIELDS}
    for name in HOURS:
        c[name] = c[name] - origin_h
    columns: dict[str, pa.Array] = {
        "problem_id": pa.array(np.flatnonzero(ran).astype(np.int64)),
        "person_id": pa.array(c["person_id"]),
        "kind": _dictionary(c["kind"], labels["kind"]),
        "scope": _dictionary(c["shared"].astype(np.int8), ("individual", "shared")),
        "n_affected": pa.array(c["n_affected"]),
        "n_calls": pa.array(c["n_calls"]),
        "category": _dictionary(c["category"], labels["category"]),
        "group": _dictionary(c["group"], ("resident", "migrant")),
        "frequent_caller": pa.array(c["frequent_caller"]),
        "community": pa.array(c["community"]),
        "street_office": pa.array(c["street_office"]),
        "land_use": _dictionary(c["land_use"], labels["land_use"]),
        "channel": _dictionary(c["channel"], CHANNELS),
        "handler": _dictionary(c["handler"], HANDLERS),
        "status": _dictionary(c["status"], STATUSES),
        "reason": _dictionary(c["reason"], REASONS),
    }
    for name in ("arisen_h", "known_h", "responded_h", "closed_h"):
        columns[name] = _nullable(c[name], np.isnan(c[name]))
    for name in ("contact_deadline_h", "closure_deadline_h"):
        columns[name] = pa.array(c[name])
    columns["escalated"] = pa.array(c["escalated"])
    columns["whistled"] = pa.array(c["whistled"])
    for name in ("escalated_h", "department_start_h"):
        columns[name] = _nullable(c[name], np.isnan(c[name]))
    columns["returned"] = pa.array(c["returned"].astype(np.int8))
    for name in ("rated_resolved", "rated_satisfied"):
        columns[name] = _nullable(c[name] == 1, c[name] < 0)
    columns["exempted"] = pa.array(c["exempted"])
    columns["satisfaction_change"] = _nullable(
        c["satisfaction_change"], np.isnan(c["satisfaction_change"])
    )
    columns["attempts"] = pa.array(c["attempts"].astype(np.int8))
    columns["first_closed_h"] = _nullable(c["first_closed_h"], np.isnan(c["first_closed_h"]))
    for name in ("first_solved", "first_rated_resolved", "first_rated_satisfied"):
        columns[name] = _nullable(c[name] == 1, c[name] < 0)
    return pa.table(columns)


def _temporary_beside(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are for everyone who may read
    return Path(tmp)


def write_parquet_atomic(table: pa.Table, path: Path) -> None:
    """Write to a temporary file in the same folder, then rename: a file that exists is whole."""
    path = Path(path)
    tmp = _temporary_beside(path)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(text: str, path: Path) -> None:
    path = Path(path)
    tmp = _temporary_beside(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_json_atomic(data: Any, path: Path) -> None:
    write_text_atomic(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", path)
