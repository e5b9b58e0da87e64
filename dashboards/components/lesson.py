"""The run a class is watching: one setup, one model built from it, one lock.

The old page kept three copies of "what is running" (the picker's scenario, SolaraViz's
model parameters, the model) and they drifted: Reset after a scenario switch rebuilt the
default scenario, a moved slider kept its value after a switch, a switch while playing went
on playing the old model (PITFALLS "SolaraViz controls are not rebuilt"). Here the setup (a
scenario plus its lever values) is the one state: the controls show it, :meth:`Lesson.start`
builds the model from it, and Reset calls ``start`` with it again.

The model is built through ``analysis.compose.load_params`` — the same Hydra compose as the
main job — so an untouched page runs exactly the scenario ``experiments/run.py`` runs.
"""

from __future__ import annotations

import enum
import functools
import json
import os
import threading
from typing import Any

from analysis.compose import load_params, piece_values
from analysis.registry import LEVER_BY_NAME
from dashboards.components.frame import Frame, take_frame
from dashboards.components.network import StableLayout
from sim.model import CommunityModel
from sim.params import Change

#: The levers on the page (analysis/registry.py holds their keys, labels, options, ranges).
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
#: Mid-run interventions: (lever, option, button text, what the turning points will say).
#: Each becomes a strategy change on the model's own timeline (sim/processes/timeline.py),
#: applied on the next morning.
INTERVENTIONS = (
    ("ad_policy", "ban", "Ban ads from tomorrow", "the teacher banned ads"),
    ("entry_threshold", "application", "Review applications from tomorrow", "the teacher made newcomers apply"),
)


def _lever_values(p) -> dict:
    """The lever settings a composed Params has (the controls' starting positions)."""
    return {
        "entry_threshold": p.entry.threshold.value,
        "ad_policy": p.ads.policy.value,
        "seed_strategy": p.seeding.strategy.value,
        "ad_quota": int(p.ads.quota_per_day),
        "posts_per_week": int(round(p.cadence.posts_per_week)),
        "moderation": int(round(p.moderation.capacity_per_day)),
        "seed": int(p.seed),
    }


@functools.lru_cache(maxsize=None)  # a Hydra compose takes ~0.1-0.8 s; configs don't change while serving
def scenario_defaults(scenario: str) -> dict:
    """Lever values of a scenario as its config composes them."""
    return _lever_values(load_params([f"scenario={scenario}", *EXTRA_OVERRIDES]))


def setup_for(scenario: str) -> dict:
    """The setup a scenario opens with: its name and its own lever values."""
    return {"scenario": scenario, **scenario_defaults(scenario)}


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
    """The core model, built from a scenario name and lever keywords (a setup dict)."""

    def __init__(self, scenario: str = DEFAULT_SCENARIO, entry_threshold: str | None = None,
                 ad_policy: str | None = None, seed_strategy: str | None = None, ad_quota: int | None = None,
                 posts_per_week: int | None = None, moderation: int | None = None, seed: int | None = None):
        levers = dict(entry_threshold=entry_threshold, ad_policy=ad_policy, seed_strategy=seed_strategy,
                      ad_quota=ad_quota, posts_per_week=posts_per_week, moderation=moderation, seed=seed)
        self.overrides = overrides_for(scenario, **levers)
        super().__init__(load_params(self.overrides))
        self.scenario = scenario


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


class Lesson:
    """The running model of one browser tab, the setup it was built from, and the lock that
    keeps a step, a snapshot and a rebuild from overlapping (the play loop steps in a thread)."""

    def __init__(self, setup: dict) -> None:
        self.lock = threading.RLock()
        self.generation = 0
        self.frame = self.start(setup)

    def start(self, setup: dict) -> Frame:
        """Build a fresh model from ``setup`` (page load, Reset, scenario switch)."""
        model = ClassroomModel(**setup)
        with self.lock:
            self.generation += 1  # a play loop of the old run sees this and stops
            self.setup, self.model, self.layout = dict(setup), model, StableLayout()
            self.frame = take_frame(model, self.layout, self.setup)
            return self.frame

    def advance(self, generation: int | None = None) -> Frame | None:
        """Step one day and snapshot it; None if the run is over or was replaced meanwhile."""
        with self.lock:
            if (generation is not None and generation != self.generation) or not self.model.running:
                return None
            self.model.step()
            self.frame = take_frame(self.model, self.layout, self.setup)
            return self.frame

    def intervene(self, lever: str, option: str, label: str) -> str:
        """Schedule ``lever=option`` for tomorrow morning on the model's timeline; say what happens."""
        with self.lock:
            model = self.model
            if not model.running or model.day + 1 > model.p.days:
                return "The run is over: press Reset first."
            # the whole strategy piece, as a timeline entry ``strategy/<piece>: <option>`` would set it
            change = piece_values(LEVER_BY_NAME[lever].key.split("/", 1)[1], option)
            now = {k: _plain(getattr(getattr(model.p, k.split(".")[0]), k.split(".")[1])) for k in change}
            if change == now:
                return f"Already in force: {LEVER_BY_NAME[lever].label} is {option}."
            model.p.timeline = [*model.p.timeline, Change(day=model.day + 1, set=change, label=label)]
            return f"{label}: takes effect on day {model.day + 1}."
