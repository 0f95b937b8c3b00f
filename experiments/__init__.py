"""Experiments: the `experiment` config group and the analysis of a multirun's runs."""
