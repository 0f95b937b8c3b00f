"""`govsim validate`: does the model reproduce what we know? Checks computed from fresh runs.

`references.py` holds every threshold with its source; `runs.py` plans and runs the model;
`queue_checks.py`, `beijing_checks.py` and `people_checks.py` turn run tables into checks;
`report.py` writes validation.json and validation.html and prints the table.
"""
