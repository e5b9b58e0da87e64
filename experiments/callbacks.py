"""Hydra callback that turns a finished multirun into a table and a dashboard.

Registered in ``configs/hydra/default.yaml`` as ``hydra.callbacks.sweep_report``; presets
set its ``question`` and ``outcome``. The same work runs on demand with
``python experiments/collect.py <sweep_dir>`` (e.g. after a crash or Ctrl-C, where Hydra
never calls ``on_multirun_end``).

With ``score_jobs: true`` (the Optuna preset) it also turns each job's outcomes into the one
number Optuna maximises (:func:`score`): the job keeps returning all its outcomes, and the
objective lives next to the report that ranks by the same outcome.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from hydra.core.utils import JobReturn, JobStatus
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from experiments.collect import collect, summary_line, write_results

log = logging.getLogger(__name__)


def score(outcomes: dict[str, Any] | None, outcome: str, constraints: dict[str, dict] | None = None) -> float:
    """The value Optuna maximises: ``outcomes[outcome]`` when every constraint holds.

    Constraints are bounds on other outcomes, ``{"lifespan_days": {"min": 180}}``. A trial
    that breaks one scores ``-(1 + summed relative violation)``: below every feasible trial
    (outcomes here are >= 0) yet still graded, so the sampler learns which way is feasible.
    A failed job (no outcomes) scores NaN, which Optuna records as a failed trial.
    """
    if not outcomes or outcomes.get(outcome) is None:
        return float("nan")
    violation = 0.0
    for key, bounds in (constraints or {}).items():
        value = float(outcomes.get(key) or 0.0)
        if bounds.get("min") is not None and value < bounds["min"]:
            violation += (bounds["min"] - value) / max(abs(bounds["min"]), 1e-9)
        if bounds.get("max") is not None and value > bounds["max"]:
            violation += (value - bounds["max"]) / max(abs(bounds["max"]), 1e-9)
    return float(outcomes[outcome]) if violation == 0 else -(1.0 + violation)


class SweepReport(Callback):
    def __init__(
        self,
        outcome: str = "lifespan_days",
        question: str | None = None,
        constraints: dict | None = None,
        score_jobs: bool = False,
    ) -> None:
        self.outcome = outcome
        self.question = question
        self.constraints = OmegaConf.to_container(constraints) if isinstance(constraints, DictConfig) else dict(constraints or {})
        self.score_jobs = score_jobs

    def on_job_end(self, config: DictConfig, job_return: JobReturn, **kwargs: Any) -> None:
        """Runs in the job's process, before its result travels back to the sweeper."""
        if not self.score_jobs or job_return.status != JobStatus.COMPLETED:
            return
        outcomes = job_return.return_value
        if isinstance(outcomes, dict) or outcomes is None:
            job_return.return_value = score(outcomes, self.outcome, self.constraints)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        table = collect(sweep_dir)
        csv_path, _ = write_results(table, sweep_dir)
        log.info("%s -> %s", summary_line(table), csv_path)
        try:
            from dashboards.sweep_report import build_report

            report = build_report(
                table, sweep_dir, outcome=self.outcome, question=self.question, constraints=self.constraints
            )
            log.info("Strategy comparison: %s", report)
        except Exception:  # noqa: BLE001 - the table is written; a plotting bug must not hide it
            log.exception("sweep_report.html failed; results table is at %s", csv_path)
