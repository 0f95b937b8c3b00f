"""A function's latest results, kept by the identity of its object arguments.

The day asks a few things several times a day of objects that never change in place (frozen
policies, the kinds' table): the hooks and cost entries in force, the needs' envelopes.
`latest` keeps each answer for the arguments last seen, so a run, and each of the cities a
page steps in turn, finds its own.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

SCALARS = (bool, int, float, str)  # matched by value; anything else by identity


def latest(size: int = 8) -> Callable[[Callable], Callable]:
    """Keep `function`'s results for its last `size` argument lists (positional and named):
    an object argument is matched by identity (the entry holds it, so its id is not reused
    while kept), a number or a string by value. Entries are added whole, under a lock: a
    reader in another thread sees an answer with its own arguments or none."""

    def decorate(function: Callable) -> Callable:
        entries: dict[tuple, tuple] = {}  # key -> (the arguments, kept alive; the result)
        lock = threading.Lock()

        @functools.wraps(function)
        def cached(*args, **named):
            values = (*args, *named.values())
            key = (*(v if isinstance(v, SCALARS) else id(v) for v in values), *named)
            found = entries.get(key)
            if found is None:
                found = (values, function(*args, **named))
                with lock:
                    entries[key] = found
                    while len(entries) > size:  # the oldest first
                        del entries[next(iter(entries))]
            return found[1]

        return cached

    return decorate
