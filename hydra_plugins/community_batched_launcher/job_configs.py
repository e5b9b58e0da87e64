"""Each job's configuration, composed once per combination of config groups.

Hydra composes every job of a sweep from scratch (``ConfigLoader.load_sweep_config``): it
builds the defaults tree and merges some 25 config files, 0.15–0.3 s a job, although a
sweep's jobs usually differ only in plain values (``seed=3``, ``switch_day=120``) over a few
combinations of config groups (``+experiment/arms/ad_policy=quota_3``). In a 128-job sweep on
the batched launcher that was the largest cost (13.9 s of composing against 20.5 s of
simulating, measured 2026-12-03).

:class:`JobComposer` does what Hydra 1.3's ``ConfigLoaderImpl._load_configuration_impl``
does, with its expensive half cached: the defaults list and the merged configuration depend
only on the config-group overrides (Hydra's own rule, ``defaults_list.Overrides``: an override
is a value unless its key is a config group), so they are built once per combination and
copied; each job's values and Hydra's bookkeeping (``hydra.overrides``, ``runtime.choices``,
``job.override_dirname``) are then applied as Hydra applies them. It uses Hydra's internal
modules (``hydra._internal``), which the project pins to 1.3 (pyproject.toml);
``tests/sweeps/test_job_configs.py`` checks every job of the presets against Hydra's own
composition.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence

from hydra import __version__, version
from hydra._internal.config_loader_impl import ConfigLoaderImpl, get_overrides_dirname
from hydra._internal.defaults_list import create_defaults_list
from hydra.conf import ConfigSourceInfo
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from hydra.core.utils import JobRuntime
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf, open_dict


class JobComposer:
    """``compose(overrides)`` equals ``config_loader.load_sweep_config(master, overrides)``."""

    def __init__(self, config_loader: ConfigLoaderImpl, master_config: DictConfig) -> None:
        self.loader, self.master = config_loader, master_config
        self.hydra_overrides = list(OmegaConf.to_container(master_config.hydra.overrides.hydra))
        config_loader.ensure_main_config_source_available()
        # A config repository to tell config groups from values: its search path depends only on
        # the Hydra overrides, which a sweep cannot vary. Composing gets a fresh one each time,
        # as in Hydra: composition alters the configs the repository caches.
        _, self.repo = config_loader._parse_overrides_and_create_caching_repo(master_config.hydra.job.config_name,
                                                                               self.hydra_overrides)
        self._groups: dict[tuple, tuple] = {}  # group overrides -> (defaults list, pickled config, sources)

    def compose(self, sweep_overrides: Sequence[str]) -> DictConfig:
        loader, repo, config_name = self.loader, self.repo, self.master.hydra.job.config_name
        parsed = OverridesParser.create().parse_overrides([*self.hydra_overrides, *sweep_overrides])
        loader.validate_sweep_overrides_legal(overrides=parsed, run_mode=RunMode.RUN, from_shell=True)
        is_value = [_is_value(o, repo) for o in parsed]
        values = [o for o, v in zip(parsed, is_value) if v]
        key = tuple(o.input_line for o, v in zip(parsed, is_value) if not v)
        if key not in self._groups:
            groups_only, repo = loader._parse_overrides_and_create_caching_repo(config_name, list(key))
            defaults = create_defaults_list(repo=repo, config_name=config_name, overrides_list=groups_only,
                                            prepend_hydra=True, skip_missing=False)
            cfg = loader._compose_config_from_defaults_list(defaults=defaults.defaults, repo=repo)
            sources = [ConfigSourceInfo(path=x.path, schema=x.scheme(), provider=x.provider)
                       for x in repo.get_sources()]
            self._groups[key] = (defaults, pickle.dumps(cfg), sources)  # a copy that loads ~10x faster than deepcopy
        defaults, cached, sources = self._groups[key]
        cfg = pickle.loads(cached)
        # From here on as _load_configuration_impl after composing (Hydra 1.3).
        OmegaConf.set_struct(cfg, True)
        OmegaConf.set_readonly(cfg.hydra, False)
        ConfigLoaderImpl._apply_overrides_to_config(values, cfg)
        app_overrides = []
        for override in parsed:
            if override.is_hydra_override():
                cfg.hydra.overrides.hydra.append(override.input_line)
            else:
                cfg.hydra.overrides.task.append(override.input_line)
                app_overrides.append(override)
        with open_dict(cfg.hydra):
            cfg.hydra.runtime.choices.update(defaults.overrides.known_choices)
            for env in cfg.hydra.job.env_copy:
                cfg.hydra.job.env_set[env] = os.environ[env]
        cfg.hydra.runtime.version = __version__
        cfg.hydra.runtime.version_base = version.getbase()
        cfg.hydra.runtime.cwd = os.getcwd()
        cfg.hydra.runtime.config_sources = sources
        if "name" not in cfg.hydra.job:
            cfg.hydra.job.name = JobRuntime().get("name")
        dirname = cfg.hydra.job.config.override_dirname
        cfg.hydra.job.override_dirname = get_overrides_dirname(overrides=app_overrides, kv_sep=dirname.kv_sep,
                                                               item_sep=dirname.item_sep,
                                                               exclude_keys=dirname.exclude_keys)
        cfg.hydra.job.config_name = config_name
        OmegaConf.copy_cache(from_config=self.master, to_config=cfg)  # as load_sweep_config
        return cfg


def _is_value(override: Override, repo) -> bool:
    """Hydra's rule (``defaults_list.Overrides``): a value, unless its key is a config group."""
    return isinstance(override.value(), dict) or not repo.group_exists(override.key_or_group)
