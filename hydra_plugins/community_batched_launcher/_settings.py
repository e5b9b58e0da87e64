"""The dataclasses behind config.py (this module's name starts with "_" so that Hydra's plugin
scan, which executes every other module under ``hydra_plugins`` again in place, leaves it
alone: a class defined twice would no longer pickle, and composed configs are pickled).
"""

from dataclasses import dataclass
from typing import Optional

from hydra._internal.core_plugins.basic_sweeper import BasicSweeperConf


@dataclass
class BatchedLauncherConf:
    """Per worker, a chunk of jobs composed, its engine=vector jobs simulated together, then
    each job run as usual; engine=mesa jobs simulate one by one (batched_launcher.py)."""

    _target_: str = "hydra_plugins.community_batched_launcher.batched_launcher.BatchedLauncher"
    #: Most jobs simulated together (memory grows ~1 MiB per 500-member group).
    batch_size: int = 256
    #: Worker processes; None: $ENSEMBLE_WORKERS or one per core.
    n_jobs: Optional[int] = None  # noqa: UP045 - as Hydra's own plugin settings


@dataclass
class BatchedSweeperConf(BasicSweeperConf):
    """Hydra's basic sweeper's settings (``params``, ``max_batch_size``); batched_sweeper.py."""

    _target_: str = "hydra_plugins.community_batched_launcher.batched_sweeper.BatchedSweeper"
