"""What was actually run, in words, from the configuration: the pages say this, not a preset's
or a scenario's text written for other settings.

* :func:`starting_group` — the group the runs started from: a new group founded by the
  scenario, the group of a description file (members by role, the founder's tenure), or a
  snapshot continued (its day, members by role); :func:`group_name` in a few words.
* :func:`peaks_after_start` — peaks on the days simulated, without the starting state.
* :func:`changed_settings` — the settings that differ from the model's defaults, as dotted
  keys with both values (the assumptions a page lists).
* :func:`timeline_words` — what a timeline changes, and when.
* :func:`preset_departures` — the command-line overrides that change what a sweep preset
  set, so that its question and assumptions no longer describe the sweep.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis.compose import RunConfig, find_start_file
from sim.events import describe_condition

#: Members by role as a day's row counts them, in the order a page lists them.
ROLE_COLUMNS = (("members_kol", "KOL", "KOLs"), ("members_active", "active member", "active members"),
                ("members_lurker", "lurker", "lurkers"), ("members_spammer", "spammer", "spammers"),
                ("members_vip", "VIP", "VIPs"))
#: Settings that are not assumptions about the group or the strategy: whole sections ...
_NOT_ASSUMPTION_SECTIONS = ("scenario.", "start.", "engine.")
#: ... and single keys (run settings, the seed, the horizon, the timeline: said elsewhere).
_NOT_ASSUMPTION_KEYS = {"progress", "report", "snapshot", "snapshot_day", "seed", "days", "timeline", "switch_day",
                        "debug_fail"}


def members_by_role(row: Mapping[str, Any]) -> str:
    """'300 members (the founder, 6 KOLs, 45 active members, 231 lurkers, 18 spammers)'."""
    parts = ["the founder"] if row.get("members_founder") else []
    for column, one, many in ROLE_COLUMNS:
        n = int(row.get(column) or 0)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return f"{int(row.get('members', 0))} members ({', '.join(parts)})"


def group_name(start: Mapping[str, Any]) -> str | None:
    """'the group described in mygroup.yaml', 'the group of the snapshot <path>'; None: a new group."""
    if start.get("description"):
        return f"the group described in {Path(start['description']).name}"
    if start.get("snapshot"):
        return f"the group of the snapshot {start['snapshot']}"
    return None


def starting_group(start: Mapping[str, Any], rows: Sequence[Mapping[str, Any]] | None) -> str | None:
    """The group the run started from, or None for a group the scenario founds on day 0.
    ``start``: the config's ``start`` section; ``rows``: the run's daily rows (its first
    state: day 0 of a described group, the snapshot's day of a continued one)."""
    description = find_start_file(start.get("description") or "")
    snapshot = find_start_file(start.get("snapshot") or "")
    if not (description or snapshot):
        return None
    if description:
        from sim.start import DescriptionError, read_description

        try:
            tenure = (read_description(description).get("founder") or {}).get("tenure_days")
        except DescriptionError:
            tenure = None
        first = rows[0] if rows else None
        age = f", the founder {tenure} days in (the group's age)" if isinstance(tenure, int) else ""
        group = f": {members_by_role(first)} on day 0 (today)" if first else ""
        return f"{group_name(start)}{group}{age}"
    from sim.snapshot import SnapshotError, read_header

    try:
        day = int(read_header(snapshot)[0]["day"])
    except SnapshotError:
        day = None
    at = next((r for r in rows or () if day is not None and int(r["day"]) == day), None)
    group = f": {members_by_role(at)}" if at else ""
    when = f" of day {day} (the group's age), continued" if day is not None else ""
    return f"{group_name(start)}{when}{group}"


def start_day(start: Mapping[str, Any]) -> int | None:
    """The day of the starting state: 0 for a described group, the snapshot's day for a
    continued one; None for a group founded by the run (its day 0 is no state it was given)."""
    if start.get("description"):
        return 0
    if start.get("snapshot"):
        from sim.snapshot import SnapshotError, read_header

        try:
            return int(read_header(find_start_file(start["snapshot"]))[0]["day"])
        except SnapshotError:
            return None
    return None


def peaks_after_start(rows: Sequence[Mapping[str, Any]], start: Mapping[str, Any]) -> dict[str, Any] | None:
    """Peak members and daily active on the days simulated after the starting state, with that
    state's day; None for a new group (its outcomes' peaks are its own)."""
    day = start_day(start)
    after = [r for r in rows if day is not None and int(r["day"]) > day]
    if not after:
        return None
    return {"start_day": day, "peak_members": max(int(r["members"]) for r in after),
            "peak_daily_active": max(int(r["daily_active"]) for r in after)}


def _flat(obj: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(obj, Mapping):
        out: dict[str, Any] = {}
        for k, v in obj.items():
            out.update(_flat(v, f"{prefix}{k}."))
        return out
    return {prefix[:-1]: obj}


def changed_settings(config: Mapping[str, Any], skip: Sequence[str] = ()) -> list[str]:
    """``key = value (default d)`` for each setting of a resolved config that differs from the
    model's defaults (``Params()``), except where a group starts, run settings and ``skip``."""
    defaults = _flat(_plain(dataclasses.asdict(RunConfig())))
    out = []
    for key, value in _flat(_plain(dict(config))).items():
        if key.startswith(_NOT_ASSUMPTION_SECTIONS) or key in _NOT_ASSUMPTION_KEYS or key in skip or key not in defaults:
            continue
        if not _same(value, defaults[key]):
            out.append(f"{key} = {_text(value)} (default {_text(defaults[key])})")
    return out


def _plain(obj: Any) -> Any:
    """Enums as their values, as a resolved config writes them."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return getattr(obj, "value", obj)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) <= 1e-12 * max(1.0, abs(float(b)))
    return a == b


def _text(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def timeline_words(timeline: Sequence[Mapping[str, Any]], day_label: str | None = None) -> str:
    """'on the switch day: strategy/entry=application, strategy/ad_policy=ban' (one clause per change)."""
    clauses = []
    for change in timeline or ():
        what = change.get("label") or ", ".join(f"{k}={v}" for k, v in (change.get("set") or {}).items())
        if when := change.get("when"):  # a reactive change (docs/model.md, "Rules that react")
            condition = describe_condition(when["metric"], when["op"], when["value"], when.get("for_days", 1))
            clauses.append(f"when {condition}: {what}")
        else:
            clauses.append(f"{day_label or 'on day ' + str(change.get('day'))}: {what}")
    return "; ".join(clauses)


def preset_departures(overrides: Sequence[str], preset: str | None) -> list[str]:
    """The overrides of a sweep command that change what its preset set (anything but the
    preset's name, Hydra settings and the replicate seeds): its question and assumptions
    were written for the preset as shipped."""
    if not preset:
        return []
    out = []
    for o in overrides:
        key = o.lstrip("+~").split("=", 1)[0]
        if key in ("experiment", "seed") or key.startswith("hydra.") or key.startswith("hydra/"):
            continue
        out.append(o)
    return out
