"""Configuration: the schema with ranges (`types`, `scenario`, `params`) and the composition
of a run's config from scenario, policy and shock names (`load`). Each policy's levers live
in its module of `sim.policies`; `params.PolicyMix` is built from that registry.

Model parts import `sim.config.types` and `sim.config.scenario` only; `Params` (which knows
every policy) is for the model's entry point and the layers above it.
"""
