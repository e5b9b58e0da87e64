"""Fit the model to a community's own daily history (issue 15).

``data`` reads and checks the series; ``abc`` is the inference method (sequential
reference-table ABC, numpy only); ``fit`` connects them to the simulator through
``analysis.ensemble.run_ensemble`` and writes nothing (experiments/calibrate.py writes);
``counterfactual`` reruns a fitted group with one strategy changed from a given day.
"""
