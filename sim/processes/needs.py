"""Need shift (MODEL.md §4.8): what members need from the group changes over time.

Each member's need drifts as a small random walk; on ``shift_day`` the group's
purpose expires for a share of members (seed 004 L227: an exam-prep group ends with
the exam; seed 004's PM group after recruitment season), who then find little value
in reading and leave with reason ``need_gone``. The purpose has expired for the circle the
group recruits from too: from ``shift_day`` on, newcomers are hit in the same share (the
season is over for whoever joins later; without this, post-season newcomers kept the group
churning for ordinary reasons and the story's "need gone" exodus was drowned out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.rules.floats import needs as rules

if TYPE_CHECKING:
    from sim.model import CommunityModel


def drift(model: CommunityModel) -> None:
    n = model.p.needs
    people = [m for m in model.members if m.spec.person]
    if not people:
        return
    rng = model.rng
    steps = rng.normal(0.0, n.drift_sd, size=len(people)) if n.drift_sd else [0.0] * len(people)
    shifted = model.day == n.shift_day
    hit = rng.random(len(people)) < n.shift_share if shifted else [False] * len(people)
    for m, step, h in zip(people, steps, hit):
        m.need = float(rules.need_after_drift(m.need, step, h, n))  # a Python float: numpy scalars slow every rule
    if shifted:
        model.log_event("need_shift", members=int(sum(hit)))


def expire_for_newcomer(model: CommunityModel, need: float) -> float:
    """A newcomer's need once the purpose has expired (on and after ``shift_day``): reduced by
    ``shift_size`` with probability ``shift_share``, as for members on the day."""
    n = model.p.needs
    hit = rules.purpose_has_expired(model.day, n) and model.rng.random() < n.shift_share  # draws only then
    return rules.newcomer_need(need, hit, n)
