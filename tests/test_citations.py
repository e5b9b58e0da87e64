"""Every ``seed 00N Lxx`` citation in sim/, configs/ and docs/ points at a line of that seed.

The five seed articles are the project's sources; they ship in ``docs/seeds/`` (a user's
clone has no ``../shared``). A citation ``seed 004 L150, L176`` or ``seed 004 L63-64`` must
name lines that exist; ``L?`` (a citation left unfilled) fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {p.name[:3]: p.read_text(encoding="utf-8").splitlines() for p in (ROOT / "docs" / "seeds").glob("00*.txt")}
# "seed 004 L63-64, L309–313; L681" — one seed, then one or more line references.
CITATION = re.compile(r"seed (00\d)((?:(?:,|;|, and| and|/)?\s*L(?:\d+(?:\s*[-–]\s*L?\d+)?|\?))+)")
LINE_REF = re.compile(r"L(\d+)(?:\s*[-–]\s*L?(\d+))?|L\?")


def _sources() -> list[Path]:
    files = [*ROOT.glob("sim/**/*.py"), *ROOT.glob("configs/**/*.yaml"), *ROOT.glob("docs/**/*.md")]
    return sorted(files)


def _citations():
    for path in _sources():
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in CITATION.finditer(line):
                for ref in LINE_REF.finditer(m.group(2)):
                    yield f"{path.relative_to(ROOT)}:{lineno}", m.group(1), ref


def test_the_five_seeds_are_in_the_repository():
    assert sorted(SEEDS) == ["000", "001", "002", "003", "004"]


def test_citations_exist():
    assert SEEDS, "docs/seeds/ holds the seed texts"
    bad, count = [], 0
    for where, seed, ref in _citations():
        count += 1
        if ref.group(0) == "L?":
            bad.append(f"{where}: seed {seed} L? (unfilled)")
            continue
        lo = int(ref.group(1))
        hi = int(ref.group(2)) if ref.group(2) else lo
        n = len(SEEDS[seed])
        if not (1 <= lo <= hi <= n) or not SEEDS[seed][lo - 1].strip():
            bad.append(f"{where}: seed {seed} {ref.group(0)} (the seed has {n} lines; that one is empty or missing)")
    assert count > 50, "citations are found"
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("text, refs", [
    ("seed 004 L63-64, L309–313, L681", ["L63-64", "L309–313", "L681"]),
    ("(seed 001 L119)", ["L119"]),
    ("seed 001 L? indicator 5", ["L?"]),
])
def test_the_citation_pattern(text, refs):
    m = CITATION.search(text)
    assert [r.group(0) for r in LINE_REF.finditer(m.group(2))] == refs
