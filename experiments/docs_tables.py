"""Tables in docs/ that quote measured numbers, generated from the model, never edited by hand.

    python experiments/docs_tables.py            # rerun every documented preset, rewrite its table
    python experiments/docs_tables.py --check    # exit 1 when a table is older than the model

A documented table sits between two markers in its Markdown file::

    <!-- docs-table switch_entry behaviour=<sha256/12> -->
    ...generated...
    <!-- /docs-table switch_entry -->

``behaviour`` is the model's behaviour on the preset when the table was made: a hash of the
outcomes of seed 0 of every arm (a few runs, seconds). When the model changes what those runs
do, the stamp no longer matches and tests/test_docs_tables.py fails until the table is
regenerated; a refactor that changes nothing leaves the table valid. The table itself is every
arm × every seed of the preset, on its engine, through ``analysis.ensemble.run_ensemble``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # `python experiments/docs_tables.py` from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd
import yaml

from analysis.compose import CONFIG_DIR
from analysis.files import write_atomic
from analysis.money import AD_SLOTS, KEYS as MONEY_KEYS, hours_words, money_sources, with_money, yuan
from analysis.registry import lever

ROOT = CONFIG_DIR.parent


@dataclass(frozen=True)
class Documented:
    """A preset whose table a doc quotes: which file, which swept key makes the rows."""

    preset: str
    doc: str  # relative to the repository
    key: str  # the swept setting (one row per value)


DOCUMENTED = (Documented("switch_entry", "docs/sweeps.md", "switch_day"),)


def arms(preset: str, key: str) -> tuple[list[str], list[int]]:
    """The preset's values of ``key`` and its seeds, as its sweeper lists them."""
    doc = yaml.safe_load((CONFIG_DIR / "experiment" / f"{preset}.yaml").read_text())
    params = doc["hydra"]["sweeper"]["params"]
    seeds = str(params["seed"])
    m = re.fullmatch(r"range\((\d+)\)", seeds)
    return [v.strip() for v in str(params[key]).split(",")], (list(range(int(m[1]))) if m else
                                                              [int(s) for s in seeds.split(",")])


def _runs(item: Documented, seeds: list[int]) -> pd.DataFrame:
    from analysis.ensemble import run_ensemble

    values, _ = arms(item.preset, item.key)
    table = run_ensemble([[f"experiment={item.preset}", f"{item.key}={v}"] for v in values], seeds,
                         engine="vector", workers=1)
    table[item.key] = [v for v in values for _ in seeds]
    return table


def behaviour(item: Documented) -> str:
    """The model's behaviour on the preset: seed 0 of every arm, its outcomes hashed."""
    table = _runs(item, [0])
    keep = [c for c in table.columns if c not in ("run", "wall_seconds", "error")]
    text = json.dumps(table[keep].to_dict("records"), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def table_markdown(item: Documented) -> str:
    """The generated block: how it was measured, then one row per arm."""
    values, seeds = arms(item.preset, item.key)
    started = time.perf_counter()
    table = _runs(item, seeds)
    seconds = time.perf_counter() - started
    lv = lever(item.key)
    horizon = int(table["days_run"].max()) - 1 if "days_run" in table else None
    lines = [f"Measured {time.strftime('%Y-%m-%d')} by `python experiments/docs_tables.py` ({len(table)} runs: "
             f"{len(values)} arms × {len(seeds)} seeds, the vector engine, {seconds:.0f} s on the machine that ran it):",
             "",
             f"| {lv.label.lower() if lv else item.key} | mean lifespan (days) | talking at day {horizon} "
             f"| neither dead nor an ad group at day {horizon} | became an ad group "
             "| members at the end | founder time | money (mean per group) |",
             "|---|---|---|---|---|---|---|---|"]
    for v in values:
        runs = table[table[item.key] == v]
        ok = runs[runs["status"] == "ok"]
        n = len(ok)
        life = ok["lifespan_days"].mean()
        alive = int(ok["censored"].sum())  # alive means talking (MODEL.md §5)
        there = int((ok["dead_day"].isna() & ok["ad_group_day"].isna()).sum())
        life_text = f"{life:.0f}" + (" (censored)" if alive == n else "")
        means = {k: float(ok[k].mean()) for k in MONEY_KEYS if k in ok}
        with_money(means)  # the ad slots' income, derived once (analysis/money.py)
        money = (f"net {yuan(means.get('net_revenue'))} ({money_sources(means)}, ad slots "
                 f"{yuan(means.get(AD_SLOTS))}, costs {yuan(means.get('costs_total'))})")
        lines.append(f"| {lv.value_label(v) if lv else v} | {life_text} | {alive} / {n} | {there} / {n} | "
                     f"{int(ok['became_ad_group'].sum())} / {n} | {ok['final_members'].mean():.0f} | "
                     f"{hours_words(means).removeprefix('founder ')} | {money} |")
    return "\n".join(lines)


def _block(preset: str) -> re.Pattern:
    return re.compile(rf"<!-- docs-table {preset} behaviour=(\w+) -->\n(.*?)<!-- /docs-table {preset} -->", re.S)


def stamped(item: Documented) -> str | None:
    """The behaviour stamp of the table in the doc (None: no table)."""
    m = _block(item.preset).search((ROOT / item.doc).read_text())
    return m[1] if m else None


def regenerate(item: Documented) -> None:
    path = ROOT / item.doc
    text = path.read_text()
    block = (f"<!-- docs-table {item.preset} behaviour={behaviour(item)} -->\n{table_markdown(item)}\n"
             f"<!-- /docs-table {item.preset} -->")
    if not _block(item.preset).search(text):
        raise SystemExit(f"{item.doc}: no '<!-- docs-table {item.preset} ... -->' block to rewrite")
    write_atomic(path, _block(item.preset).sub(lambda _: block, text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say which tables are older than the model")
    args = parser.parse_args(argv)
    stale = []
    for item in DOCUMENTED:
        if args.check:
            if stamped(item) != behaviour(item):
                stale.append(f"{item.doc}: the {item.preset} table is older than the model: "
                             "run python experiments/docs_tables.py")
        else:
            regenerate(item)
            print(f"{item.doc}: {item.preset} table regenerated")
    for line in stale:
        print(line, file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
