"""Alteryx Server pages against a small (25 workflows) and a large (1,000 workflows, 30,000 jobs) emulator
world: cold (jobs gathered per workflow over HTTP) and warm (cached) page times, printed as ratios.

Run: .venv/bin/python bench/server_jobs_page.py   (or `make bench`)
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytest  # noqa: E402

from sandbox import create_app as create_emulator  # noqa: E402
from sandbox.common.server import LiveServer  # noqa: E402
from tests.conftest import PASSWORD, build_app, server_connection  # noqa: E402
from tests.helpers import Emulator, login  # noqa: E402
from bench.timing import time_pages  # noqa: E402

PAGES = ("/server/server-v3/runs", "/server/server-v3/runs?status=failed&page=2", "/server/server-v3/workflows",
         "/server/server-v3/schedules")


def measure(size: str, repeats: int = 5) -> dict[str, float]:
    server = LiveServer(create_emulator("server", size=size))
    url = server.start()
    monkeypatch = pytest.MonkeyPatch()
    with tempfile.TemporaryDirectory() as tmp:
        block = server_connection("server-v3", url, Emulator(url).mint(), monkeypatch)
        app = build_app(Path(tmp), block)
        app.config.update(HTTP_READ_TIMEOUT=60.0, CACHE_DEFAULT_TIMEOUT=3600)
        client = app.test_client()
        login(client, "viewer", PASSWORD)
        figures = time_pages(client, PAGES, repeats)
    monkeypatch.undo()
    server.stop()
    return figures


def main() -> None:
    small = measure("small")
    large = measure("large")
    print("Server pages (jobs, failed jobs page 2, workflows, schedules), one run on this machine")
    print(f"  small world: cold {small['cold']:.2f} s, warm {small['warm'] * 1000:.0f} ms")
    print(f"  large world: cold {large['cold']:.2f} s, warm {large['warm'] * 1000:.0f} ms")
    print(f"  large/small warm ratio: {large['warm'] / small['warm']:.1f}x  (40x more workflows, 100x more jobs)")
    print(f"  large/small cold ratio: {large['cold'] / small['cold']:.1f}x")


if __name__ == "__main__":
    main()
