"""Turning points of a run's story: structured where they happen, put into words here only.

Both engines record an :class:`Event` — the day, its ``kind`` (``sim.vocab.EVENT_KINDS``),
who it is about, and its numbers — and :func:`render` is the one place that turns it into
the sentence the report, the classroom page and ``events.csv`` show, so the two engines
tell the same event in the same words. Readers that need a particular turning point (a
story's "the founder burns out", the report's headlines) select by ``kind``, never by the
wording.

An event *is* the pair ``(day, text)`` (a tuple), so every reader of turning points —
``for day, text in result.events``, ``events.csv`` — reads it as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sim.vocab import EVENT_KINDS, REACTION_METRIC, SHARE_METRICS

if TYPE_CHECKING:
    from sim.params import Change

#: The sentence of each kind: ``str.format`` fields ``day``, ``who``, ``what`` and the event's
#: numbers (counts formatted ``.0f``, so an int from one engine and a float from the other
#: read alike). ``died`` has two sentences (:func:`render`).
TEMPLATES: dict[str, str] = {
    "strategy_change": "Strategy change: {what}",
    "reaction": "{what}",
    "hot_topic": "A hot topic lights the group up (heat {heat:.1f})",
    "offline_event": "Offline event: {ties:.0f} new ties among members",
    "founder_burnt_out": "Founder {who} burnt out: content stops",
    "founder_back": "Founder {who} is back after {days:.0f} days of burnout",
    "founder_left": "Founder {who} left the group",
    "founder_quit": "Founder {who} left the group after {days:.0f} days of burnout",
    "kol_rose": "{who} became a KOL",
    "kol_left": "KOL {who} left: quality fell",
    "purge": "Zombie purge removed {members:.0f} silent members",
    "need_shift": "Need shift: the group's purpose expired for {members:.0f} members",
    "silent": "The group fell nearly silent on day {day}: {messages:.0f} messages in a week",
    "ad_group": "The group became an ad group on day {day}",
    "self_operating": "The group became self-operating on day {day}",
    "died": "The group died on day {day}: {silent_days:.0f} days without a message",
}
assert set(TEMPLATES) == set(EVENT_KINDS), "every kind of turning point has its sentence"


def render(day: int, kind: str, who: str = "", what: str = "", numbers: Mapping[str, float] | None = None) -> str:
    """The sentence a reader sees for an event."""
    numbers = numbers or {}
    if kind == "died" and "silent_days" not in numbers:  # no people left: say who is
        return f"The group died on day {day}: " + _who_is_left(bool(numbers["founder"]), int(numbers["spammers"]))
    return TEMPLATES[kind].format(day=day, who=who, what=what, **numbers)


def _who_is_left(founder: bool, spammers: int) -> str:
    """Why a group with no people ended: "nobody left" only when nobody is."""
    parts = (["the founder"] if founder else []) + ([f"{spammers} spammer{'s' * (spammers > 1)}"] if spammers else [])
    return "no members left besides " + " and ".join(parts) if parts else "nobody left"


class Event(tuple):
    """A turning point: the pair ``(day, text)``, with ``kind``, ``who`` (a member's name),
    ``what`` (a strategy change's description) and ``numbers`` to select and compute by."""

    def __new__(cls, day: int, kind: str, who: str = "", what: str = "",
                numbers: Mapping[str, float] | None = None) -> Event:
        if kind not in TEMPLATES:
            raise ValueError(f"event kind {kind!r}: allowed {', '.join(EVENT_KINDS)}")
        numbers = dict(numbers or {})
        self = super().__new__(cls, (int(day), render(int(day), kind, who, what, numbers)))
        self.kind, self.who, self.what, self.numbers = kind, who, what, numbers
        return self

    def __getnewargs__(self) -> tuple[Any, ...]:  # pickling (snapshots) and copying
        return self[0], self.kind, self.who, self.what, self.numbers

    @property
    def day(self) -> int:
        return self[0]

    @property
    def text(self) -> str:
        return self[1]


def of_kind(events, *kinds: str) -> list[Event]:
    """The events of the given kinds, in order."""
    unknown = set(kinds) - set(EVENT_KINDS)
    if unknown:
        raise ValueError(f"event kinds {sorted(unknown)}: allowed {', '.join(EVENT_KINDS)}")
    return [e for e in events if e.kind in kinds]


def describe_change(ch: Change) -> str:
    """A strategy change as a viewer reads it: its label (a strategy piece) or the keys and values."""
    if ch.label:
        return ch.label
    return ", ".join(f"{k} = {getattr(v, 'value', v)}" for k, v in ch.set.items())


#: How a sentence says a condition's comparison.
_OP_WORDS = {"<": "fell below", "<=": "fell to", ">": "rose above", ">=": "reached"}
_WEEKS = {7: "a week", 14: "two weeks", 21: "three weeks", 28: "four weeks"}


def describe_condition(metric: str, op: str, value: float, for_days: int) -> str:
    """A reactive change's condition in words: "speaking fell below 10 % for two weeks"."""
    amount = f"{value:.0%}".replace("%", " %") if metric in SHARE_METRICS else f"{value:g}"
    held = "" if for_days <= 1 else f" for {_WEEKS.get(for_days, f'{for_days} days')}"
    return f"{REACTION_METRIC.labels[metric]} {_OP_WORDS[op]} {amount}{held}"


def describe_reaction(ch: Change) -> str:
    """A reactive change as the story tells it: the condition that held, then what the operator
    did — "Speaking fell below 10 % for two weeks: the founder started a daily topic"."""
    w = ch.when
    condition = describe_condition(w.metric, w.op, w.value, w.for_days)
    return f"{condition[0].upper()}{condition[1:]}: {describe_change(ch)}"
