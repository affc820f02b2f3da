"""Schedules and runs pages against a small (25 schedules) and a large (10,000 schedules, 100,000 runs)
AAC emulator world: cold (platform calls) and warm (cached) page times, printed as ratios.

Run: .venv/bin/python bench/aac_schedules_page.py   (or `make bench`)
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from sandbox import create_app as create_emulator  # noqa: E402
from sandbox.common.server import LiveServer  # noqa: E402
from tests.conftest import write_connections  # noqa: E402
from tests.helpers import login  # noqa: E402
from bench.timing import time_pages  # noqa: E402

PAGES = ("/aac/bench/schedules", "/aac/bench/schedules?page=7&sort=next_run", "/aac/bench/runs?status=failed")


def measure(size: str, repeats: int = 5) -> dict[str, float]:
    from app import create_app
    from app.auth.cli import create_user
    from flask_migrate import upgrade

    server = LiveServer(create_emulator("aac", size=size))
    url = server.start()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        write_connections(tmp_path / "connections.toml", url, ("bench",))
        os.environ["BENCH_REFRESH_TOKEN"] = requests.post(f"{url}/_sandbox/tokens", json={}, timeout=10).json()[
            "refresh_token"]
        app = create_app("testing", {"INSTANCE_DIR": tmp_path, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/b.db",
                                     "CONNECTIONS_FILE": str(tmp_path / "connections.toml"),
                                     "LOCK_DIR": str(tmp_path / "locks"), "HTTP_READ_TIMEOUT": 60.0,
                                     "CACHE_DEFAULT_TIMEOUT": 3600})
        with app.app_context():
            upgrade()
            create_user("bench", "bench-password-1", "viewer")
        client = app.test_client()
        login(client, "bench", "bench-password-1")
        figures = time_pages(client, PAGES, repeats)
    server.stop()
    return figures


def main() -> None:
    small = measure("small")
    large = measure("large")
    print("AAC pages (schedules, schedules page 7 sorted by next run, failed runs), one run on this machine")
    print(f"  small world: cold {small['cold']:.2f} s, warm {small['warm'] * 1000:.0f} ms")
    print(f"  large world: cold {large['cold']:.2f} s, warm {large['warm'] * 1000:.0f} ms")
    print(f"  large/small warm ratio: {large['warm'] / small['warm']:.1f}x  (400x more schedules)")
    print(f"  large/small cold ratio: {large['cold'] / small['cold']:.1f}x")


if __name__ == "__main__":
    main()
