"""Hydra callback that turns a finished multirun into a table and a dashboard.

Registered in ``configs/hydra/default.yaml`` as ``hydra.callbacks.sweep_report``; presets
set its ``question`` and ``outcome``. The same work runs on demand with
``python experiments/collect.py <sweep_dir>`` (e.g. after a crash or Ctrl-C, where Hydra
never calls ``on_multirun_end``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from experiments.collect import collect, summary_line, write_results

log = logging.getLogger(__name__)


class SweepReport(Callback):
    def __init__(
        self,
        outcome: str = "lifespan_days",
        question: str | None = None,
        constraints: dict | None = None,
    ) -> None:
        self.outcome = outcome
        self.question = question
        # Constraints are read by the jobs (experiments/jobs.py objective); kept for symmetry.
        self.constraints = dict(constraints or {})

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        table = collect(sweep_dir)
        csv_path, _ = write_results(table, sweep_dir)
        log.info("%s -> %s", summary_line(table), csv_path)
        try:
            from dashboards.sweep_report import build_report

            report = build_report(table, sweep_dir, outcome=self.outcome, question=self.question)
            log.info("Strategy comparison: %s", report)
        except Exception:  # noqa: BLE001 - the table is written; a plotting bug must not hide it
            log.exception("sweep_report.html failed; results table is at %s", csv_path)
