#!/usr/bin/env bash
# One-step setup from a fresh clone: a virtualenv with everything the README's commands and
# the tests use. Safe to re-run. Network is needed here only (PyPI, npm registry, Debian).
set -euo pipefail
cd "$(dirname "$0")/.."

# Chromium drives the classroom-page browser test (tests/browser); Debian's build, because
# test tools' own browser downloads are blocked here.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    echo "note: install Debian's chromium (sudo apt-get install chromium) to run the browser test" >&2
  fi
fi

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e ".[dev]"
# The classroom page's front-end files, fetched once from the npm registry so the page
# works offline (Solara would otherwise load them from a CDN at run time).
.venv/bin/python -m dashboards.offline_assets
echo "setup done: .venv ready"
