"""Docs tables that quote measured numbers are generated (experiments/docs_tables.py): each
documented preset's table carries the model's behaviour when it was made, and fails here once
the model no longer behaves that way."""

from __future__ import annotations

import pytest

from experiments import docs_tables
from experiments.docs_tables import DOCUMENTED, behaviour, stamped


@pytest.mark.parametrize("item", DOCUMENTED, ids=lambda d: d.preset)
def test_a_documented_table_is_not_older_than_the_model(item) -> None:
    assert stamped(item) is not None, f"{item.doc} has no generated {item.preset} table"
    assert stamped(item) == behaviour(item), (f"{item.doc}: the {item.preset} table is older than the model: "
                                              "run python experiments/docs_tables.py")


def test_the_check_names_a_stale_table(monkeypatch, capsys) -> None:
    monkeypatch.setattr(docs_tables, "behaviour", lambda item: "changed00000")
    assert docs_tables.main(["--check"]) == 1
    assert "switch_entry table is older than the model" in capsys.readouterr().err
