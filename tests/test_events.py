"""The model's words and its turning points (sim/vocab.py, sim/events.py; issue 29): each
kind of event is put into words in one place, both engines tell the same event alike, and
views draw from the vocabulary instead of counting its words."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from analysis.compose import load_params
from sim import Params, simulate
from sim.events import TEMPLATES, Event, of_kind, render
from sim.vector import simulate_batch
from sim.vector.observe import COLUMNS
from sim.vocab import CHANNELS, EVENT_KINDS, LEAVE_REASON, MESSAGE_TYPE, PHASE, REASONS, Term, Terms

#: One event of each kind, with its numbers (what both engines pass).
EXAMPLES = {
    "strategy_change": {"what": "ads.policy = ban"},
    "reaction": {"what": "Speaking fell below 10 % for two weeks: the founder started a daily topic", "value": 0.05},
    "hot_topic": {"heat": 6.14}, "offline_event": {"ties": 10},
    "founder_burnt_out": {"who": "Li Wei"}, "founder_back": {"who": "Li Wei", "days": 10},
    "founder_left": {"who": "Li Wei"}, "founder_quit": {"who": "Li Wei", "days": 30}, "kol_rose": {"who": "Li Min"},
    "kol_left": {"who": "Li Min"}, "purge": {"members": 15}, "need_shift": {"members": 120},
    "silent": {"messages": 16}, "ad_group": {}, "self_operating": {}, "died": {"silent_days": 30},
}


def test_every_kind_of_event_has_its_words() -> None:
    assert set(TEMPLATES) == set(EVENT_KINDS) == set(EXAMPLES)


@pytest.mark.parametrize("kind", EVENT_KINDS)
def test_an_int_and_a_float_of_the_same_count_read_alike(kind: str) -> None:
    """The Mesa engine passes Python ints, the vector engine array values: the same words."""
    ex = dict(EXAMPLES[kind])
    who, what = ex.pop("who", ""), ex.pop("what", "")
    as_float = {k: float(np.float64(v)) for k, v in ex.items()}
    assert Event(12, kind, who, what, ex).text == Event(12, kind, who, what, as_float).text


def test_who_is_left_when_a_group_dies_without_people() -> None:
    assert render(9, "died", numbers={"founder": True, "spammers": 2}) == \
        "The group died on day 9: no members left besides the founder and 2 spammers"
    assert render(9, "died", numbers={"founder": False, "spammers": 1}).endswith("besides 1 spammer")
    assert render(9, "died", numbers={"founder": False, "spammers": 0}).endswith("nobody left")


def test_an_event_reads_as_day_and_text_and_keeps_its_kind() -> None:
    e = Event(5, "founder_burnt_out", "Li Wei")
    day, text = e
    assert (day, text) == (5, "Founder Li Wei burnt out: content stops") == e
    again = pickle.loads(pickle.dumps(e))  # snapshots pickle the model's events
    assert again == e and again.kind == "founder_burnt_out" and again.who == "Li Wei"
    assert of_kind([e, Event(6, "purge", numbers={"members": 3})], "purge")[0].day == 6
    with pytest.raises(ValueError, match="event kind"):
        Event(1, "founder_burned_out")


def test_both_engines_tell_the_founders_burnout_in_the_same_words() -> None:
    """The founder's energy runs out on a schedule without chance: both engines burn out and
    come back on the same days, and now say so in the same words (they used to differ:
    "Founder Li Wei burnt out" / "The founder burnt out")."""
    p = load_params(["scenario=founder_burnout", "seed=0", "days=20"])
    founder_events = {}
    for engine, result in (("mesa", simulate(p)), ("vector", simulate_batch([p])[0])):
        founder_events[engine] = [tuple(e) for e in result.events if e.kind.startswith("founder_")]
    assert founder_events["mesa"] and founder_events["mesa"] == founder_events["vector"]


def test_a_kol_is_named_on_both_engines() -> None:
    """One event per KOL who rises or leaves, named (the vector engine used to count them:
    "5 KOL(s) left: quality fell")."""
    p = load_params(["scenario=kol_exodus", "seed=0", "days=120"])
    for result in (simulate(p), simulate_batch([p])[0]):
        left = of_kind(result.events, "kol_left")
        gone = {m["name"] for m in result.member_rows() if m["leave_reason"] == "quality_fell"}
        assert left and sorted(e.who for e in left) == sorted(gone)
        assert all(e.text == f"KOL {e.who} left: quality fell" for e in left)
        kols = {m["name"] for m in result.member_rows() if "kol" in m["role_history"]}
        assert all(e.text == f"{e.who} became a KOL" and e.who in kols for e in of_kind(result.events, "kol_rose"))


def test_views_draw_every_word_the_vocabulary_has() -> None:
    for terms in (LEAVE_REASON, PHASE, MESSAGE_TYPE):
        assert set(terms.colors) == set(terms.names), "a word without its colour"
    for name in REASONS:
        assert f"leaves_{name}" in COLUMNS
    for name in CHANNELS:
        assert f"joins_{name}" in COLUMNS


def test_a_new_leave_reason_brings_its_colour_to_the_report(monkeypatch) -> None:
    """The report used to zip exactly twelve colours onto the reasons: a thirteenth was a
    KeyError at report time. Now the vocabulary carries the colour and label."""
    import dashboards.report as report

    new = Term("left_for_a_rival", "left for a rival group", "#123456")
    monkeypatch.setattr(report, "LEAVE_REASON", Terms(*LEAVE_REASON, new))
    result = simulate(Params(days=15, seed=2))
    for row in result.rows:
        row["leaves_left_for_a_rival"] = 1
    fig = report.build_figure(result)
    bars = {t.name: t.marker.color for t in fig.data if t.legendgroup == "leaves"}
    assert bars["left for a rival group"] == "#123456"
