"""Regenerate the README picture: the report's main chart for the default scenario.

    .venv/bin/python scripts/make_readme_figure.py  # writes docs/img/report_members.png

Uses kaleido (with the system Chromium) to render the same plotly figure the report shows.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboards.report import members_figure  # noqa: E402
from analysis.compose import load_params  # noqa: E402
from sim import simulate  # noqa: E402


def main(overrides: list[str]) -> None:
    result = simulate(load_params(overrides))
    out = ROOT / "docs" / "img" / "report_members.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    members_figure(result, height=430).write_image(out, width=1000, height=430, scale=1.5)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
