"""Ties between members (MODEL.md §2).

The group's social network is a ``networkx.Graph`` of *present* members keyed by
``unique_id``; a member who leaves takes their ties with them, so a node's degree is
always its number of present contacts (what the threshold cascade counts). Ties form
through invitations, the welcome ritual, replies and offline events; their weight
counts interactions.

Initial structure matters (seed 004 L646): in a *star* everyone knows only the
founder, so the founder's exit strands them; in a *mesh* seed users also know each
other.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from sim.params import ChurnMode

if TYPE_CHECKING:
    from sim.agents import Member
    from sim.model import CommunityModel


def tie(graph: nx.Graph, a: Member, b: Member, known: bool = False) -> None:
    """Strengthen (or create) the tie between two members. ``known``: they know each other
    as people — wired at the start, friends, an invitation, a meet-up — not only from talk
    in the group (what puts a lurker at ease: processes/roles.py ``activate_chance``).

    In threshold-cascade mode the network is fixed after day 0, as in Garcia et al. (2013):
    survivors are then exactly the ⌈c/b⌉-core of the starting network.
    """
    if a is b:
        return
    if a.model.day > 0 and a.model.p.churn.mode is ChurnMode.cascade:
        return
    u, v = a.unique_id, b.unique_id
    if graph.has_edge(u, v):
        graph[u][v]["weight"] += 1
    else:
        graph.add_edge(u, v, weight=1)
    if known:
        graph[u][v]["known"] = True
    a.tie_weight_ever += 1
    b.tie_weight_ever += 1


def wire_seed_users(model: CommunityModel, founder: Member, seeds: list[Member], mesh_degree: int) -> None:
    """Star: every seed user knows the founder. Mesh: they also know ``mesh_degree`` others."""
    for m in seeds:
        tie(model.network, founder, m, known=True)
    if mesh_degree and len(seeds) > 1:
        k = min(mesh_degree, len(seeds) - 1)
        for i, m in enumerate(seeds):
            for j in model.rng.choice(len(seeds) - 1, size=k, replace=False):
                other = seeds[j if j < i else j + 1]
                tie(model.network, m, other, known=True)


class EdgeListError(ValueError):
    """A user-supplied edge list that cannot be read: one line naming the file (and line)."""


def read_edgelist(path: str | Path) -> nx.Graph:
    """A user-supplied network: one ``u v`` pair per line (UTF-8 text), ``#`` comments allowed.

    Raises :class:`EdgeListError` with one line naming the file and, where there is one, the
    line: missing, a folder, not text, a line without two ids, a self-loop, no edges.
    """
    path = Path(path)
    where = f"network.edgelist = {str(path)!r}"
    if path.is_dir():
        raise EdgeListError(f"{where}: is a folder, not a file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise EdgeListError(f"{where}: no such file") from None
    except OSError as exc:
        raise EdgeListError(f"{where}: cannot be read ({exc.strerror or exc})") from None
    g = nx.Graph()
    for lineno, raw in enumerate(data.split(b"\n"), 1):
        try:
            if b"\x00" in raw:
                raise UnicodeDecodeError("utf-8", raw, raw.index(b"\x00"), raw.index(b"\x00") + 1, "NUL byte")
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise EdgeListError(f"{where}, line {lineno}: not text (binary data); expected 'u v' pairs") from None
        line = text.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 2:
            raise EdgeListError(f"{where}, line {lineno}: expected 'u v', got {line!r}")
        if parts[0] == parts[1]:
            raise EdgeListError(f"{where}, line {lineno}: self-loop {line!r} (a member cannot befriend themself)")
        g.add_edge(parts[0], parts[1])
    if g.number_of_nodes() == 0:
        raise EdgeListError(f"{where}: no edges (empty, or only comments)")
    return g


def edgelist_founder(g: nx.Graph):
    """The node of a user's network that founds the group: the best connected (ties broken by
    the larger label, so the choice does not depend on the file's order). Both engines use it."""
    return max(g.nodes, key=lambda n: (g.degree[n], str(n)))
