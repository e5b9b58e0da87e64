#!/usr/bin/env bash
# Here, with network: the pure-Python wheels the GPU machine lacks (it has Python 3.12, torch,
# numpy, SciPy, pandas, networkx, pytest, but no Mesa or Hydra and no network), into .whl/
# (git-ignored), for benchmarks/gpu_check.sh. Carry it: the `device` tool's carry=[".whl"].
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf .whl && mkdir .whl
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_17_x86_64 -d .whl "mesa==3.5.*" "hydra-core==1.3.2" "omegaconf==2.3.0"
# antlr4's runtime (Hydra's grammar) is published as a source archive only: a wheel of it.
python3 -m pip wheel -q --no-deps -w .whl "antlr4-python3-runtime==4.9.3"
ls -l .whl
