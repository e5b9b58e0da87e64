"""The batched launcher's job configurations (hydra_plugins/community_batched_launcher/job_configs.py)
equal Hydra's own composition, job for job, for presets that sweep values, config groups and
both; and they are composed once per combination of config groups."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hydra import initialize_config_dir
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.types import RunMode
from omegaconf import OmegaConf

import experiments.run  # noqa: F401 - registers the configuration schema (ConfigStore)
from hydra_plugins.community_batched_launcher.job_configs import JobComposer

CONFIGS = Path(__file__).resolve().parents[2] / "configs"


def _jobs(master) -> list[list[str]]:
    """The preset's jobs as Hydra's basic sweeper lists them (params, then the command's sweep)."""
    params = [f"{k}={v}" for k, v in (master.hydra.sweeper.params or {}).items()]
    return BasicSweeper.split_arguments(OverridesParser.create().parse_overrides(params), None)[0]


@pytest.mark.slow
@pytest.mark.parametrize("preset", ["ad_policy", "seeding_x_entry", "switch_entry"])
def test_job_configs_equal_hydras_composition(preset: str) -> None:
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3", job_name="run"):
        loader = GlobalHydra.instance().config_loader()
        master = loader.load_configuration("config", overrides=[f"experiment={preset}", "engine=vector",
                                                                "hydra/launcher=batched"], run_mode=RunMode.MULTIRUN)
        jobs = _jobs(master)
        composer = JobComposer(loader, master)
        hydra_s = fast_s = 0.0
        for overrides in jobs[:48]:
            tic = time.perf_counter()
            ours = composer.compose(overrides)
            fast_s += time.perf_counter() - tic
            tic = time.perf_counter()
            theirs = loader.load_sweep_config(master, list(overrides))
            hydra_s += time.perf_counter() - tic
            assert OmegaConf.to_yaml(ours) == OmegaConf.to_yaml(theirs), overrides
            assert OmegaConf.get_type(ours) is OmegaConf.get_type(theirs) and OmegaConf.is_struct(ours)
    # These presets' config groups are the overrides with a "/" (strategy/entry, +experiment/arms/...).
    combinations = {tuple(o for o in job if "/" in o.split("=")[0]) for job in jobs[:48]}
    assert len(composer._groups) == len(combinations)
    assert fast_s < hydra_s, (fast_s, hydra_s)  # the point of it (measured ~10x; a ratio, never a time)
