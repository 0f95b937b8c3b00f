"""`sim.memo.latest`: answers kept by the identity of object arguments and the value of
numbers, for the last few argument lists."""

from __future__ import annotations

from sim.memo import latest


def test_answers_are_kept_by_identity_and_value_for_the_last_few():
    calls = []

    @latest(size=2)
    def total(items, scale):
        calls.append((id(items), scale))
        return sum(items) * scale

    a, b, c = [1, 2], [1, 2], [3]  # a and b are equal, not the same object
    assert total(a, 2.0) == 6.0 and total(a, 2.0) == 6.0 and len(calls) == 1
    assert total(b, 2.0) == 6.0 and len(calls) == 2  # another object: asked again
    assert total(a, 3.0) == 9.0 and len(calls) == 3  # another number: asked again
    total(c, 1.0)  # a third entry: the oldest, (a, 2.0), goes
    total(a, 3.0)
    assert len(calls) == 4
    total(a, 2.0)
    assert len(calls) == 5


def test_two_callers_taking_turns_each_keep_their_answer():
    """As the page steps two cities in turn: neither evicts the other."""
    calls = []

    @latest()
    def hooks(policies):
        calls.append(policies)
        return list(policies)

    first, second = ("kaohe",), ("whistle",)
    for _ in range(5):
        assert hooks(first) == ["kaohe"] and hooks(second) == ["whistle"]
    assert calls == [first, second]


def test_named_arguments_are_matched_as_positional_ones():
    calls = []

    @latest()
    def envelope(rates, ceiling, shared):
        calls.append(shared)
        return [r * ceiling for r in rates]

    rates = [1.0, 2.0]
    assert envelope(rates, 2.0, shared=True) == envelope(rates, 2.0, shared=True) == [2.0, 4.0]
    envelope(rates, 2.0, shared=False)
    assert calls == [True, False]
    envelope([1.0, 2.0], 2.0, shared=True)  # equal rates, another object
    assert calls == [True, False, True]
