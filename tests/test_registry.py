"""The registry of levers and outcomes is the one list: every lever is a real config key or
strategy piece with valid values, every outcome a real run outcome, and the Optuna preset
searches only registered levers within their options."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis.compose import CONFIG_DIR, load_params
from analysis.registry import LEVERS, OUTCOMES, LEVER_BY_KEY
from sim import Params, simulate


@pytest.mark.parametrize("lever", LEVERS, ids=lambda lv: lv.name)
def test_every_lever_value_composes(lever) -> None:
    values = lever.options or (lever.low, lever.high)
    for v in values:
        v = int(v) if lever.integer else v
        load_params([f"{lever.key}={v}"])  # ParamError (or Hydra's error) if the key or value is wrong


def test_choice_levers_list_every_option_of_their_piece() -> None:
    for lever in (lv for lv in LEVERS if lv.is_choice):
        on_disk = {p.stem for p in (CONFIG_DIR / lever.key).glob("*.yaml")}
        assert set(lever.options) == on_disk, lever.key


def test_every_outcome_is_reported_by_a_run() -> None:
    """In its metrics.json: the model's outcomes and the money derived from them (analysis/money.py)."""
    from analysis.money import with_money

    outcomes = with_money(dict(simulate(Params(days=20, seed=1)).outcomes))
    missing = [o.key for o in OUTCOMES if o.key not in outcomes]
    assert not missing


def test_optimise_preset_searches_registered_levers_only() -> None:
    preset = yaml.safe_load(Path(CONFIG_DIR / "experiment" / "optimise.yaml").read_text())
    searched = preset["hydra"]["sweeper"]["params"]
    for key, spec in searched.items():
        key = key.lstrip("+")
        if key == "experiment/arms/ad_policy":  # the ad-policy arms (policy + quota) of the ad_policy preset
            continue
        lever = LEVER_BY_KEY.get(key)
        assert lever is not None, f"{key} is searched but not in analysis/registry.py"
        if lever.is_choice:
            inside = spec[spec.index("(") + 1:spec.rindex(")")]
            assert {v.strip().strip('"') for v in inside.split(",")} <= set(lever.options), key
