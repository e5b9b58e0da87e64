"""Classroom page: pick a scenario, press ▶, watch a chat group thrive and die — and see why.

Start it with ``python -m dashboards`` (offline, localhost; see dashboards/__main__.py).

This is Mesa's SolaraViz over the core simulator's model (``sim.model.CommunityModel``); the
page only wires it up:

* The model is built through ``analysis.compose.load_params`` — the same Hydra compose
  of configs/ as the main job — from the chosen scenario plus the lever settings, so what
  the class sees is what a sweep measures. SolaraViz re-creates the model from keyword
  arguments on Reset (PITFALLS, Mesa #2452): :class:`ClassroomModel` is that keyword
  front end to the factory.
* Picking a scenario re-mounts SolaraViz (``.key(scenario)``) with that scenario's own
  lever values as the slider defaults and the scenario fixed in its model parameters, so
  Reset rebuilds the same scenario with the levers as set.
"""

from __future__ import annotations

import functools
import json
import os
import warnings

# Mesa's own SolaraViz trips Solara's hook-rule check at import: nothing a user can act on.
warnings.filterwarnings("ignore", message=r".*found despite early return", category=UserWarning)

import solara  # noqa: E402
from mesa.visualization import SolaraViz  # noqa: E402

from analysis.compose import load_params, scenario_catalog
from analysis.registry import LEVER_BY_NAME
from dashboards.components.charts import HealthChart, MembersChart, MessagesChart
from dashboards.components.network import MemberNetwork
from dashboards.components.story import PhaseBadge, StoryPanel
from sim.model import CommunityModel

#: The levers in the sidebar (analysis/registry.py holds their keys, labels, options, ranges).
#: A choice lever switches a whole strategy piece (configs/strategy/<group>/<option>.yaml), so
#: e.g. a paid entry brings its fee and its filter rates, not just the label.
PAGE_LEVERS = ("entry_threshold", "ad_policy", "seed_strategy", "ad_quota", "posts_per_week", "moderation")
ENUM_LEVERS = {n: LEVER_BY_NAME[n] for n in PAGE_LEVERS if LEVER_BY_NAME[n].is_choice}
NUMERIC_LEVERS = {n: LEVER_BY_NAME[n] for n in PAGE_LEVERS if not LEVER_BY_NAME[n].is_choice}
#: Extra Hydra overrides for every model of this server (``python -m dashboards KEY=VALUE ...``),
#: e.g. ``seeding.seed_users=499`` for a full 500-member group; the levers still win.
EXTRA_OVERRIDES: list[str] = json.loads(os.environ.get("CLASSROOM_OVERRIDES", "[]"))
#: The scenario a fresh page opens on: an ordinary group that grows, then decays.
DEFAULT_SCENARIO = "typical_group"


def _lever_values(p) -> dict:
    """The lever settings a composed Params has (the sliders' starting positions)."""
    return {
        "entry_threshold": p.entry.threshold.value,
        "ad_policy": p.ads.policy.value,
        "seed_strategy": p.seeding.strategy.value,
        "ad_quota": int(p.ads.quota_per_day),
        "posts_per_week": int(round(p.cadence.posts_per_week)),
        "moderation": int(round(p.moderation.capacity_per_day)),
        "seed": int(p.seed),
    }


@functools.lru_cache(maxsize=None)  # a Hydra compose takes ~0.1 s; configs don't change while serving
def scenario_defaults(scenario: str) -> dict:
    """Lever values of a scenario as its config composes them."""
    return _lever_values(load_params([f"scenario={scenario}", *EXTRA_OVERRIDES]))


def overrides_for(scenario: str, **levers) -> list[str]:
    """Hydra overrides for a scenario with some levers moved away from its own values.

    A lever left where the scenario put it adds nothing, so an untouched page runs exactly
    the scenario the main job runs.
    """
    own = scenario_defaults(scenario)
    keyed = dict(o.split("=", 1) for o in [f"scenario={scenario}", *EXTRA_OVERRIDES])
    for name, value in levers.items():
        if value is None or value == own[name]:
            continue
        if name in ENUM_LEVERS or name in NUMERIC_LEVERS:
            keyed[LEVER_BY_NAME[name].key] = value
        elif name == "seed":
            keyed["seed"] = int(value)
    return [f"{k}={v}" for k, v in keyed.items()]  # one value per key: a lever replaces an extra


