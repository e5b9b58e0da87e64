"""The vector engine against the Mesa engine: one run, batches, one large group, sweeps.

    python benchmarks/bench_vector.py [--device cpu|cuda|torch-cpu] [--batches 10,100,1000]
                                      [--scale 1000,10000,100000] [--sweep-runs 1000]
                                      [--mesa-sweep-runs 20] [--resume-runs 200] [--days 365]
                                      [--timeout 300] [--parts abcdef]
                                      [--out benchmarks/bench_vector.md]

Prints one markdown table per part and writes them all to ``--out``:

(a) one run, the same configuration on both engines: typical_group with 500 members from
    day 0 (499 seed users + the founder) under the cap of 500, 365 days;
(b) batched throughput of the vector engine: batches of that run (seeds 0..B-1), member-days
    per second, where a member-day is one member present on one day actually simulated (the
    sum over runs of the daily ``members`` column: groups that shrink or die count less, as in
    benchmarks/bench_run.py), and the peak memory per community;
(c) scale: one open group without the WeChat cap (typical_group with ``arrivals.cap`` = 1k,
    10k, 100k, a tenth of it as seed users and external promotion of cap/50 strangers a day so
    it grows towards the cap), 365 days on the vector engine: seconds, member-days, memory; a
    size that fails or runs past ``--timeout`` is reported as such;
(d) sweep throughput: the ad_policy preset's five arms × seeds (``--sweep-runs`` runs) through
    the ensemble runner (analysis/ensemble.py, ``$ENSEMBLE_WORKERS`` or one worker per core)
    in runs per minute and member-days per second on all workers; the Mesa engine runs a
    subset (``--mesa-sweep-runs``) and its rate is
    scaled to the same count (said in the table);
(e) a what-if sweep from today's group: ``--resume-runs`` continuations (seeds 0..n-1) of one
    snapshot — typical_group of seed 7 on day 120, written by the Mesa engine — to ``--days``,
    one batch on the vector engine against ``--mesa-resume-runs`` of them on the Mesa engine,
    one process each: milliseconds per continued run and the ratio;
(f) the runs of (b) through the ensemble runner on every core (``$ENSEMBLE_WORKERS`` or one
    worker per core): member-days per second on all workers, the issue's "on 2 CPU cores".

Every measurement runs in a fresh process, after a small warm-up run (imports), and is
killed after ``--timeout`` seconds; its memory is the growth of the process's resident set
from just before the simulation to its peak (``ru_maxrss``), plus
``torch.cuda.max_memory_allocated`` on cuda. ``--device cuda`` (or ``torch-cpu``) runs the vector
engine on the PyTorch back-end; part (b) then also runs numpy on batches up to ``--cpu-up-to``
for the ratio. ``benchmarks/gpu_check.sh`` is the GPU machine's whole check.
At its defaults the whole benchmark takes ~12 minutes on a 2-core CPU machine.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.params import ENGINE_DEVICES  # noqa: E402

SINGLE = ["scenario=typical_group", "seeding.seed_users=499", "arrivals.cap=500"]
AD_POLICY_ARMS = ("free", "quota_10", "quota_3", "quota_1", "ban")


def scale_overrides(size: int) -> list[str]:
    return ["scenario=typical_group", f"arrivals.cap={size}", f"seeding.seed_users={max(1, size // 10 - 1)}",
            f"arrivals.promotion_per_day={size / 50:g}"]


# -- one measurement, in its own process -------------------------------------------------------------
def _rss_kib() -> int:
    """Peak resident set of this process so far, KiB (Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _current_rss_kib() -> int:
    """Resident set now, KiB (the peak where /proc is missing)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return _rss_kib()


def measure(spec: dict) -> dict:
    """Run ``spec`` (engine, overrides, seeds, device, days) once; seconds, member-days, memory."""
    import logging

    from analysis.compose import load_params

    logging.getLogger("MESA").setLevel(logging.WARNING)
    base = load_params([*spec["overrides"], f"days={spec['days']}"])
    params = []
    for s in spec["seeds"]:
        p = copy.deepcopy(base)
        p.seed = int(s)
        params.append(p)
    if spec["engine"] == "vector":
        from sim.vector import simulate_batch

        # Warm up (imports, kernels) on a small run, so the measured peak is the batch's own.
        simulate_batch([load_params(["days=5"])], device=spec["device"])
        if "torch" in sys.modules and spec["device"] == "cuda":
            import torch

            torch.cuda.reset_peak_memory_stats()
        before = _current_rss_kib()
        t = time.perf_counter()
        results = simulate_batch(params, device=spec["device"])
    else:
        from sim import simulate

        simulate(load_params(["days=5"]))
        before = _current_rss_kib()
        t = time.perf_counter()
        results = [simulate(p) for p in params]
    seconds = time.perf_counter() - t
    out = {"seconds": seconds, "runs": len(results),
           "member_days": int(sum(r["members"] for res in results for r in res.rows)),
           "days_run": int(sum(len(res.rows) for res in results)), "last_members": results[-1].rows[-1]["members"],
           "peak_rss_growth_mib": max(0, _rss_kib() - before) / 1024, "peak_rss_mib": _rss_kib() / 1024}
    if "torch" in sys.modules and spec["device"] == "cuda":
        import torch

        out["gpu_peak_mib"] = torch.cuda.max_memory_allocated() / 2**20
    return out


def run_measurement(spec: dict, timeout: float) -> dict:
    """``measure(spec)`` in a fresh process; ``{"error": ...}`` when it fails or times out."""
    return _json_of([sys.executable, str(Path(__file__).resolve()), "--_measure", json.dumps(spec)], timeout)


def _json_of(cmd: list[str], timeout: float) -> dict:
    """The last JSON line a command prints; ``{"error": ...}`` when it fails or times out."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:g} s"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"failed (exit {proc.returncode}): {tail[:200]}"}
    return json.loads(lines[-1])


