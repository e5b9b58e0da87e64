"""The model's words, each declared once: channels, leave reasons, message types, phases,
health indicators and kinds of turning point, with the label a reader sees and, where a view
draws it, a colour. Roles are declared in :mod:`sim.roles` (their table also says what a role
does) and re-exported here.

Everything that enumerates one of these — the daily row's ``joins_<channel>`` and
``leaves_<reason>`` columns, the vector engine's integer codes, ``members.csv``, the report's
colours and legends — derives from the tuples below, so a new leave reason is one line here
(plus the rule that gives it): nothing counts them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.roles import ROLE_COLORS, ROLE_LABELS, ROLES  # noqa: F401  (re-exported: the roles' words)


@dataclass(frozen=True)
class Term:
    """One word of the model: its name in rows and files, its label for a reader, its colour."""

    name: str
    label: str
    color: str = ""  #: colour in the report ("" where no view draws it)


class Terms(tuple):
    """An ordered vocabulary: ``terms.names`` in declaration order (the order of the row's
    columns and of the vector engine's codes), with labels and colours by name."""

    def __new__(cls, *terms: Term) -> Terms:
        names = [t.name for t in terms]
        if len(set(names)) != len(names):
            raise ValueError(f"a vocabulary names a term twice: {names}")
        return super().__new__(cls, terms)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self)

    @property
    def labels(self) -> dict[str, str]:
        return {t.name: t.label for t in self}

    @property
    def colors(self) -> dict[str, str]:
        return {t.name: t.color for t in self if t.color}

    @property
    def codes(self) -> dict[str, int]:
        """Name → integer code (the vector engine's arrays)."""
        return {t.name: i for i, t in enumerate(self)}


#: How a member came in (``joins_<channel>``, members.csv ``channel``).
CHANNEL = Terms(
    Term("seed", "seed user (day 0)"),
    Term("founder", "recruited by the founder"),
    Term("word_of_mouth", "invited by a member"),
    Term("promotion", "promotion"),
    Term("paid_ads", "paid ads"),
    Term("spam", "spammer"),
    Term("edgelist", "from the start network"),
)

#: Why a member left (``leaves_<reason>``, members.csv ``leave_reason``; sim/processes/churn.py).
LEAVE_REASON = Terms(
    Term("bored", "bored", "#8c8c8c"),
    Term("overloaded", "too many messages", "#6baed6"),
    Term("annoyed_by_ads", "annoyed by ads", "#d95f02"),
    Term("need_gone", "no longer needed it", "#9e9ac8"),
    Term("kol_left", "a KOL they knew left", "#e6ab02"),
    Term("quality_fell", "quality fell (KOL)", "#b15928"),
    Term("kicked", "kicked (spam)", "#e31a1c"),
    Term("purged", "purged as silent (zombie purge)", "#525252"),
    Term("cascade", "friends left (cascade)", "#1f78b4"),
    Term("moved_on", "moved on", "#fdbf6f"),
    Term("burnout", "founder burnt out", "#6a3d9a"),
    Term("friend_left", "a friend left", "#66c2a5"),
)

#: What a message is (``msgs_<type>``).
MESSAGE_TYPE = Terms(
    Term("valuable", "valuable", "#1b9e77"),
    Term("chat", "chat", "#a6cee3"),
    Term("ad", "ads", "#d95f02"),
    Term("content", "founder's content", "#7570b3"),
)

#: The group's lifecycle phase (sim/processes/lifecycle.py), in the vector engine's code order.
PHASE = Terms(
    Term("launch", "launch", "#f0f0f0"),
    Term("growth", "growth", "#d9f0d3"),
    Term("self_operating", "self-operating", "#a6dba0"),
    Term("mature", "mature", "#c2e699"),
    Term("decline", "decline", "#fee391"),
    Term("ad_group", "ad group", "#fdae6b"),
    Term("dead", "dead", "#bdbdbd"),
)

#: The five health indicators of seed 001 L115-127 (1 when met today).
INDICATOR = Terms(
    Term("ind_rounds", "① valuable rounds without the owner"),
    Term("ind_speaking", "② people speak weekly"),
    Term("ind_conversion", "③ paid conversion"),
    Term("ind_word_of_mouth", "④ newcomers by word of mouth"),
    Term("ind_disappointed", "⑤ would miss the group"),
)

#: Turning points of a run's story (sim/events.py renders each kind to words).
EVENT_KIND = Terms(
    Term("strategy_change", "strategy change"),
    Term("reaction", "the operator reacted"),
    Term("hot_topic", "hot topic"),
    Term("offline_event", "offline event"),
    Term("founder_burnt_out", "founder burnt out"),
    Term("founder_back", "founder back"),
    Term("founder_left", "founder left"),
    Term("founder_quit", "founder quit after burnout"),
    Term("kol_rose", "new KOL"),
    Term("kol_left", "KOL left"),
    Term("purge", "zombie purge"),
    Term("need_shift", "need shift"),
    Term("silent", "fell nearly silent"),
    Term("ad_group", "became an ad group"),
    Term("self_operating", "became self-operating"),
    Term("died", "died"),
)

#: The daily numbers a reactive change may watch (``Change.when.metric``; sim/rules/reactions.py):
#: columns of the daily row both engines record, and ``ad_share`` (ads per message of the day).
#: The label is the number as a sentence says it ("speaking fell below 10 % for two weeks").
REACTION_METRIC = Terms(
    Term("weekly_speaking_rate", "speaking"),
    Term("ad_share", "ads' share of messages"),
    Term("members", "members"),
    Term("members_kol", "KOLs"),
    Term("members_lurker", "lurkers"),
    Term("members_spammer", "spammers"),
    Term("speakers", "speakers a day"),
    Term("daily_active", "daily active members"),
    Term("weekly_active", "weekly active members"),
    Term("msgs_valuable", "valuable messages a day"),
    Term("msgs_chat", "chat messages a day"),
    Term("msgs_ad", "ads a day"),
    Term("joins", "newcomers a day"),
    Term("leaves", "leavers a day"),
    Term("leaves_quality_fell", "KOLs leaving a day"),
    Term("founder_energy", "the founder's energy"),
    Term("mean_satisfaction", "members' satisfaction"),
    Term("quality", "the talk's quality"),
    Term("rounds_7d", "valuable rounds in a week"),
)
#: Watched numbers that are shares, said in per cent.
SHARE_METRICS = ("weekly_speaking_rate", "ad_share")
REACTION_METRICS = REACTION_METRIC.names

CHANNELS = CHANNEL.names
REASONS = LEAVE_REASON.names
MESSAGE_TYPES = MESSAGE_TYPE.names
PHASES = PHASE.names
#: Phases a group does not leave.
TERMINAL = ("ad_group", "dead")
INDICATORS = INDICATOR.names
EVENT_KINDS = EVENT_KIND.names
