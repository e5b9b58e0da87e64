"""Start the classroom page: ``python -m dashboards [--port 8765] [KEY=VALUE ...]``.

A thin wrapper around ``solara run dashboards/app.py`` that makes the page work offline and
private: Solara's front-end files come from the local proxy cache (filled once by
``python -m dashboards.offline_assets``, which this runs if the cache is incomplete), telemetry
and the version/"phone home" checks are off, and the server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

APP = Path(__file__).with_name("app.py")


def server_env(cache_dir: Path | None = None) -> dict[str, str]:
    """The environment the Solara server needs (also used by the browser test)."""
    from dashboards import offline_assets

    env = dict(os.environ)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    # Name the cache explicitly so the server reads the same folder offline_assets filled.
    env["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(cache_dir or offline_assets.cache_dir())
    return env


def server_command(port: int, host: str = "127.0.0.1") -> list[str]:
    solara = shutil.which("solara", path=str(Path(sys.executable).parent)) or "solara"
    # --production: no auto-reload and no check call to solara.dev; minified front end.
    return [solara, "run", str(APP), "--host", host, "--port", str(port),
            "--production", "--no-open", "--no-check-version"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dashboards", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8765)))
    parser.add_argument("--host", default="127.0.0.1", help="listen address (default: localhost only)")
    parser.add_argument("overrides", nargs="*", metavar="KEY=VALUE",
                        help="Hydra overrides applied to every scenario, e.g. days=180 seeding.seed_users=499")
    args = parser.parse_args(argv)

    from dashboards import offline_assets

    if offline_assets.fill(check_only=True):
        # First start on this machine: needs the npm registry once, never again.
        try:
            offline_assets.fill()
        except OSError as e:
            print(f"warning: could not fetch the page's front-end files ({e}); the page stays blank "
                  "until `python -m dashboards.offline_assets` succeeds once with network", file=sys.stderr)
    env = server_env()
    env["CLASSROOM_OVERRIDES"] = json.dumps(args.overrides)  # read by dashboards/app.py
    print(f"classroom page: http://{args.host}:{args.port}/", file=sys.stderr)
    cmd = server_command(args.port, args.host)
    os.execvpe(cmd[0], cmd, env)  # replace this process, so Ctrl-C and kill reach the server


if __name__ == "__main__":
    main()
