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


def tie(graph: nx.Graph, a: Member, b: Member) -> None:
    """Strengthen (or create) the tie between two members.

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
        a.ties_ever += 1
        b.ties_ever += 1


def wire_seed_users(model: CommunityModel, founder: Member, seeds: list[Member], mesh_degree: int) -> None:
    """Star: every seed user knows the founder. Mesh: they also know ``mesh_degree`` others."""
    for m in seeds:
        tie(model.network, founder, m)
    if mesh_degree and len(seeds) > 1:
        k = min(mesh_degree, len(seeds) - 1)
        for i, m in enumerate(seeds):
            for j in model.rng.choice(len(seeds) - 1, size=k, replace=False):
                other = seeds[j if j < i else j + 1]
                tie(model.network, m, other)


def read_edgelist(path: str | Path) -> nx.Graph:
    """A user-supplied network: one ``u v`` pair per line, ``#`` comments allowed."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"network.edgelist = {str(path)!r}: no such file")
    g = nx.Graph()
    for lineno, line in enumerate(path.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 2:
            raise ValueError(f"{path}:{lineno}: expected 'u v', got {line!r}")
        g.add_edge(parts[0], parts[1])
    if g.number_of_nodes() == 0:
        raise ValueError(f"{path}: no edges")
    return g
