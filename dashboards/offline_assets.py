"""Fill Solara's asset proxy cache from the npm registry, so the classroom page works offline.

The Solara server does not ship its browser front end: on first use it fetches files such as
``requirejs@2.3.6/require.js`` from a public CDN and caches them under
``solara.server.settings.assets.proxy_cache_dir`` (``<venv>/share/solara/cdn/`` unless
``SOLARA_ASSETS_PROXY_CACHE_DIR`` says otherwise). Without network the page stays white. This
module downloads the same npm packages once, at install time, and unpacks each one as
``<cache>/<name>@<version>/<path inside the package>``, the layout the proxy reads.

Run ``python -m dashboards.offline_assets`` (idempotent; ``--check`` only verifies).

The versions are read from the installed Solara's own templates, so upgrading Solara cannot
leave a stale cache behind silently: the new versions are simply missing and get fetched.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

#: npm packages the page loads through the proxy, and the installed-Solara file that names the
#: version of each (found by watching the server's "Could not load URL" log with the network
#: blocked; see tests/browser, which fails if the page asks for anything else).
#: The vuetify-2 app is the one Solara serves with ipyvue/ipyvuetify < 2 (our pin).
PACKAGES = {
    "@widgetti/solara-vuetify-app": "server/templates/solara.html.j2",
    "requirejs": "server/templates/solara.html.j2",
    # the draggable grid Mesa's SolaraViz lays its components out with
    "@widgetti/vue-grid-layout": "widgets/vue/gridlayout.vue",
    "font-awesome": None,  # named by a setting, see _versions()
}
MARKER = ".complete"  # written last: a folder without it is an interrupted fill
REGISTRY = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org").rstrip("/")


def cache_dir() -> Path:
    """Where the running Solara server looks (honours SOLARA_ASSETS_PROXY_CACHE_DIR)."""
    import solara.server.settings

    return Path(solara.server.settings.assets.proxy_cache_dir)


def _versions() -> dict[str, str]:
    """Map each needed package to the version the installed Solara asks for."""
    import solara
    import solara.server.settings

    root = Path(solara.__file__).parent
    found = {}
    for name, rel in PACKAGES.items():
        text = solara.server.settings.assets.fontawesome_path if rel is None else (root / rel).read_text()
        match = re.search(re.escape(name) + r"@([0-9][^/\"'`\s]*)/", text)
        if not match:
            raise RuntimeError(f"cannot find the version of {name} in solara/{rel}: did Solara change its assets?")
        found[name] = match.group(1)
    return found


def _download(name: str, version: str) -> bytes:
    """The package tarball, checked against the registry's integrity hash."""
    with urllib.request.urlopen(f"{REGISTRY}/{name}/{version}", timeout=60) as response:
        dist = json.load(response)["dist"]
    with urllib.request.urlopen(dist["tarball"], timeout=300) as response:
        data = response.read()
    algo, _, expected = dist.get("integrity", "").partition("-")
    if algo in ("sha512", "sha384", "sha256"):
        if base64.b64encode(hashlib.new(algo, data).digest()).decode() != expected:
            raise RuntimeError(f"integrity check failed for {name}@{version}")
    elif hashlib.sha1(data).hexdigest() != dist["shasum"]:
        raise RuntimeError(f"shasum check failed for {name}@{version}")
    return data


def _unpack(data: bytes, dest: Path) -> None:
    """Extract the tarball's ``package/`` folder into dest (npm tarballs nest one level)."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            rel = Path(*Path(member.name).parts[1:])  # drop "package/" (some use another name)
            target = dest / rel
            if not target.resolve().is_relative_to(dest.resolve()):
                raise RuntimeError(f"unsafe path in tarball: {member.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(member).read())


def fill(cache: Path | None = None, *, check_only: bool = False) -> list[str]:
    """Make sure every package is in the cache; return the ones that were (or are) missing."""
    cache = cache or cache_dir()
    missing = []
    for name, version in _versions().items():
        final = cache / f"{name}@{version}"
        if (final / MARKER).exists():
            continue
        missing.append(f"{name}@{version}")
        if check_only:
            continue
        print(f"fetching {name}@{version} -> {final}", file=sys.stderr)
        data = _download(name, version)
        final.parent.mkdir(parents=True, exist_ok=True)
        # Unpack next to the final folder and rename it into place, so a server reading the
        # cache never sees half a package and an interrupted run leaves nothing behind.
        tmp = Path(tempfile.mkdtemp(prefix=".fill-", dir=final.parent))
        try:
            _unpack(data, tmp)
            (tmp / MARKER).write_text(f"{name}@{version}\n")
            if final.exists():  # a partial copy (e.g. files the proxy cached one by one)
                shutil.rmtree(final)
            os.replace(tmp, final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report missing packages (no network)")
    parser.add_argument("--cache-dir", type=Path, help="default: Solara's proxy cache dir")
    args = parser.parse_args(argv)
    cache = args.cache_dir or cache_dir()
    missing = fill(cache, check_only=args.check)
    if args.check and missing:
        print(f"missing in {cache}: {', '.join(missing)}", file=sys.stderr)
        return 1
    print(f"solara assets ready in {cache}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
