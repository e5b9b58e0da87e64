#!/usr/bin/env bash
# Issue 14's device check, one command on the GPU machine (the `device` tool), everything it
# finds written under $OUT:
#   run(command="bash benchmarks/gpu_check.sh", carry=[".whl"], timeout_s=600)
# after `bash benchmarks/gpu_wheels.sh` here. Steps, each with its own time limit so that one
# that hangs leaves the others their time:
#   1. the machine: PyTorch, the GPU;
#   2. the PyTorch back-end's tests on the GPU (tests/vector/test_backend.py, slow ones too):
#      rows equal numpy's to rounding, an ensemble equal in distribution;
#   3. the benchmark on cuda: batches of 100 / 1,000 / 10,000 communities (numpy beside them up
#      to 1,000, for the ratio; GPU memory per community);
#   4. where the time goes: a batch of 1,000 for 30 days under cProfile and torch.profiler
#      (benchmarks/profile_device.py: the day's processes, the kernels, the host fallbacks);
#   5. one open group of 1k / 10k / 100k members for a year.
# DEVICE=torch-cpu runs the same steps on a machine without a GPU (a rehearsal of the script).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-gpu_check_out}
DEVICE=${DEVICE:-cuda}
BATCHES=${BATCHES:-100,1000,10000}
SCALE=${SCALE:-1000,10000,100000}
PROFILE_RUNS=${PROFILE_RUNS:-1000}
PY=${PY:-python3}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
if [ -d .whl ]; then
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
    && export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
fi
{
  date -u
  $PY -c "import sys, numpy, scipy, torch; print('Python', sys.version.split()[0], 'numpy', numpy.__version__,
  'scipy', scipy.__version__, 'torch', torch.__version__, 'cuda', torch.version.cuda,
  torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'no GPU')"
  nproc
} 2>&1 | tee "$OUT/machine.txt"
if [ "$DEVICE" = cuda ]; then
  timeout 180 $PY -m pytest -q -p no:cacheprovider -o addopts="" -m "" tests/vector/test_backend.py 2>&1 \
    | tee "$OUT/tests.txt"
else  # the rehearsal: the GPU tests skip, the torch-cpu ones run
  timeout 180 $PY -m pytest -q -p no:cacheprovider -o addopts="" -m "not slow" tests/vector/test_backend.py 2>&1 \
    | tee "$OUT/tests.txt"
fi
# Each part writes its own table, so a part that runs out of time costs only itself.
timeout 170 $PY benchmarks/bench_vector.py --device "$DEVICE" --parts b --batches "$BATCHES" --timeout 80 \
  --out "$OUT/bench_batches_$DEVICE.md" 2>&1 | tee "$OUT/bench_batches.log"
timeout 90 $PY benchmarks/profile_device.py --device "$DEVICE" --runs "$PROFILE_RUNS" --days 30 \
  --out "$OUT/profile_$DEVICE.txt" 2>&1 | grep -v USDT | tee "$OUT/profile.log"
timeout 130 $PY benchmarks/bench_vector.py --device "$DEVICE" --parts c --scale "$SCALE" --timeout 120 \
  --out "$OUT/bench_scale_$DEVICE.md" 2>&1 | tee "$OUT/bench_scale.log"
echo "done: $(ls "$OUT")"