# -- the parts --------------------------------------------------------------------------------
def _fmt(x: float | None, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    if abs(x) >= 1e6:
        return f"{x:.3g}"
    return f"{x:,.{digits}f}"


def part_single(args) -> str:
    rows = ["| engine | seconds | member-days | µs/member-day | peak RSS growth (MiB) |", "|---|---:|---:|---:|---:|"]
    got = {}
    for engine in ("mesa", "vector"):
        r = run_measurement({"engine": engine, "overrides": SINGLE, "seeds": [0], "device": args.device,
                             "days": args.days}, args.timeout)
        got[engine] = r
        if "error" in r:
            rows.append(f"| {engine} | {r['error']} | | | |")
            continue
        rows.append(f"| {engine}{'' if engine == 'mesa' else f' ({args.device})'} | {_fmt(r['seconds'])} | "
                    f"{r['member_days']:,} | {_fmt(r['seconds'] / max(1, r['member_days']) * 1e6)} | "
                    f"{_fmt(r['peak_rss_growth_mib'], 1)} |")
    ok = all("error" not in r for r in got.values())
    ratio = got["mesa"]["seconds"] / got["vector"]["seconds"] if ok else None
    same = ok and got["mesa"]["days_run"] == got["vector"]["days_run"]
    return (f"### (a) One run: typical_group, 500 members from day 0, cap 500, {args.days} days, seed 0\n\n"
            + "\n".join(rows) + f"\n\nMesa / vector time: **{_fmt(ratio)}×** (above 1: the vector engine is faster). "
            + ("Both ran the same number of days." if same else "The two runs are different random draws (the "
               "engines do not share random numbers), so their member-days differ.") + "\n")


def part_batches(args) -> str:
    side = args.device != "cpu"  # a device's rate beside numpy's on the same batch (up to --cpu-up-to)
    rows = ["| batch size | seconds | member-days | member-days/s | µs/member-day | peak RSS growth/community (KiB) |"
            + (" GPU peak/community (KiB) |" if args.device == "cuda" else "")
            + (" numpy (cpu) member-days/s | device/numpy |" if side else ""),
            "|---:|---:|---:|---:|---:|---:|" + ("---:|" if args.device == "cuda" else "") + ("---:|---:|" if side else "")]
    for b in args.batches:
        r = run_measurement({"engine": "vector", "overrides": SINGLE, "seeds": list(range(b)), "device": args.device,
                             "days": args.days}, args.timeout)
        if "error" in r:
            rows.append(f"| {b} | {r['error']} | | | | |" + (" |" if args.device == "cuda" else "") + (" | |" if side else ""))
            continue
        rate = r["member_days"] / r["seconds"]
        gpu = f" {_fmt(r.get('gpu_peak_mib', float('nan')) * 1024 / b, 0)} |" if args.device == "cuda" else ""
        cpu = ""
        if side:
            c = (run_measurement({"engine": "vector", "overrides": SINGLE, "seeds": list(range(b)), "device": "cpu",
                                  "days": args.days}, args.timeout) if b <= args.cpu_up_to else {"error": "not run"})
            cpu = (f" {c['error']} | |" if "error" in c else
                   f" {_fmt(c['member_days'] / c['seconds'], 0)} | {_fmt(rate / (c['member_days'] / c['seconds']))}× |")
        rows.append(f"| {b} | {_fmt(r['seconds'])} | {r['member_days']:,} | {_fmt(rate, 0)} | "
                    f"{_fmt(r['seconds'] / max(1, r['member_days']) * 1e6, 3)} | "
                    f"{_fmt(r['peak_rss_growth_mib'] * 1024 / b, 0)} |{gpu}{cpu}")
    return (f"### (b) Vector engine, batches of the run in (a) ({args.device}; seeds 0..B-1)\n\n" + "\n".join(rows)
            + "\n\nA member-day is one member present on one day actually simulated (sum of the daily `members` "
            "column over the batch's runs): groups that shrink or die early count less. Memory: growth of the "
            "process's peak resident set during the batch, over the batch size.\n")


def part_scale(args) -> str:
    rows = ["| cap | seconds | days run | members on the last day | member-days | member-days/s | peak RSS growth (MiB) |",
            "|---:|---:|---:|---:|---:|---:|---:|"]
    for size in args.scale:
        spec = {"engine": "vector", "overrides": scale_overrides(size), "seeds": [0], "device": args.device,
                "days": args.days}
        r = run_measurement(spec, args.timeout)
        if "error" in r:
            rows.append(f"| {size:,} | {r['error']} | | | | | |")
            continue
        rows.append(f"| {size:,} | {_fmt(r['seconds'])} | {r['days_run']} | {r.get('last_members', '–')} | "
                    f"{r['member_days']:,} | {_fmt(r['member_days'] / r['seconds'], 0)} | "
                    f"{_fmt(r['peak_rss_growth_mib'], 1)} |")
    return (f"### (c) One open group at scale (vector engine, {args.device}, {args.days} days)\n\n"
            "typical_group with `arrivals.cap` = the size, a tenth of it as seed users and "
            "`arrivals.promotion_per_day` = cap/50 so it grows towards the cap.\n\n" + "\n".join(rows) + "\n")


_ENSEMBLE_CODE = ("import json, sys, time; sys.path.insert(0, %r)\n"
                  "from analysis.ensemble import default_workers, run_ensemble, vector_plan\n"
                  "def member_days(result): return {'member_days': sum(r['members'] for r in result.rows)}\n"
                  "a = json.loads(sys.argv[1]); t = time.perf_counter()\n"
                  "tab = run_ensemble(a['override_sets'], seeds=range(a['seeds']), engine=a['engine'],"
                  " device=a['device'], measure=member_days)\n"
                  "print(json.dumps({'seconds': time.perf_counter() - t, 'runs': len(tab), "
                  "'member_days': int(tab['member_days'].sum()), "
                  "'ok': int((tab['status'] == 'ok').sum()), 'workers': vector_plan(a['device'], None, None)[0]"
                  " if a['engine'] == 'vector' else default_workers()}))\n") % str(ROOT)


def run_ensemble_measurement(spec: dict, timeout: float) -> dict:
    """``run_ensemble`` of spec's override sets × seeds in a fresh process, on the workers it chooses."""
    return _json_of([sys.executable, "-c", _ENSEMBLE_CODE, json.dumps(spec)], timeout)


def part_all_cores(args) -> str:
    """(f) The batches of (b) through the ensemble runner on every core (the issue's "2 cores")."""
    rows = ["| runs | workers | seconds | member-days/s (all workers) |", "|---:|---:|---:|---:|"]
    for b in args.batches:
        r = run_ensemble_measurement({"override_sets": [[*SINGLE, f"days={args.days}"]], "seeds": b,
                                      "engine": "vector", "device": args.device}, args.timeout * 2)
        if "error" in r:
            rows.append(f"| {b} | | {r['error']} | |")
            continue
        rows.append(f"| {r['runs']} | {r['workers']} | {_fmt(r['seconds'])} | {_fmt(r['member_days'] / r['seconds'], 0)} |")
    return (f"### (f) The runs of (b) through run_ensemble ({args.device}; workers and batch size from "
            "`analysis.ensemble.vector_plan`: on the CPU one process per core, batches of at most 256)\n\n" + "\n".join(rows)
            + "\n\nWall time includes composing each run's configuration and the workers' start.\n")


def part_sweep(args) -> str:
    rows = ["| engine | runs simulated | workers | seconds | runs/minute | member-days/s | failed | note |",
            "|---|---:|---:|---:|---:|---:|---:|---|"]
    arms = len(AD_POLICY_ARMS)
    for engine, runs in (("vector", args.sweep_runs), ("mesa", args.mesa_sweep_runs)):
        seeds = max(1, math.ceil(runs / arms))
        spec = {"override_sets": [[f"+experiment/arms/ad_policy={arm}", f"days={args.days}"] for arm in AD_POLICY_ARMS],
                "seeds": seeds, "engine": engine, "device": args.device}
        r = run_ensemble_measurement(spec, args.timeout * 2)
        if "error" in r:
            rows.append(f"| {engine} | {seeds * arms} | | {r['error']} | | | | |")
            continue
        rate = r["runs"] / r["seconds"] * 60
        note = ("" if engine == "vector" else
                f"a subset: {r['runs']} runs; at this rate {args.sweep_runs} runs take "
                f"{_fmt(args.sweep_runs / rate, 1)} min")
        rows.append(f"| {engine} | {r['runs']} | {r['workers']} | {_fmt(r['seconds'])} | {_fmt(rate, 1)} | "
                    f"{_fmt(r['member_days'] / r['seconds'], 0)} | {r['runs'] - r['ok']} | {note} |")
    return (f"### (d) Sweep throughput: ad_policy's {arms} arms × seeds, {args.days} days, through run_ensemble\n\n"
            + "\n".join(rows) + "\n\nWall time includes composing each run's configuration and the workers' start.\n")


RESUME_DAY, RESUME_SEED = 120, 7


def part_resume(args) -> str:
    import tempfile

    from analysis.compose import load_params
    from analysis.files import write_atomic
    from sim import simulate
    from sim.snapshot import dumps

    rows = ["| engine | continued runs | seconds | ms per run | runs/minute |", "|---|---:|---:|---:|---:|"]
    per_run = {}
    with tempfile.TemporaryDirectory() as folder:
        group = simulate(load_params(["scenario=typical_group", f"days={RESUME_DAY}", f"seed={RESUME_SEED}"]))
        path = write_atomic(Path(folder) / "snapshot.pkl", dumps(group.model))
        for engine, runs in (("vector", args.resume_runs), ("mesa", args.mesa_resume_runs)):
            r = run_measurement({"engine": engine, "overrides": ["scenario=typical_group", f"start.snapshot={path}"],
                                 "seeds": list(range(runs)), "device": args.device, "days": args.days}, args.timeout)
            if "error" in r:
                rows.append(f"| {engine} | {runs} | {r['error']} | | |")
                continue
            per_run[engine] = r["seconds"] / r["runs"]
            rows.append(f"| {engine} | {r['runs']} | {_fmt(r['seconds'])} | {_fmt(per_run[engine] * 1e3, 0)} | "
                        f"{_fmt(60 / per_run[engine], 0)} |")
    ratio = per_run["mesa"] / per_run["vector"] if len(per_run) == 2 else None
    return (f"### (e) What if, from today's group: continuations of a day-{RESUME_DAY} snapshot to day {args.days}\n\n"
            f"typical_group of seed {RESUME_SEED}, saved by the Mesa engine on day {RESUME_DAY} and continued under "
            "seeds 0..n-1 (`start.snapshot`; the vector engine unpickles it once per batch).\n\n"
            + "\n".join(rows) + f"\n\nMesa / vector time per run: **{_fmt(ratio)}×**.\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="cpu", choices=ENGINE_DEVICES)
    ap.add_argument("--cpu-up-to", type=int, default=1000,
                    help="on a device, also run numpy on batches up to this size, for the ratio")
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--batches", default="10,100,1000",
                    help="batch sizes for (b), comma-separated (1000 takes ~2 min and ~1 GB on a 2-core CPU; 10000 "
                         "took ~10 GB and 32 min (half the rate of 1000); on a GPU try 10,100,1000,10000)")
    ap.add_argument("--scale", default="1000,10000,100000", help="group caps for (c), comma-separated")
    ap.add_argument("--sweep-runs", type=int, default=1000, help="runs of the vector sweep in (d)")
    ap.add_argument("--mesa-sweep-runs", type=int, default=20, help="runs of the Mesa subset in (d)")
    ap.add_argument("--resume-runs", type=int, default=200, help="continued runs of the vector batch in (e)")
    ap.add_argument("--mesa-resume-runs", type=int, default=20, help="continued runs on the Mesa engine in (e)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds before one measurement is given up")
    ap.add_argument("--parts", default="abcdef", help="which parts to run, e.g. 'ab'")
    ap.add_argument("--out", type=Path, default=None, help="also write the markdown here")
    ap.add_argument("--_measure", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._measure:
        spec = json.loads(args._measure)
        out = measure(spec)
        print(json.dumps(out))
        return
    args.batches = [int(x) for x in args.batches.split(",") if x]
    args.scale = [int(x) for x in args.scale.split(",") if x]
    head = (f"## Vector vs Mesa engine ({time.strftime('%Y-%m-%d')}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, device {args.device}, "
            f"ENSEMBLE_WORKERS={os.environ.get('ENSEMBLE_WORKERS', 'unset')})\n")
    print(head, flush=True)
    sections = [head]
    parts = {"a": part_single, "b": part_batches, "c": part_scale, "d": part_sweep, "e": part_resume,
             "f": part_all_cores}
    for key in args.parts:
        started = time.perf_counter()
        text = parts[key](args) + f"\n_(part {key}: {time.perf_counter() - started:.0f} s)_\n"
        print(text, flush=True)
        sections.append(text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(sections))
        print(f"written: {args.out}")


if __name__ == "__main__":
    main()
