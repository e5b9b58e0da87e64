"""Sequential reference-table ABC with local-linear regression adjustment (numpy/scipy only).

Why this method (docs/calibration.md, "Fit the model to your own group"): a fit has a
handful of parameters and a dozen summary statistics, and the simulator is a slow agent-based
model. A *reference table* (parameters drawn from the prior, each simulated once, its summary
statistics stored) is amortised: the same table answers any observed data set, so the
coverage check over many synthetic truths and the posterior-predictive draws cost no new
table. pyabc (a database, many dependencies, no amortisation) and sbi (torch, gigabytes) are
heavier than the problem.

The algorithm, in the unit cube of the (log-)box prior:

1. round 1 draws from the prior, uniform in each parameter's box (log-uniform when ``log``);
2. each later round draws from the prior *truncated* to the box around the previous round's
   posterior particles (accepted and adjusted), widened by ``margin`` of their range on each
   side and intersected with the previous box. The prior is uniform in that box, so the
   posterior is proportional to the prior inside it as long as the box covers the posterior;
   posterior weight at an inner edge of the final box (or at the prior's edge) is reported
   (``Posterior.warnings``);
3. rows of every round that lie in the final box are uniform on it, so they are pooled;
4. acceptance: the ``accept`` share (at least ``min_accept``) nearest to the observed
   summaries in Euclidean distance after scaling each statistic by its MAD over the table;
5. Beaumont et al. (2002) adjustment: weighted (Epanechnikov kernel on distance) linear
   regression of the transformed parameters (logit of the position in the (log-)box) on the
   summaries, particles moved to the observed summaries (residuals inflated by the
   degrees-of-freedom factor); back-transformed, they stay in the box. Skipped, with a
   warning, when there are fewer than ADJUST_PER_COEFFICIENT effective accepted particles
   per coefficient: an overfitted regression makes intervals too narrow.

Each parameter's posterior: weighted median and 50 % / 90 % central intervals.

Checkpointing: the table is built in chunks, each saved atomically (analysis/files.py) as
soon as it is simulated, under a folder keyed by the fit's fingerprint; a rerun with the same
fingerprint reads finished chunks instead of simulating them (a killed fit loses at most the
chunk in progress). Chunk ``c`` of round ``r`` draws from ``default_rng([seed, r, c])``, so a
resumed fit is identical to an uninterrupted one.
"""

from __future__ import annotations

import io
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.files import read_json, write_atomic, write_json

#: ``simulate(theta (n, k) in natural units, seeds (n,) ints) -> summaries (n, m)``; a failed
#: run is a row of NaN.
Simulator = Callable[[np.ndarray, np.ndarray], np.ndarray]

EDGE_TOLERANCE = 0.02  # a particle this close (share of the box width) to an edge is "at" it
EDGE_SHARE = 0.02  # posterior weight at an edge above which a fit warns
#: The regression adjustment needs this many effective accepted particles per coefficient
#: (statistics + 1); with fewer it overfits and its residuals shrink the posterior (measured:
#: 32 accepted for 12 coefficients covered the truth in 51 % of 90 % intervals).
ADJUST_PER_COEFFICIENT = 5
_EPS = 1e-6  # keeps logit finite at the box edges


@dataclass(frozen=True)
class Bound:
    """One fitted parameter: its config path, prior box [low, high] and scale (log: log-uniform)."""

    path: str
    low: float
    high: float
    log: bool = False

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise ValueError(f"{self.path}: prior box [{self.low}, {self.high}] must have low < high")
        if self.log and self.low <= 0:
            raise ValueError(f"{self.path}: a log-uniform prior needs low > 0 (got {self.low})")


@dataclass(frozen=True)
class Space:
    """The prior: independent uniform / log-uniform boxes. Maps natural units ⇄ unit cube ⇄ free
    (logit) coordinates, where the regression adjustment is done."""

    bounds: tuple[Bound, ...]

    @property
    def paths(self) -> list[str]:
        return [b.path for b in self.bounds]

    def _edges(self) -> tuple[np.ndarray, np.ndarray]:
        lo = np.array([math.log(b.low) if b.log else b.low for b in self.bounds])
        hi = np.array([math.log(b.high) if b.log else b.high for b in self.bounds])
        return lo, hi

    def to_unit(self, theta: np.ndarray) -> np.ndarray:
        lo, hi = self._edges()
        x = np.array(theta, dtype=float, ndmin=2)
        logs = np.array([b.log for b in self.bounds])
        x[:, logs] = np.log(x[:, logs])
        return (x - lo) / (hi - lo)

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        lo, hi = self._edges()
        x = lo + np.array(u, dtype=float, ndmin=2) * (hi - lo)
        logs = np.array([b.log for b in self.bounds])
        x[:, logs] = np.exp(x[:, logs])
        return x

    def to_free(self, theta: np.ndarray) -> np.ndarray:
        u = np.clip(self.to_unit(theta), _EPS, 1 - _EPS)
        return np.log(u / (1 - u))

    def from_free(self, z: np.ndarray) -> np.ndarray:
        return self.from_unit(1 / (1 + np.exp(-np.asarray(z, dtype=float))))

    def sample(self, rng: np.random.Generator, n: int, box: np.ndarray | None = None) -> np.ndarray:
        """``n`` draws from the prior truncated to ``box`` (2 × k, unit-cube coordinates)."""
        box = full_box(len(self.bounds)) if box is None else box
        return self.from_unit(rng.uniform(box[0], box[1], size=(n, len(self.bounds))))


