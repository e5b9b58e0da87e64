"""The parameter schema: ranges, types and impossible combinations fail with the key named."""

from __future__ import annotations

import pytest

from sim import CommunityModel, ParamError
from sim.params import AdPolicy, EntryThreshold, Params, describe, validate
from tests.conftest import make_params


def test_defaults_are_valid_and_documented():
    validate(Params())
    rows = describe()
    assert len(rows) > 80
    numeric = [r for r in rows if r["range"] != (None, None) and r["range"] is not None]
    assert numeric, "ranged parameters exist"
    for r in numeric:
        assert r["unit"], f"{r['key']} has a range but no unit"
        assert r["source"], f"{r['key']} has no source"


@pytest.mark.parametrize("group, field, value, fragment", [
    ("ads", "quota_per_day", -1, "ads.quota_per_day = -1 is out of range: allowed [0, 1000]"),
    ("reading", "attention_budget", 0.0, "reading.attention_budget"),
    ("churn", "base_hazard", 1.5, "allowed [0, 1]"),
    ("arrivals", "cap", 1, "arrivals.cap"),
])
def test_out_of_range_names_key_and_range(group, field, value, fragment):
    with pytest.raises(ParamError, match=fragment.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        validate(make_params(**{group: {field: value}}))


def test_wrong_type_is_rejected():
    with pytest.raises(ParamError, match="days = '365': expected int"):
        validate(make_params(days="365"))
    with pytest.raises(ParamError, match="entry.welcome_ritual"):
        validate(make_params(entry={"welcome_ritual": 1}))
    with pytest.raises(ParamError, match="must be a finite number"):
        validate(make_params(reading={"ad_cost": float("nan")}))


@pytest.mark.parametrize("groups, fragment", [
    ({"entry": {"threshold": EntryThreshold.paid, "fee": 0.0}}, "entry.threshold = paid needs entry.fee > 0"),
    ({"entry": {"fee": 10.0}}, "entry.fee = 10.0 is only meaningful"),
    ({"ads": {"policy": AdPolicy.quota, "quota_per_day": 0}}, "use ads.policy = ban"),
    ({"seeding": {"seed_users": 500}}, "does not fit under arrivals.cap = 500"),
    ({"network": {"edgelist": "x.txt"}}, "also set network.initial = edgelist"),
    ({"churn": {"mute_below": 0.7, "unmute_above": 0.5}}, "churn.unmute_above"),
])
def test_impossible_combinations(groups, fragment):
    with pytest.raises(ParamError, match=fragment.replace(".", r"\.").replace("(", r"\(")):
        validate(make_params(**groups))


def test_model_refuses_bad_params_before_running():
    with pytest.raises(ParamError):
        CommunityModel(make_params(days=0))