class ClassroomModel(CommunityModel):
    """The core model, built from a scenario name and lever keywords (SolaraViz's interface)."""

    def __init__(self, scenario: str = DEFAULT_SCENARIO, entry_threshold: str | None = None,
                 ad_policy: str | None = None, seed_strategy: str | None = None, ad_quota: int | None = None,
                 posts_per_week: int | None = None, moderation: int | None = None, seed: int | None = None):
        levers = dict(entry_threshold=entry_threshold, ad_policy=ad_policy, seed_strategy=seed_strategy,
                      ad_quota=ad_quota, posts_per_week=posts_per_week, moderation=moderation, seed=seed)
        self.overrides = overrides_for(scenario, **levers)
        super().__init__(load_params(self.overrides))
        self.scenario = scenario


def model_params(scenario: str) -> dict:
    """SolaraViz's parameter panel: the scenario (fixed) and the levers at its values."""
    own = scenario_defaults(scenario)
    params: dict = {"scenario": scenario}
    for name, lv in ENUM_LEVERS.items():
        params[name] = {"type": "Select", "label": lv.label, "value": own[name], "values": list(lv.options)}
    for name, lv in NUMERIC_LEVERS.items():
        # widen the range to hold the scenario's own value, so an untouched slider changes nothing
        params[name] = {"type": "SliderInt", "label": f"{lv.label} ({lv.unit})", "value": own[name],
                        "min": int(min(lv.low, own[name])), "max": int(max(lv.high, own[name])), "step": int(lv.step)}
    params["seed"] = {"type": "SliderInt", "label": "Random seed", "value": own["seed"], "min": 0,
                      "max": max(99, own["seed"]), "step": 1}
    return params


COMPONENTS = [(MemberNetwork, 0), (StoryPanel, 0), (MembersChart, 0), (MessagesChart, 0), (HealthChart, 0)]


def lever_summary(p) -> str:
    """The levers the running model was built with, in words (the sliders show no numbers)."""
    return (f"Running with: entry {p.entry.threshold.value} · ads {p.ads.policy.value}"
            + (f" ({p.ads.quota_per_day}/day)" if p.ads.policy.value == "quota" else "")
            + f" · {p.cadence.posts_per_week:g} content posts/week · moderation {p.moderation.capacity_per_day:g}/day"
            + f" · seed users: {p.seeding.strategy.value} · seed {p.seed}")


@solara.component
def ScenarioPicker(scenario: str, on_scenario, catalog: dict[str, str], model):
    with solara.Card(style={"margin-bottom": "0px"}):
        with solara.Row(style={"align-items": "center"}):
            solara.Select("Scenario", values=list(catalog), value=scenario, on_value=on_scenario,
                          classes=["classroom-scenario-picker"], style={"max-width": "320px"})
            PhaseBadge(model)
        with solara.Column(gap="4px"):
            solara.Text(catalog.get(scenario, ""), classes=["classroom-scenario-description"])
            solara.Text(lever_summary(model.p), style={"font-size": "12px"})
            solara.Text("Move the levers in the sidebar, then Reset to rerun this scenario with them; "
                        "▶ plays, Step advances one day.", style={"color": "grey", "font-size": "12px"})


@solara.component
def Page():
    catalog = solara.use_memo(scenario_catalog, [])
    scenario, set_scenario = solara.use_state(DEFAULT_SCENARIO if DEFAULT_SCENARIO in catalog else next(iter(catalog)))
    # One model per browser tab (a module-level model would be shared by every visitor).
    model = solara.use_reactive(solara.use_memo(lambda: ClassroomModel(scenario=scenario), []))

    def pick(name: str) -> None:
        if name and name != scenario:
            model.set(ClassroomModel(scenario=name))
            set_scenario(name)

    solara.Title("Community lifecycle — classroom")
    ScenarioPicker(scenario, pick, catalog, model.value)
    SolaraViz(model, components=COMPONENTS, model_params=model_params(scenario),
              name="Community lifecycle", play_interval=100).key(f"viz-{scenario}")
