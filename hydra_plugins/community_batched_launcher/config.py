"""Typed settings of the project's launcher and sweeper, registered with Hydra's ConfigStore.

Hydra imports every module under ``hydra_plugins`` when it looks for plugins, before it
composes, so these are known as ``hydra/launcher=batched`` and ``hydra/sweeper=batched``
(chosen in configs/hydra/default.yaml). Typed, so a misspelt ``+hydra.launcher.n_jobz=4`` is
refused like a misspelt joblib setting (experiments/callbacks.py), not silently ignored.
"""

from hydra.core.config_store import ConfigStore

from hydra_plugins.community_batched_launcher._settings import BatchedLauncherConf, BatchedSweeperConf

ConfigStore.instance().store(group="hydra/launcher", name="batched", node=BatchedLauncherConf,
                             provider="community_batched_launcher")
ConfigStore.instance().store(group="hydra/sweeper", name="batched", node=BatchedSweeperConf,
                             provider="community_batched_launcher")
