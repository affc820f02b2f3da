"""The Alooma pipeline page, cold, against an emulator answering every call after 200 ms: how many REST calls the
page makes, and its time as a multiple of one call's delay. The page reads the plumbing, then every input's state
and sleep time in parallel, so the multiple stays near the number of rounds (3), far below the number of calls
(asked one after another, the page would take about that many delays). Warm, it is served from the cache.

Run: .venv/bin/python bench/alooma_pipeline_page.py   (or `make bench`)
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytest  # noqa: E402
import requests  # noqa: E402

from app.http import PlatformHttp  # noqa: E402
from sandbox import create_app as create_emulator  # noqa: E402
from sandbox.common.server import LiveServer  # noqa: E402
from tests.conftest import PASSWORD, alooma_connection, build_app  # noqa: E402
from tests.helpers import Emulator, login  # noqa: E402
from bench.timing import time_pages  # noqa: E402

LATENCY_MS = 200
PAGE = "/alooma/alooma-key/pipeline"


def main() -> None:
    server = LiveServer(create_emulator("alooma"))
    url = server.start()
    monkeypatch = pytest.MonkeyPatch()
    calls: list[str] = []
    original = PlatformHttp._send

    def counted(self: PlatformHttp, method: str, path: str, **kwargs: Any) -> requests.Response:
        calls.append(f"{method} {path}")
        return original(self, method, path, **kwargs)

    monkeypatch.setattr(PlatformHttp, "_send", counted)
    with tempfile.TemporaryDirectory() as tmp:
        block = alooma_connection("alooma-key", url, Emulator(url).mint(), monkeypatch, api_key=True)
        app = build_app(Path(tmp), block)
        app.config.update(HTTP_READ_TIMEOUT=60.0)
        client = app.test_client()
        login(client, "viewer", PASSWORD)
        requests.post(f"{url}/_sandbox/faults", json={"latency_ms": {"*": LATENCY_MS}}, timeout=5).raise_for_status()
        started = time.perf_counter()
        assert b"banner-error" not in client.get(PAGE).data
        cold = time.perf_counter() - started
        cold_calls = len(calls)
        warm = time_pages(client, (PAGE,), repeats=5)["warm"]
    monkeypatch.undo()
    server.stop()
    delay = LATENCY_MS / 1000
    print(f"Alooma pipeline page, every emulator call delayed {LATENCY_MS} ms, one run")
    print(f"  cold: {cold:.2f} s for {cold_calls} REST calls = {cold / delay:.1f} delays "
          f"(one after another: about {cold_calls} delays)")
    print(f"  cold / ({cold_calls} calls x delay): {cold / (cold_calls * delay):.2f}")
    print(f"  warm: {warm * 1000:.0f} ms ({cold / warm:.0f}x faster than cold)")
    print("  calls: " + ", ".join(sorted(set(c.split("/")[1] for c in calls))))


if __name__ == "__main__":
    main()
