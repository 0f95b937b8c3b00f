"""exp, log1p and power on arrays that give the same bits on every x86-64 CPU.

numpy picks a SIMD kernel for `np.exp`, `np.log1p` and `np.power` by the CPU it runs on:
a machine with AVX-512 uses other kernels than one with AVX2 only, and their results differ
in the last bit now and then. A last bit is enough to flip a draw's comparison once in a
while and send two runs of the same config and seed apart, so results would depend on the
machine. These loops call the C library's scalar `exp`, `log1p` and `pow` (through numba,
which compiles them to plain calls: no SIMD maths library, see `sim/__init__.py`), which do
not depend on the CPU. Scalars use Python's `math`, the same C library.
"""

from __future__ import annotations

import math

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def _exp(x):
    out = np.empty(len(x))
    for i in range(len(x)):
        out[i] = math.exp(x[i])
    return out


@numba.njit(cache=True, nogil=True)
def _log1p(x):
    out = np.empty(len(x))
    for i in range(len(x)):
        out[i] = math.log1p(x[i])
    return out


@numba.njit(cache=True, nogil=True)
def _power(base, exponent):
    out = np.empty(len(base))
    for i in range(len(base)):
        out[i] = base[i] ** exponent
    return out


def _flat(x) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float64).reshape(-1)


def exp(x: np.ndarray) -> np.ndarray:
    """e ** x, element by element, as float64 of x's shape."""
    return _exp(_flat(x)).reshape(np.shape(x))


def log1p(x: np.ndarray) -> np.ndarray:
    """log(1 + x), element by element, as float64 of x's shape (-inf at x = -1)."""
    return _log1p(_flat(x)).reshape(np.shape(x))


def power(base: np.ndarray, exponent: float) -> np.ndarray:
    """base ** exponent, element by element, as float64 of base's shape."""
    return _power(_flat(base), float(exponent)).reshape(np.shape(base))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + e ** -x)."""
    return 1.0 / (1.0 + exp(-np.asarray(x, dtype=np.float64)))
