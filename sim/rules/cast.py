"""A seed cast with the roles a group needs, not only KOLs (MODEL.md §4.13; ``Params.cast``).

Seed 004 L49–53: pick seed users like a variety show casts its roles — besides the experts, a
group needs talkers who raise topics (话痨) and easy-going connectors everyone gets on with
(万金油, 链接各方关系); their tension, attraction and talk keep a group alive. After the
seeding strategy's KOLs (``seeding.kol_share`` with ``kols_first``), the next ``talkers`` seed
users start out talking with ``talker_propensity`` times their drawn posting propensity, and the
next ``connectors`` know every other seed user (known ties: people at ease, seed 004 L646).
Both 0 (the default): the cohort the seeding strategy makes. ``c`` is the ``cast``
parameters: floats, or the vector engine's columns; ``i`` a seed user's place in the cohort.
"""

from __future__ import annotations


def is_talker(i, n_kols, c):
    """Whether the ``i``-th seed user is cast as a talker."""
    return (i >= n_kols) & (i < n_kols + c.talkers)


def is_connector(i, n_kols, c):
    """Whether the ``i``-th seed user is cast as a connector."""
    return (i >= n_kols + c.talkers) & (i < n_kols + c.talkers + c.connectors)


def cast_propensity(propensity, talker, c):
    """A seed user's posting propensity: a talker's is ``talker_propensity`` times higher."""
    return propensity * (1.0 + (c.talker_propensity - 1.0) * talker)
