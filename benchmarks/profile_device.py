"""Where a vector-engine batch spends its time on a device: one batch, a profile, a text file.

    python benchmarks/profile_device.py [--device cuda|torch-cpu|cpu] [--runs 1000] [--days 60]
                                        [--out profile.txt]

Runs the benchmark's typical 500-member group (``bench_vector.SINGLE``) as one batch of
``--runs`` communities and writes, to ``--out`` and stdout:

1. the engine's day processes by wall time (``cProfile`` cumulative time of ``sim/vector/day.py``'s
   functions: Python dispatch and, on a GPU, waiting for the kernels they synchronise on);
2. on a PyTorch device, the operators by device time (``torch.profiler``: which kernels the
   day launches, how many, how long) and the back-end's host fallbacks and copies
   (``sim.vector.backend.counts``).

It is the "where the time goes" of issue 14 for a GPU; ``benchmarks/gpu_check.sh`` runs it.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.compose import load_params  # noqa: E402
from benchmarks.bench_vector import SINGLE  # noqa: E402
from sim.params import ENGINE_DEVICES  # noqa: E402
from sim.vector import backend, simulate_batch  # noqa: E402


def day_processes(stats: pstats.Stats, total: float, top: int = 15) -> str:
    """The day's processes by cumulative time, as shares of the profiled run."""
    rows = [(ct, nc, fn) for (path, _, fn), (_, nc, _, ct, _) in stats.stats.items() if path.endswith("vector/day.py")]
    rows.sort(reverse=True)
    lines = [f"{'seconds':>9} {'share':>6} {'calls':>7}  function (sim/vector/day.py, cumulative)"]
    lines += [f"{ct:9.2f} {ct / total:6.1%} {nc:7d}  {fn}" for ct, nc, fn in rows[:top]]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="cuda", choices=ENGINE_DEVICES)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    params = [load_params([*SINGLE, f"seed={k}", f"days={args.days}"]) for k in range(args.runs)]
    simulate_batch(params[:2], device=args.device)  # warm-up: imports, kernels
    started = time.perf_counter()
    simulate_batch(params, device=args.device)
    plain = time.perf_counter() - started
    backend.counts.clear()
    prof = cProfile.Profile()
    if args.device == "cpu":
        prof.runcall(simulate_batch, params, device=args.device)
        ops = ""
    else:
        import torch
        from torch.profiler import ProfilerActivity, profile

        activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if args.device == "cuda" else [])
        with profile(activities=activities) as tp:
            prof.runcall(simulate_batch, params, device=args.device)
        key = "self_cuda_time_total" if args.device == "cuda" else "self_cpu_time_total"
        ops = tp.key_averages().table(sort_by=key, row_limit=25)
        if args.device == "cuda":
            ops += f"\npeak GPU memory: {torch.cuda.max_memory_allocated() / 2**20:.0f} MiB"
    stats = pstats.Stats(prof)
    profiled = max(ct for (_, _, fn), (_, _, _, ct, _) in stats.stats.items() if fn == "simulate_batch")
    text = "\n\n".join([
        f"# {args.runs} runs x {args.days} days on {args.device}: {plain:.2f} s "
        f"({plain / args.days * 1e3:.1f} ms a simulated day); {profiled:.1f} s under the profilers",
        day_processes(stats, profiled),
        "host fallbacks and copies: " + ", ".join(f"{k} {v}" for k, v in backend.counts.most_common(12)),
        ops,
    ])
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
