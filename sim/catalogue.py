"""Names of the policies, in the fixed order used to name a policy mix."""

POLICY_NAMES: tuple[str, ...] = (
    "baseline",
    "hotline",
    "resource_sinking",
    "grid_management",
    "migrant_inclusion",
    "volunteer_pay",
)
