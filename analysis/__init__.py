"""What every caller of many runs needs, once: composing configs, running ensembles,
statistics, the registry of levers and outcomes, the stylized facts as measurements.

Imports point down only: ``sim`` ← ``analysis`` ← ``dashboards`` ← ``experiments``.
"""
