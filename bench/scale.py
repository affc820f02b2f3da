"""The cross-platform schedules and runs pages with one AAC connection of 10,000 schedules and 100,000 runs
against one of 25 schedules and 240 runs: warm time per page and peak memory of the process serving them.
Target: the time grows by less than 2 times while the data grows 100 times or more.

Each world is measured in its own child process (peak memory cannot be reset), with the emulator in a
further process so its memory is not counted.

Run: .venv/bin/python bench/scale.py   (or `make bench`)
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ("/schedules", "/schedules?sort=name&page=7", "/runs", "/runs?status=failed&page=3")


def measure(size: str) -> dict[str, float]:
    """In a child process: serve the pages against an emulator of `size`; warm ms per page and peak RSS in MB."""
    import requests

    from bench.timing import time_pages
    from sandbox.common.server import free_port
    from sandbox.connect import wait_until_up
    from tests.conftest import PASSWORD, build_app, write_connections
    from tests.helpers import login

    port = free_port()
    emulator = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "aac", "--port", str(port), "--size", size],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, seconds=120)
        with tempfile.TemporaryDirectory() as tmp:
            write_connections(Path(tmp) / "c.toml", url, ("scale",))
            os.environ["SCALE_REFRESH_TOKEN"] = requests.post(f"{url}/_sandbox/tokens", json={}, timeout=10).json()[
                "refresh_token"]
            app = build_app(Path(tmp), (Path(tmp) / "c.toml").read_text())
            app.config.update(HTTP_READ_TIMEOUT=120.0, CACHE_DEFAULT_TIMEOUT=3600, FANOUT_DEADLINE=300.0)
            client = app.test_client()
            login(client, "viewer", PASSWORD)
            figures = time_pages(client, PAGES, repeats=5)
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    return {"cold_s": figures["cold"], "warm_ms_per_page": figures["warm"] * 1000 / len(PAGES),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--size":
        print(json.dumps(measure(sys.argv[2])))
        return
    results = {}
    for size in ("small", "large"):
        out = subprocess.run([sys.executable, __file__, "--size", size], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
        results[size] = json.loads(out.strip().splitlines()[-1])
    small, large = results["small"], results["large"]
    print("All-schedules and all-runs pages, one AAC connection, one run on this machine")
    for name, r in results.items():
        print(f"  {name} world: warm {r['warm_ms_per_page']:.0f} ms per page, cold {r['cold_s']:.1f} s for "
              f"{len(PAGES)} pages, peak memory {r['peak_mb']:.0f} MB")
    print(f"  large/small warm time per page: {large['warm_ms_per_page'] / small['warm_ms_per_page']:.1f}x "
          f"(target under 2x; 400x the schedules, 400x the runs)")
    print(f"  large/small peak memory: {large['peak_mb'] / small['peak_mb']:.1f}x")


if __name__ == "__main__":
    main()