def full_box(k: int) -> np.ndarray:
    return np.vstack([np.zeros(k), np.ones(k)])


def inside(u: np.ndarray, box: np.ndarray) -> np.ndarray:
    return np.all((u >= box[0] - 1e-12) & (u <= box[1] + 1e-12), axis=1)


def truncation_box(accepted_u: np.ndarray, margin: float, previous: np.ndarray) -> np.ndarray:
    """The accepted particles' range widened by ``margin`` × range (at least 0.05 of the prior)
    on each side, inside ``previous``: each round's box lies in the one before, which is what
    makes pooling the rounds' rows valid."""
    lo, hi = accepted_u.min(axis=0), accepted_u.max(axis=0)
    pad = np.maximum(margin * (hi - lo), 0.05)
    return np.vstack([np.maximum(lo - pad, previous[0]), np.minimum(hi + pad, previous[1])])


def mad_scale(s: np.ndarray) -> np.ndarray:
    """Per-statistic scale: 1.4826 × MAD over the table, else the s.d., else 1 (a constant)."""
    med = np.nanmedian(s, axis=0)
    scale = 1.4826 * np.nanmedian(np.abs(s - med), axis=0)
    sd = np.nanstd(s, axis=0)
    scale = np.where(scale > 0, scale, sd)
    return np.where(scale > 0, scale, 1.0)


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: Sequence[float]) -> np.ndarray:
    """Quantiles of ``x`` under weights ``w`` (midpoint interpolation of the weighted CDF)."""
    order = np.argsort(x)
    x, w = x[order], w[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(q, cdf, x)


@dataclass
class Posterior:
    """The accepted particles (natural units), regression-adjusted when there were enough
    (``adjusted``), with their kernel weights."""

    space: Space
    samples: np.ndarray  # (n, k), adjusted
    raw: np.ndarray  # (n, k), before adjustment
    weights: np.ndarray  # (n,), sum 1
    distances: np.ndarray  # (n,)
    stat_names: list[str]
    table_rows: int  # rows of the table the acceptance chose from
    box: np.ndarray  # final truncation box (unit cube)
    warnings: list[str] = field(default_factory=list)
    adjusted: bool = False  # the regression adjustment was done (else plain rejection: ``warnings`` say why)

    def interval(self, j: int, level: float) -> tuple[float, float]:
        a = (1 - level) / 2
        lo, hi = weighted_quantile(self.samples[:, j], self.weights, [a, 1 - a])
        return float(lo), float(hi)

    def median(self, j: int) -> float:
        return float(weighted_quantile(self.samples[:, j], self.weights, [0.5])[0])

    def summary(self) -> dict[str, dict[str, float]]:
        """Path → median, q05, q25, q75, q95 and the prior box."""
        out = {}
        for j, b in enumerate(self.space.bounds):
            q = weighted_quantile(self.samples[:, j], self.weights, [0.05, 0.25, 0.5, 0.75, 0.95])
            out[b.path] = {"median": float(q[2]), "q05": float(q[0]), "q25": float(q[1]), "q75": float(q[3]),
                           "q95": float(q[4]), "prior_low": b.low, "prior_high": b.high, "log": b.log}
        return out

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` parameter vectors resampled by weight (posterior-predictive, counterfactuals)."""
        return self.samples[rng.choice(len(self.samples), size=n, p=self.weights)]


def accept_and_adjust(space: Space, theta: np.ndarray, s: np.ndarray, s_obs: np.ndarray, *,
                      accept: float = 0.1, min_accept: int = 30, adjust: bool = True,
                      names: Sequence[str] | None = None, box: np.ndarray | None = None) -> Posterior:
    """Rejection on MAD-scaled distances, then Beaumont (2002) local-linear adjustment.

    Statistics NaN in ``s_obs`` are not used (unavailable in the data); table rows with a NaN
    in a used statistic (failed runs) are dropped.
    """
    names = list(names) if names is not None else [f"s{i}" for i in range(s.shape[1])]
    use = np.isfinite(s_obs)
    s, s_obs = s[:, use], s_obs[use]
    ok = np.all(np.isfinite(s), axis=1)
    theta, s = theta[ok], s[ok]
    if len(theta) < 5:
        raise ValueError(f"only {len(theta)} usable simulations in the reference table: raise the budget")
    scale = mad_scale(s)
    z = (s - s_obs) / scale
    d = np.sqrt(np.sum(z ** 2, axis=1))
    # The accept share, at least min_accept, but never more than half the table: accepting
    # everything would make the 'posterior' the prior and the regression extrapolate.
    n_acc = max(int(round(accept * len(d))), min(min_accept, len(d) // 2), 2)
    idx = np.argsort(d, kind="stable")[:n_acc]
    h = d[idx[-1]] * 1.0001 or 1.0  # the farthest accepted particle gets a (small) positive weight
    w = 1 - (d[idx] / h) ** 2
    w = w / w.sum()
    raw = theta[idx]
    adjusted = raw
    coefficients = z.shape[1] + 1
    n_eff = 1.0 / float(np.sum(w ** 2))  # Kish effective sample size of the kernel weights
    notes = []
    if adjust and n_eff >= ADJUST_PER_COEFFICIENT * coefficients:
        x = np.column_stack([np.ones(n_acc), z[idx]])
        t = space.to_free(raw)
        sw = np.sqrt(w)[:, None]
        ridge = 1e-6 * np.eye(x.shape[1])
        ridge[0, 0] = 0
        beta = np.linalg.solve((x * sw).T @ (x * sw) + ridge, (x * sw).T @ (t * sw))
        resid = t - x @ beta
        # Residuals of a fitted regression understate the scatter by the coefficients it
        # spent: the usual degrees-of-freedom correction, on the effective sample size.
        inflate = math.sqrt(n_eff / (n_eff - coefficients))
        adjusted = space.from_free(beta[0] + inflate * resid)
    elif adjust:
        notes.append(f"regression adjustment skipped: {n_eff:.0f} effective accepted particles for "
                     f"{coefficients} coefficients (needs {ADJUST_PER_COEFFICIENT} per coefficient); the posterior "
                     "is plain rejection, wider than it would be: raise the budget or accept")
    box = full_box(len(space.bounds)) if box is None else box
    post = Posterior(space, adjusted, raw, w, d[idx], [n for n, u in zip(names, use) if u], len(theta), box)
    post.warnings = notes + edge_warnings(space, space.to_unit(adjusted), w, box)
    post.adjusted = adjusted is not raw
    return post


def edge_warnings(space: Space, posterior_u: np.ndarray, weights: np.ndarray, box: np.ndarray) -> list[str]:
    """Posterior mass at an edge. At an inner edge of the truncation box (or beyond it: the
    adjustment may move particles out of the box, never out of the prior) more than
    EDGE_SHARE of the weight means the truncation may cut the posterior (raise ``margin``);
    at the prior's own edge it means the data may want a value outside the prior (widen the
    space)."""
    out = []
    for j, b in enumerate(space.bounds):
        width = max(box[1, j] - box[0, j], 1e-9)
        x = posterior_u[:, j]
        for side, edge, prior_edge in (("low", box[0, j], 0.0), ("high", box[1, j], 1.0)):
            beyond = (x <= edge + EDGE_TOLERANCE * width) if side == "low" else (x >= edge - EDGE_TOLERANCE * width)
            share = float(weights[beyond].sum())
            if share <= EDGE_SHARE:
                continue
            if abs(edge - prior_edge) < 1e-9:
                out.append(f"{b.path}: {share:.0%} of the posterior lies at the prior's {side} bound "
                           f"({b.low if side == 'low' else b.high:g}); the data may want a value outside it")
            else:
                out.append(f"{b.path}: {share:.0%} of the posterior lies at or beyond the {side} edge of the "
                           "truncation box (the box may cut the posterior; raise margin)")
    return out


# ----------------------------------------------------------------------------------------
# the sequential reference table, built in checkpointed chunks
# ----------------------------------------------------------------------------------------


@dataclass
class Table:
    """Every simulated row: parameters (natural units), simulator seeds, summaries, round."""

    theta: np.ndarray
    seeds: np.ndarray
    s: np.ndarray
    round: np.ndarray


@dataclass
class Fit:
    posterior: Posterior
    table: Table
    boxes: list[np.ndarray]  # box each round sampled from (unit cube)
    simulated: int  # runs simulated by this call (the rest were read from checkpoints)


def _save_chunk(path: Path, theta: np.ndarray, seeds: np.ndarray, s: np.ndarray) -> None:
    buf = io.BytesIO()
    np.savez(buf, theta=theta, seeds=seeds, s=s)
    write_atomic(path, buf.getvalue())


def _load_chunk(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    try:
        with np.load(path) as z:
            return z["theta"], z["seeds"], z["s"]
    except (OSError, ValueError, KeyError):
        return None


class _Progress:
    """tqdm on stderr when installed (silent off a terminal), else one line per chunk."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.bar = None
        self.enabled = enabled
        self.done = 0
        self.total = total
        if enabled:
            try:
                from tqdm import tqdm

                self.bar = tqdm(total=total, unit="run", desc="reference table", disable=None, file=sys.stderr)
            except ImportError:
                pass

    def update(self, n: int, note: str = "") -> None:
        self.done += n
        if self.bar is not None:
            self.bar.set_postfix_str(note, refresh=False)
            self.bar.update(n)
        elif self.enabled:
            print(f"reference table: {self.done}/{self.total} runs {note}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_sequential(simulate: Simulator, space: Space, s_obs: np.ndarray, *, budget: int, rounds: int = 2,
                   chunk: int = 50, seed: int = 0, accept: float = 0.1, min_accept: int = 30, margin: float = 0.5,
                   checkpoint: str | Path | None = None, fingerprint: dict | None = None,
                   names: Sequence[str] | None = None, progress: bool = False) -> Fit:
    """Build the reference table (``budget`` runs over ``rounds`` rounds, ``chunk`` runs per
    checkpoint) and return the posterior. ``fingerprint`` identifies the fit: a checkpoint
    folder holding another fingerprint is refused (its chunks belong to a different fit)."""
    if budget < rounds * 10:
        raise ValueError(f"budget = {budget} runs is too small for {rounds} rounds (at least 10 per round)")
    folder = Path(checkpoint) if checkpoint is not None else None
    if folder is not None:
        meta = read_json(folder / "fingerprint.json")
        if meta is not None and meta != (fingerprint or {}):
            raise ValueError(f"{folder} holds the checkpoints of a different fit; remove it or choose another folder")
        write_json(folder / "fingerprint.json", fingerprint or {})
    k = len(space.bounds)
    per_round = [budget // rounds + (1 if r < budget % rounds else 0) for r in range(rounds)]
    box = full_box(k)
    boxes = []
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]] = []
    bar = _Progress(budget, progress)
    simulated = 0
    try:
        for r in range(rounds):
            boxes.append(box)
            n_chunks = math.ceil(per_round[r] / chunk)
            for c in range(n_chunks):
                n = min(chunk, per_round[r] - c * chunk)
                path = folder / f"round{r}_chunk{c:04d}.npz" if folder is not None else None
                loaded = _load_chunk(path) if path is not None and path.exists() else None
                if loaded is None:
                    rng = np.random.default_rng([seed, r, c])
                    theta = space.sample(rng, n, box)
                    seeds = rng.integers(0, 2**31 - 1, size=n)
                    s = np.asarray(simulate(theta, seeds), dtype=float)
                    simulated += n
                    if path is not None:
                        _save_chunk(path, theta, seeds, s)
                    loaded = (theta, seeds, s)
                parts.append((*loaded, r))
                bar.update(n, f"round {r + 1}/{rounds}")
            if r < rounds - 1:
                post = _pooled_posterior(space, parts, s_obs, box, accept, min_accept, names)
                box = truncation_box(space.to_unit(post.samples), margin, box)
    finally:
        bar.close()
    post = _pooled_posterior(space, parts, s_obs, box, accept, min_accept, names)
    table = Table(np.vstack([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
                  np.vstack([p[2] for p in parts]), np.concatenate([np.full(len(p[0]), p[3]) for p in parts]))
    return Fit(post, table, boxes, simulated)


def _pooled_posterior(space: Space, parts, s_obs, box, accept, min_accept, names) -> Posterior:
    """ABC on every row so far that lies in ``box`` (rows of earlier rounds there are uniform on it)."""
    theta = np.vstack([p[0] for p in parts])
    s = np.vstack([p[2] for p in parts])
    keep = inside(space.to_unit(theta), box)
    return accept_and_adjust(space, theta[keep], s[keep], s_obs, accept=accept, min_accept=min_accept,
                             names=names, box=box)
