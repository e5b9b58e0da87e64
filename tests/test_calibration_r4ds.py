"""The worked example of issue 15: the preset fitted to R4DS (configs/experiment/fitted_r4ds.yaml)
over an ensemble of seeds, against the series' launch–peak–decline shape (slow).

Tolerances, stated before looking at the ensemble: over 8 seeds of the preset run for R4DS's
678 days, the median across seeds of

- the peak of daily active members comes in the first half of the series (R4DS: 0.05);
- late/peak posting members lies within a factor 3 of R4DS's 0.27 (it declines, but not to
  silence), and at least half of the runs still have someone posting in the last 28 days;
- the day members reach half their peak lies within ±0.2 (share of the series) of R4DS's
  0.47. This one fails (measured 0.11: the model's group fills up in ~70 days and then loses
  members, R4DS's headcount grows for two years because Slack never removes an account); it
  is kept as a strict xfail, the known gap the posterior-predictive check also shows (members:
  0 % of held-out days inside the 90 % band).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from analysis.ensemble import ok_runs, run_ensemble
from analysis.r4ds import DAILY_COLUMN, daily_series, load_r4ds, model_frame, real_frame, shape_stats, still_alive

PRESET = Path(__file__).resolve().parent.parent / "configs" / "experiment" / "fitted_r4ds.yaml"


@pytest.fixture(scope="module")
def ensemble():
    days = int(re.search(r"days=(\d+)", PRESET.read_text()).group(1))
    table = ok_runs(run_ensemble([("experiment=fitted_r4ds", f"days={days}")], seeds=range(8), measure=daily_series,
                                 workers=2))
    frames = [model_frame(d, days + 1) for d in table[DAILY_COLUMN]]
    stats = [shape_stats(f) for f in frames]
    med = {k: float(np.median([s[k] for s in stats])) for k in stats[0]}
    return shape_stats(real_frame(load_r4ds())), med, frames


@pytest.mark.slow
def test_fitted_r4ds_posting_rises_peaks_and_declines(ensemble) -> None:
    real, med, frames = ensemble
    assert med["peak_active_day"] < 0.5, med
    assert real["late_to_peak_posters"] / 3 <= med["late_to_peak_posters"] <= 3 * real["late_to_peak_posters"], med
    assert np.mean([still_alive(f) for f in frames]) >= 0.5


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="known gap: Slack never removes accounts; the model's members leave")
def test_fitted_r4ds_membership_grows_like_r4ds(ensemble) -> None:
    real, med, _ = ensemble
    assert abs(med["half_members_day"] - real["half_members_day"]) <= 0.2, med
