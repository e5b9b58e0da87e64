"""Hydra callbacks: check a run before Hydra makes its folder; turn a finished multirun into
a table and a dashboard.

``Preflight`` (``hydra.callbacks.preflight``) runs before Hydra creates the run or sweep
folder: a configuration error, a bad edge list, a path-unsafe name, a size that would exhaust
the machine or a misspelt ``+hydra.*`` key stops there with one line and leaves nothing
behind; a sweep into a folder that holds a different sweep is refused.

Registered in ``configs/hydra/default.yaml`` as ``hydra.callbacks.sweep_report``; presets
set its ``question`` and ``outcome``. The same work runs on demand with
``python experiments/collect.py <sweep_dir>`` (e.g. after a crash or Ctrl-C, where Hydra
never calls ``on_multirun_end``).

With ``score_jobs: true`` (the Optuna preset) it also turns each job's outcomes into the one
number Optuna maximises (:func:`score`): the job keeps returning all its outcomes, and the
objective lives next to the report that ranks by the same outcome.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import os
import re
import sys
from pathlib import Path
from typing import Any

from hydra.core.utils import JobReturn, JobStatus
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf, open_dict, read_write

from analysis.files import read_json, write_json
from experiments.collect import collect, problem_lines, summary_line, write_results
from experiments.jobs import expands_like_basic_sweeper

log = logging.getLogger(__name__)

# What the last multirun in this process left unfinished (experiments/run.py turns it into
# the exit status: 0 only when every job finished ok).
LAST_SWEEP_PROBLEMS: list[str] = []

# ---------------------------------------------------------------------------------------
# Checks before anything runs

SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]+")
# Measured (2026-12-01, this project's 2-core machine): peak RSS 162 MB at 2,000 members,
# 262 MB at 50,000, 2.9 GB at 1,000,000 (2 days each): about 2-3 KB per member on top of
# the interpreter. Rounded up so the estimate errs high.
BASE_BYTES = 200 * 2**20
BYTES_PER_MEMBER = 3 * 2**10
MEMORY_WARN_BYTES = 2**30  # warn above 1 GB
MEMORY_REFUSE_SHARE = 0.8  # refuse above 80 % of this machine's physical memory


class PreflightError(ValueError):
    """One line telling the user what to change; nothing has run or been written."""


def check_names(params: Any) -> None:
    """Names that become part of a path must stay one plain folder name."""
    name = str(params.scenario.name)
    if not SAFE_NAME.fullmatch(name) or ".." in name or name == ".":
        raise PreflightError(
            f"scenario.name = {name!r} is not allowed: it names the output folder, so use letters, digits, "
            "'_', '-' and '.' only (no '/', no '..')"
        )


def check_edgelist(params: Any) -> int | None:
    """Read a user edge list now, so a bad file stops before the run; its member count."""
    if str(getattr(params.network.initial, "value", params.network.initial)) != "edgelist":
        return None
    from sim.network import EdgeListError, read_edgelist

    try:
        return read_edgelist(params.network.edgelist).number_of_nodes()
    except EdgeListError as exc:
        raise PreflightError(str(exc)) from None


def check_group_values(overrides: list[str], config_dir: Path) -> None:
    """A config group (``timeline=``, ``scenario=``, ``strategy/ad_policy=``) takes the name of
    one of its files. Hydra reads an inline value (``timeline=[{day: 30, set: ...}]``) as a
    list of file names and fails deep in its defaults list with a TypeError traceback."""
    for override in overrides:
        key, eq, value = override.lstrip("+~").partition("=")
        folder = config_dir / key
        if not eq or not value.lstrip().startswith(("[", "{")) or not key or not folder.is_dir():
            continue
        options = ", ".join(sorted(p.stem for p in folder.glob("*.yaml")))
        example = f"; e.g. {folder.relative_to(config_dir.parent) / 'application_review.yaml'}" if key == "timeline" else ""
        raise PreflightError(f"{key}={value}: {key}= names a file of configs/{key}/ ({options}), not an inline "
                             f"value: write the value in a new file there and pass its name{example}")


def estimate_memory(params: Any, members: int | None = None) -> int:
    """Rough peak memory of one run in bytes: the largest group it can hold, times the
    measured cost of a member (every member ever stays in the roster)."""
    if members is None:
        members = max(int(params.arrivals.cap), int(params.seeding.seed_users) + 1)
    return BASE_BYTES + BYTES_PER_MEMBER * members


def total_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def memory_check(params: Any, members: int | None = None, total_memory: int | None = None) -> tuple[str, str] | None:
    """None when small; ("warn", line) above 1 GB; ("refuse", line) above 80 % of memory."""
    if members is None:
        members = max(int(params.arrivals.cap), int(params.seeding.seed_users) + 1)
    need = estimate_memory(params, members)
    total = total_memory if total_memory is not None else globals()["total_memory"]()
    limit = int(MEMORY_REFUSE_SHARE * total) if total else None
    what = (f"expected memory ~{need / 2**30:.1f} GB for up to {members:,} members "
            f"(~{BYTES_PER_MEMBER // 2**10} KB per member, measured)")
    if limit is not None and need > limit:
        return "refuse", (f"{what} is more than the limit of {limit / 2**30:.1f} GB "
                          f"({MEMORY_REFUSE_SHARE:.0%} of this machine's memory): refused; lower arrivals.cap / "
                          "seeding.seed_users")
    if need > MEMORY_WARN_BYTES:
        limit_text = f"; runs above {limit / 2**30:.1f} GB are refused" if limit else ""
        return "warn", (f"Warning: {what}, and a long run (warned above {MEMORY_WARN_BYTES / 2**30:.0f} GB"
                        f"{limit_text})")
    return None


def preflight(params: Any) -> list[str]:
    """Every check a run needs before it starts (raises PreflightError); returns warnings."""
    check_names(params)
    members = check_edgelist(params)
    verdict = memory_check(params, members)
    if verdict and verdict[0] == "refuse":
        raise PreflightError(verdict[1])
    return [verdict[1]] if verdict else []


def unknown_hydra_keys(hydra_cfg: DictConfig, overrides: list[str]) -> list[str]:
    """``+hydra.a.b=v`` overrides that add a key Hydra's own schema does not have.

    Hydra accepts them silently (the setting then does nothing). A key is allowed where the
    nearest existing node is an open mapping (``hydra.launcher.ray.init``, ``hydra.callbacks``,
    ``hydra.job.env_set``, ...), refused where it is a typed Hydra config without that field.
    """
    unknown = []
    for override in overrides:
        key = override.lstrip("+~").split("=", 1)[0].strip()
        if not override.startswith("+") or not key.startswith("hydra."):
            continue
        node: Any = hydra_cfg
        for segment in key.split(".")[1:]:
            schema = OmegaConf.get_type(node) if isinstance(node, DictConfig) else None
            if not (schema and dataclasses.is_dataclass(schema)):
                break  # an open mapping: any key is fine
            if segment not in {f.name for f in dataclasses.fields(schema)}:
                unknown.append(key)
                break
            node = node.get(segment)
    return unknown


def task_config(config: DictConfig) -> DictConfig:
    """The config a job sees: Hydra's own node removed (as hydra's run_job does)."""
    task = copy.deepcopy(config)
    with read_write(task), open_dict(task):
        del task["hydra"]
    return task


def _stop(message: str, code: int = 1) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(code)


def _check_hydra_overrides(config: DictConfig) -> None:
    overrides = list(config.hydra.overrides.hydra or [])
    for key in unknown_hydra_keys(config.hydra, overrides):
        _stop(f"Configuration error: unknown Hydra setting {key} (added with '+'): Hydra would accept it and "
              "ignore it; check the spelling (python experiments/run.py --cfg hydra lists Hydra's settings)")


def sweep_identity(hydra_cfg: Any) -> dict[str, Any]:
    """What makes two sweeps the same: sweeper, its swept params and the task overrides
    (Hydra's basic sweeper and its subclasses list the same jobs: one name for them)."""
    sweeper = hydra_cfg.get("sweeper") or {}
    params = sweeper.get("params") or {}
    return {
        "sweeper": _sweeper_name(str(sweeper.get("_target_", ""))),
        "params": {str(k): str(v) for k, v in sorted(dict(params).items())},
        "overrides": sorted(str(o) for o in (hydra_cfg.get("overrides") or {}).get("task") or []),
    }


def _sweeper_name(target: str) -> str:
    return "basic" if expands_like_basic_sweeper(target) else target


def _describe(identity: dict[str, Any]) -> str:
    words = [f"{k}={v}" for k, v in identity["params"].items()] + list(identity["overrides"])
    return " ".join(words) or "(no overrides)"


SWEEP_FILE = "sweep.json"


def check_sweep_folder(sweep_dir: Path, identity: dict[str, Any]) -> None:
    """Refuse a different sweep into a folder that already holds jobs; record ours."""
    jobs = [p for p in sweep_dir.iterdir() if p.is_dir() and re.match(r"\d+(_|$)", p.name)] if sweep_dir.is_dir() else []
    old = read_json(sweep_dir / SWEEP_FILE) if jobs else None
    if jobs and old is None and (sweep_dir / "multirun.yaml").is_file():
        try:
            old = sweep_identity(OmegaConf.to_container(OmegaConf.load(sweep_dir / "multirun.yaml").hydra))
        except Exception:  # noqa: BLE001 - unreadable: cannot tell, treat as unknown
            old = None
    if old is not None:  # sweep.json of a sweep started before the project had its own sweeper
        old = {**old, "sweeper": _sweeper_name(str(old.get("sweeper", "")))}
    if old is not None and old != identity:
        _stop(f"Refusing to run into {sweep_dir}: it holds a different sweep ({_describe(old)}), "
              f"not this one ({_describe(identity)}). Its {len(jobs)} job folders would be mixed into this "
              "sweep's results. To resume that sweep run its own command again; for this one choose another "
              "hydra.sweep.dir or remove the folder.", code=2)
    write_json(sweep_dir / SWEEP_FILE, identity)


class Preflight(Callback):
    """Checks that run in Hydra's main process before any folder is created."""

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        from analysis.compose import to_params
        from sim import ParamError

        _check_hydra_overrides(config)
        try:
            warnings = preflight(to_params(task_config(config)))
        except (ParamError, PreflightError) as exc:
            _stop(f"Configuration error: {exc}", code=2)
        for line in warnings:
            print(line, file=sys.stderr, flush=True)

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        # Each job checks its own settings (a failing job is recorded); here, the sweep itself.
        _check_hydra_overrides(config)
        check_sweep_folder(Path(str(config.hydra.sweep.dir)), sweep_identity(config.hydra))


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
        **report_options: Any,
    ) -> None:
        """``report_options`` go to the report unchanged (``assumptions``, ``robustness_bases``,
        ``robustness_seeds``: see dashboards/sweep_report.py ``build_report``)."""
        self.report_options = {
            k: OmegaConf.to_container(v) if OmegaConf.is_config(v) else v for k, v in report_options.items()
        }
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
        LAST_SWEEP_PROBLEMS[:] = problem_lines(table, sweep_dir)
        for line in LAST_SWEEP_PROBLEMS:
            log.error("%s", line)
        try:
            from dashboards.sweep_report import build_report

            report = build_report(
                table, sweep_dir, outcome=self.outcome, question=self.question, constraints=self.constraints,
                **self.report_options,
            )
            log.info("Strategy comparison: %s", report)
        except Exception:  # noqa: BLE001 - the table is written; a plotting bug must not hide it
            log.exception("sweep_report.html failed; results table is at %s", csv_path)
