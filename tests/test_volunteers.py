"""Volunteers where they matter: informants (信息员) and mediators (调解员)."""

from __future__ import annotations

from conftest import run


def _found_by_volunteers(model, kind: str) -> int:
    p = model.problems()
    return int(((p["channel"] == "volunteer") & (p["kind"] == kind)).sum())


def test_more_volunteers_bring_more_private_needs_to_the_community():
    few = run(days=60, seed=1, overrides=["scenario.volunteers.base_volunteer_prob=0.02"])
    many = run(days=60, seed=1, overrides=["scenario.volunteers.base_volunteer_prob=0.1"])
    # care of the elderly is never seen on patrol: only a volunteer neighbour hears of it
    assert _found_by_volunteers(few, "care") < _found_by_volunteers(many, "care")


def test_volunteer_mediators_settle_disputes_without_a_handler():
    # volunteer neighbours who hear of disputes (the calibrated district has few: §7.26)
    hear = "scenario.volunteers.informant_pass_on_rate_per_day=0.1"
    none = run(days=60, seed=1, overrides=[hear, "scenario.volunteers.mediation_settle_prob=0"])
    all_ = run(days=60, seed=1, overrides=[hear, "scenario.volunteers.mediation_settle_prob=1"])

    def settled(model) -> int:
        p = model.problems()
        dispute = (p["kind"] == "neighbour_dispute") & (p["handler"] == "volunteer")
        return int((dispute & (p["status"] == "solved")).sum())

    assert settled(none) < settled(all_)
