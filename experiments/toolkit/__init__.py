"""The researcher's toolkit: which assumptions drive a conclusion (Morris, Sobol), where a
policy fails (PRIM), the cheapest mix that meets targets (Pareto search), and an EMA
Workbench adapter. Every method reads one problem (`problem.py`: uncertainties, levers,
outcomes) and writes into its experiment's results folder like a comparison does."""

METHODS = ("sensitivity", "discovery", "policy_search")
