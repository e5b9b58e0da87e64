"""Hydra discovers launchers only under the ``hydra_plugins`` namespace: batched_launcher.py."""
